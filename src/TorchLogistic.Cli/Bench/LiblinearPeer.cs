using System.Diagnostics;
using System.Globalization;
using System.Text;
using TorchLogistic.Data;

namespace TorchLogistic.Performance;

/// <summary>
/// LIBLINEAR's <c>liblinear-train -s 0</c> (L2-regularised logistic regression by its trust-region Newton method,
/// one thread) on a binary benchmark problem without intercept (<c>-B -1</c>), C as the problem's: LIBLINEAR
/// minimises <c>½‖w‖² + C Σᵢ log(1 + e^(−yᵢ wᵀxᵢ))</c>, which is C·m times our F, so both have the same optimum.
/// It cannot stop at a target value, so it is run with stopping tolerances <c>-e</c> 1e-1, 1e-2, … until F at its
/// model — computed by us in float64 (<see cref="BenchmarkProblem.ExactValue"/>) — is within the target, then with
/// <see cref="RefinementSteps"/> tolerances bisecting (in log ε) the last decade; its time is the fastest run within
/// the target. Each run
/// reads the LIBSVM file again and prints nothing about its timing, so the reading is measured by runs with
/// <c>-e 1e9</c>: they read the file, evaluate F and ∇F once at w = 0, meet the tolerance and write the model. The
/// mean wall time of two such runs (one before the timed runs, one after) is subtracted from every run's wall time and
/// reported separately; it includes one function and gradient evaluation, so LIBLINEAR's training time is, if
/// anything, slightly understated. The same file is then read by <see cref="LibSvmFile.Load"/> (ours), timed, and
/// checked to hold the same rows.
/// </summary>
public static class LiblinearPeer
{
    /// <summary>Debian's <c>liblinear-tools</c> executable.</summary>
    public const string DefaultTrain = "/usr/bin/liblinear-train";

    /// <summary>Bisections in log ε after the first decade of ε that reaches the target (so LIBLINEAR is not charged a whole decade of overshoot).</summary>
    public const int RefinementSteps = 2;

    /// <summary>Why the peer cannot run here, or null.</summary>
    public static string? UnavailableReason(string train = DefaultTrain) =>
        File.Exists(train) ? null : $"{train} does not exist (apt-get install liblinear-tools)";

