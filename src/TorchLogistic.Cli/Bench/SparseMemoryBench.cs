using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using TorchLogistic.Data;
using TorchLogistic.Optim;
using TorchLogistic.Performance;
using TorchLogistic.Sparse;
using TorchLogistic.Training;

namespace TorchLogistic.Cli.Bench;

/// <summary>
/// <c>torchlogistic bench --problem sparse-libsvm</c>: a seeded sparse binary problem (default 100,000 rows × 50,000
/// columns at 0.1 % density: 5·10⁶ non-zeros, 40 GB were it dense) written as a LIBSVM file, read back and trained
/// with lbfgs through sparse products, with the process's peak resident memory printed against the dense size and
/// the CSR size; then scikit-learn's LogisticRegression(newton-cg, the same stopping point) on the same file, its
/// coefficients compared with ours.
/// </summary>
public static class SparseMemoryBench
{
    /// <summary>The problem's name for <c>--problem</c>.</summary>
    public const string Name = "sparse-libsvm";

    /// <summary>Runs the benchmark and prints its numbers; exit status 0, or 1 when a step failed.</summary>
    /// <param name="output">Where the numbers go.</param>
    /// <param name="rows">Rows m.</param>
    /// <param name="columns">Columns d.</param>
    /// <param name="density">Share of non-zeros; each row gets round(density·d) distinct random columns.</param>
    /// <param name="c">C of the L2 penalty.</param>
    /// <param name="tolerance">Tolerance of both fits (max |∇| of the mean objective).</param>
    /// <param name="maxIterations">Iteration limit of both fits.</param>
    /// <param name="peer">Run scikit-learn too.</param>
    /// <param name="peerTimeout">Seconds after which scikit-learn is stopped.</param>
    /// <param name="script">Path of sklearn_sparse_libsvm.py.</param>
    /// <param name="cancellation">Stops between steps.</param>
    public static int Run(TextWriter output, int rows, int columns, double density, double c, double tolerance, int maxIterations, bool peer,
        double peerTimeout, string script, CancellationToken cancellation)
    {
        if (rows < 2 || columns < 1) throw new ArgumentException($"--sparse-rows {rows} and --sparse-columns {columns} must be at least 2 and 1.");
        if (!(density > 0 && density <= 1)) throw new ArgumentException($"--sparse-density {density} must be in (0, 1].");
        int perRow = Math.Max(1, (int)Math.Round(density * columns));
        if ((long)perRow * rows > int.MaxValue) throw new ArgumentException($"{rows} rows × {perRow} non-zeros exceed one sparse matrix ({int.MaxValue} non-zeros).");
        string folder = Path.Combine(Path.GetTempPath(), $"torchlogistic-sparse-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string file = Path.Combine(folder, "problem.svm");
            var clock = Stopwatch.StartNew();
            Generate(file, rows, columns, perRow, seed: 20261201);
            long fileBytes = new FileInfo(file).Length;
            output.WriteLine(Inv($"problem    {rows:N0} rows × {columns:N0} columns, {perRow} non-zeros per row ({(double)perRow / columns:P2} density), seed 20261201; LIBSVM file {fileBytes / 1e6:F0} MB written in {clock.Elapsed.TotalSeconds:F1} s"));
            cancellation.ThrowIfCancellationRequested();
            GC.Collect();
            bool reset = PeakMemory.Reset();
            long? before = PeakMemory.CurrentBytes();

            clock.Restart();
            var data = LibSvmFile.Load(file, featureCount: columns);
            double loadSeconds = clock.Elapsed.TotalSeconds;
            TorchSharp.torch.set_num_threads(Environment.ProcessorCount);
            var options = new TrainingOptions { Solver = SolverKind.Lbfgs, C = c, Tolerance = tolerance, MaxIterations = maxIterations };
            clock.Restart();
            using var model = Trainer.Fit(data, options, cancellation: cancellation);
            double fitSeconds = clock.Elapsed.TotalSeconds;
            long? peak = PeakMemory.Bytes();
            var result = model.Result!;
            output.WriteLine(Inv($"ours       read {loadSeconds:F1} s, lbfgs {result.Iterations} iterations ({result.FunctionEvaluations} evaluations) in {fitSeconds:F1} s, {(result.Converged ? "converged" : result.StopDescription)}; objective {result.Objective:R}"));
            output.WriteLine(Inv($"memory     peak RSS {Mb(peak)} (before reading {Mb(before)}{(reset ? ", peak reset after generating" : ", peak not resettable: includes generation")}); CSR {data.Features.StorageBytes / 1e6:F0} MB; dense float64 would be {data.DenseBytes / 1e9:F1} GB — peak/dense = {(peak ?? 0) / data.DenseBytes:P2}"));
            if (!peer) return 0;
            string? unavailable = ScikitLearnPeer.UnavailableReason();
            if (unavailable != null)
            {
                output.WriteLine($"sklearn    skipped: {unavailable}");
                return 0;
            }
            var (code, stdout, stderr) = ScikitLearnPeer.Execute(ScikitLearnPeer.DefaultPython,
                new[] { script, file, columns.ToString(CultureInfo.InvariantCulture), c.ToString("R", CultureInfo.InvariantCulture), (tolerance * c * rows).ToString("R", CultureInfo.InvariantCulture), maxIterations.ToString(CultureInfo.InvariantCulture) },
                TimeSpan.FromSeconds(peerTimeout), cancellation);
            if (code != 0)
            {
                output.WriteLine($"sklearn    failed (exit {code}): {stderr.Trim().Split('\n').LastOrDefault()}");
                return 1;
            }
            var json = JsonNode.Parse(stdout.Trim().Split('\n').Last())!;
            var coef = json["coef"]!.AsArray().Select(v => (double)v!).ToArray();
            double intercept = (double)json["intercept"]![0]!;
            var theta = model.Module.ParametersToVector();
            double worst = 0, scale = 0;
            for (int j = 0; j < columns; j++)
            {
                worst = Math.Max(worst, Math.Abs(coef[j] - theta[j]));
                scale = Math.Max(scale, Math.Abs(coef[j]));
            }
            output.WriteLine(Inv($"sklearn    {(string)json["sklearn"]!} newton-cg: read {(double)json["load_seconds"]!:F1} s, fit {(double)json["fit_seconds"]!:F1} s, {(int)json["iterations"]!} iterations, peak RSS {Mb((long)json["peak_rss_bytes"]!)}"));
            output.WriteLine(Inv($"agreement  max |Δcoef| = {worst:E2} (max |coef| {scale:F3}, relative {worst / scale:E2}); |Δintercept| = {Math.Abs(intercept - theta[columns]):E2}"));
            return 0;
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// Writes the seeded problem row by row (never as one matrix): perRow distinct columns per row (Floyd's sampling),
    /// values N(0, 1) rounded to 6 significant digits, true weights N(0, 1/perRow), labels Bernoulli(σ(x·w)).
    /// </summary>
    private static void Generate(string path, int rows, int columns, int perRow, int seed)
    {
        var random = new Random(seed);
        var weight = new double[columns];
        for (int j = 0; j < columns; j++) weight[j] = Normal(random) / Math.Sqrt(perRow);
        using var writer = new StreamWriter(path, append: false, System.Text.Encoding.ASCII, bufferSize: 1 << 20);
        var chosen = new HashSet<int>();
        var index = new int[perRow];
        var value = new double[perRow];
        for (int i = 0; i < rows; i++)
        {
            chosen.Clear();
            for (int t = columns - perRow; t < columns; t++)
            {
                int j = random.Next(t + 1);
                chosen.Add(chosen.Contains(j) ? t : j);
            }
            chosen.CopyTo(index);
            Array.Sort(index);
            double z = 0;
            for (int p = 0; p < perRow; p++)
            {
                value[p] = double.Parse(Normal(random).ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
                z += value[p] * weight[index[p]];
            }
            var row = new CsrMatrix(1, columns, new[] { 0, perRow }, index, value);
            LibSvmFile.Write(writer, row, new[] { random.NextDouble() < 1 / (1 + Math.Exp(-z)) ? "1" : "0" });
        }
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static string Mb(long? bytes) => bytes is long b ? Inv($"{b / 1e6:F0} MB") : "n/a";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