    /// <summary>Runs LIBLINEAR on <paramref name="problem"/> (binary, no intercept) until its F is at most <paramref name="target"/>.</summary>
    /// <param name="problem">A binary problem without intercept.</param>
    /// <param name="target">The value of F to reach.</param>
    /// <param name="capSeconds">No further tolerance is tried once the runs' total wall time passes this.</param>
    /// <param name="train">The liblinear-train executable.</param>
    /// <param name="cancellation">Kills a run.</param>
    public static LiblinearPeerResult Run(BenchmarkProblem problem, double target, double capSeconds = 900, string train = DefaultTrain,
        CancellationToken cancellation = default)
    {
        if (problem.OutputCount != 1 || problem.FitIntercept)
            throw new ArgumentException($"The LIBLINEAR peer compares binary problems without intercept (-B -1); {problem.Name} is not one.");
        string folder = Path.Combine(Path.GetTempPath(), $"torchlogistic-liblinear-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string data = Path.Combine(folder, "train.svm"), model = Path.Combine(folder, "model");
            var write = Stopwatch.StartNew();
            WriteLibSvm(problem, data);
            double writeSeconds = write.Elapsed.TotalSeconds;
            string c = problem.Penalty.C.ToString("R", CultureInfo.InvariantCulture);
            double Wall(string epsilon)
            {
                var watch = Stopwatch.StartNew();
                Execute(train, new[] { "-s", "0", "-c", c, "-B", "-1", "-e", epsilon, "-q", data, model }, TimeSpan.FromSeconds(capSeconds + 600), cancellation);
                return watch.Elapsed.TotalSeconds;
            }
            double firstRead = Wall("1e9");
            double read = firstRead;
            var runs = new List<LiblinearPeerResult.Run>();
            double total = read;
            LiblinearPeerResult.Run Train(double epsilon)
            {
                double wall = Wall(epsilon.ToString("R", CultureInfo.InvariantCulture));
                total += wall;
                double objective = problem.ExactValue(ReadModel(model, checked((int)problem.FeatureCount)));
                var run = new LiblinearPeerResult.Run(epsilon, wall, Math.Max(0, wall - read), objective);
                runs.Add(run);
                return run;
            }
            double? missed = null, reached = null;
            foreach (double epsilon in new[] { 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7 })
            {
                if (Train(epsilon).Objective <= target) { reached = epsilon; break; }
                missed = epsilon;
                if (total >= capSeconds) break;
            }
            // A decade can overshoot: two bisections in log ε between the last tolerance that missed and the first that reached.
            for (int step = 0; step < RefinementSteps && missed is double high && reached is double low && total < capSeconds; step++)
            {
                double middle = Math.Sqrt(high * low);
                if (Train(middle).Objective <= target) reached = middle;
                else missed = middle;
            }
            double secondRead = Wall("1e9");
            read = (firstRead + secondRead) / 2;
            runs = runs.Select(r => r with { TrainSeconds = Math.Max(0, r.WallSeconds - read) }).ToList();
            var ours = Stopwatch.StartNew();
            var back = LibSvmFile.Load(data, checked((int)problem.FeatureCount));
            double oursRead = ours.Elapsed.TotalSeconds;
            long expected = problem.NonZeroCount;
            if (back.SampleCount != problem.SampleCount || (problem.Sparse != null && back.Features.NonZeroCount != expected))
                throw new InvalidOperationException($"The LIBSVM file of {problem.Name} reads back as {back.SampleCount} rows, {back.Features.NonZeroCount} non-zeros; expected {problem.SampleCount}, {expected}.");
            return new LiblinearPeerResult(writeSeconds, new FileInfo(data).Length, read, runs, target) { ReadSecondsRange = (firstRead, secondRead), OurReadSeconds = oursRead };
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Rows as LIBSVM text: label +1 for class 1, −1 for class 0, then the non-zero features (1-based) in round-trip form.</summary>
    internal static void WriteLibSvm(BenchmarkProblem problem, string path)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        var line = new StringBuilder();
        if (problem.Sparse is { } sparse)
        {
            var x = sparse.Features;
            for (int i = 0; i < x.RowCount; i++)
            {
                line.Clear();
                line.Append(sparse.Labels[i] == 1 ? "+1" : "-1");
                for (int p = x.RowPointers[i]; p < x.RowPointers[i + 1]; p++)
                    line.Append(' ').Append(x.ColumnIndices[p] + 1).Append(':').Append(x.Values[p].ToString("R", CultureInfo.InvariantCulture));
                writer.WriteLine(line);
            }
            return;
        }
        var data = problem.Data;
        for (int i = 0; i < data.SampleCount; i++)
        {
            line.Clear();
            line.Append(data.Labels[i] == 1 ? "+1" : "-1");
            for (int j = 0; j < data.FeatureCount; j++)
            {
                double value = data.Features[(long)i * data.FeatureCount + j];
                if (value != 0) line.Append(' ').Append(j + 1).Append(':').Append(value.ToString("R", CultureInfo.InvariantCulture));
            }
            writer.WriteLine(line);
        }
    }

    /// <summary>θ from a binary LIBLINEAR model: w when its first label is +1 (its decision value is for that label), else −w.</summary>
    internal static double[] ReadModel(string path, int featureCount)
    {
        var lines = File.ReadAllLines(path);
        int at = Array.FindIndex(lines, l => l.Trim() == "w");
        var label = lines.FirstOrDefault(l => l.StartsWith("label ", StringComparison.Ordinal))?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (at < 0 || label is not { Length: 3 }) throw new InvalidOperationException($"{path} is not a binary LIBLINEAR model (no 'label a b' and 'w' lines).");
        double sign = label[1] == "1" || label[1] == "+1" ? 1 : -1;
        // nr_feature is the largest index in the file: columns after it (all zero in the data) have w = 0.
        var stored = lines.FirstOrDefault(l => l.StartsWith("nr_feature ", StringComparison.Ordinal))?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int count = stored is { Length: 2 } ? Math.Min(featureCount, int.Parse(stored[1], CultureInfo.InvariantCulture)) : featureCount;
        var theta = new double[featureCount];
        for (int j = 0; j < count; j++)
            theta[j] = sign * double.Parse(lines[at + 1 + j].Trim(), CultureInfo.InvariantCulture);
        return theta;
    }

    /// <summary>Runs <paramref name="program"/> with the scikit-learn peer's process runner; a non-zero exit is an error naming its last stderr line.</summary>
    private static void Execute(string program, IEnumerable<string> args, TimeSpan timeout, CancellationToken cancellation)
    {
        var (code, _, stderr) = ScikitLearnPeer.Execute(program, args, timeout, cancellation);
        if (code != 0)
            throw new InvalidOperationException($"{program} failed (exit {code}): {stderr.Trim().Split('\n').LastOrDefault()}");
    }
}
