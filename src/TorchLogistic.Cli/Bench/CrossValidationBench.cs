using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using TorchLogistic.Data;
using TorchLogistic.IO;
using TorchLogistic.Performance;
using TorchLogistic.Selection;
using TorchLogistic.Training;

namespace TorchLogistic.Cli.Bench;

/// <summary>
/// <c>torchlogistic bench --problem cv-digits|cv-fashion-mnist</c>: a 5-fold × 10-C search (C log-spaced over 1e-4 … 1e4,
/// held-out log loss) by <see cref="CrossValidation.Run"/> and by scikit-learn's <c>LogisticRegressionCV</c>
/// (<c>bench/peers/sklearn_cv.py</c>) on the same rows, the same seeded stratified folds (<c>PredefinedSplit</c>) and the same
/// grid, in the same run; prints the seconds of both, the ratio and the largest fold-score difference (over C &lt; 1e4 and at
/// C = 1e4, where the held-out loss is most sensitive to how far each fit is from its optimum). Searches only: neither side refits.
/// </summary>
public static class CrossValidationBench
{
    /// <summary>The problem names.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "cv-digits", "cv-fashion-mnist" };

    /// <summary>Runs the benchmark; returns the exit status (0).</summary>
    /// <param name="output">Where the table goes.</param>
    /// <param name="name">cv-digits (1 797 × 64 pixels / 16, 10 classes) or cv-fashion-mnist (the first <paramref name="rows"/> training images, 784 pixels in [0, 1]).</param>
    /// <param name="rows">Rows of Fashion-MNIST (0: all 60 000).</param>
    /// <param name="tolerance">Tolerance of both sides (max |∇| of the mean objective; scikit-learn's lbfgs also stops on scipy's ftol).</param>
    /// <param name="peerSolver">scikit-learn's solver (lbfgs, newton-cg, …), or null to skip it.</param>
    /// <param name="peerTimeout">Seconds after which scikit-learn is killed and the ratio reported as "≥".</param>
    /// <param name="dataDir">Fashion-MNIST's folder.</param>
    /// <param name="cancellation">Stops the run.</param>
    public static int Run(TextWriter output, string name, int rows, double tolerance, string? peerSolver, double peerTimeout, string? dataDir, CancellationToken cancellation)
    {
        Dataset data = name == "cv-digits" ? Scaled(BuiltinDatasets.Load("digits"), 1.0 / 16) : FashionMnist.Load(dataDir).Train;
        if (name != "cv-digits" && rows > 0 && rows < data.SampleCount) data = data.Subset(Enumerable.Range(0, rows).ToArray());
        double[] cs = CrossValidationOptions.DefaultCs;
        int[] folds = StratifiedFolds.Assign(data.Labels, data.ClassCount, 5, 0);
        output.WriteLine(FormattableString.Invariant(
            $"== {name}: {data.SampleCount} × {data.FeatureCount}, {data.ClassCount} classes, softmax L2; 5 seeded stratified folds × 10 C (1e-4 … 1e4), held-out log loss; tol {tolerance:G3} =="));

        TorchSharp.torch.set_num_threads(1);
        var options = new TrainingOptions { Model = ModelKind.Softmax, MaxIterations = 100_000 };
        var cv = new CrossValidationOptions { Cs = cs, FoldAssignment = folds, Tolerance = tolerance, KeepOutOfFold = false, Parallelism = Environment.ProcessorCount };
        var clock = Stopwatch.StartNew();
        var ours = CrossValidation.Run(data, options, cv, cancellation);
        double oursSeconds = clock.Elapsed.TotalSeconds;
        int dimension = (data.FeatureCount + 1) * data.ClassCount;
        output.WriteLine(FormattableString.Invariant(
            $"TorchLogistic: {oursSeconds:F2} s (solver {Optim.SolverRegistry.NameOf(CrossValidationOptions.SolverFor(options, dimension))}, {cv.Parallelism} folds at a time, 1 libtorch thread each; {ours.Iterations[0].Sum(f => f.Sum())} iterations; all converged: {ours.Converged[0].All(f => f.All(c => c))}); best C {ours.BestC:G4}"));
        if (peerSolver == null)
        {
            output.WriteLine("scikit-learn: skipped (--peer none)");
            return 0;
        }
        string? unavailable = ScikitLearnPeer.UnavailableReason();
        if (unavailable != null)
        {
            output.WriteLine($"scikit-learn: skipped ({unavailable})");
            return 0;
        }
        string folder = Path.Combine(Path.GetTempPath(), $"torchlogistic-cv-peer-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string x = Path.Combine(folder, "X.npy"), y = Path.Combine(folder, "y.npy"), f = Path.Combine(folder, "fold.npy");
            NpyFile.Write(x, data.Features, data.SampleCount, data.FeatureCount);
            NpyFile.Write(y, data.Labels, data.SampleCount);
            NpyFile.Write(f, folds, data.SampleCount);
            var args = new[]
            {
                Path.Combine(AppContext.BaseDirectory, "peers", "sklearn_cv.py"), "--x", x, "--y", y, "--fold", f,
                "--Cs", string.Join(",", cs.Select(c => c.ToString("R", CultureInfo.InvariantCulture))), "--solver", peerSolver,
                "--tol", tolerance.ToString("R", CultureInfo.InvariantCulture), "--max-iter", "10000",
            };
            var peerClock = Stopwatch.StartNew();
            int code;
            string stdout, stderr;
            try
            {
                (code, stdout, stderr) = ScikitLearnPeer.Execute(ScikitLearnPeer.DefaultPython, args, TimeSpan.FromSeconds(peerTimeout), cancellation);
            }
            catch (TimeoutException)
            {
                double waited = peerClock.Elapsed.TotalSeconds;
                output.WriteLine(FormattableString.Invariant($"scikit-learn LogisticRegressionCV({peerSolver}): stopped after {waited:F0} s (--peer-timeout) → ratio ≥ {waited / oursSeconds:F1}×"));
                return 0;
            }
            if (code != 0) throw new InvalidOperationException($"The scikit-learn cross-validation peer failed (exit {code}): {stderr.Trim().Split('\n').LastOrDefault()}");
            var json = JsonNode.Parse(stdout)!;
            double seconds = (double)json["seconds"]!;
            var theirs = json["fold_scores"]!.AsArray().Select(r => r!.AsArray().Select(v => (double)v!).ToArray()).ToArray();
            double below = 0, top = 0;
            for (int fold = 0; fold < theirs.Length; fold++)
            {
                for (int c = 0; c < cs.Length; c++)
                {
                    double difference = Math.Abs(theirs[fold][c] - ours.FoldScores[0][fold][c]);
                    if (cs[c] < 1e4) below = Math.Max(below, difference); else top = Math.Max(top, difference);
                }
            }
            output.WriteLine(FormattableString.Invariant(
                $"scikit-learn {(string?)json["sklearn"]} LogisticRegressionCV({peerSolver}): {seconds:F2} s (fit only; max n_iter {(int)json["max_n_iter"]!}, {(int)json["warnings"]!} warnings); best C {(double)json["C"]!:G4}"));
            output.WriteLine();
            output.WriteLine("problem            ours s   sklearn s   ratio   max |Δ fold score| C < 1e4   at C = 1e4   best C equal");
            output.WriteLine(FormattableString.Invariant(
                $"{name,-17} {oursSeconds,7:F2}   {seconds,9:F2}   {seconds / oursSeconds,5:F1}×   {below,24:E2}   {top,10:E2}   {(Math.Abs((double)json["C"]! - ours.BestC) <= 1e-9 * ours.BestC ? "yes" : "no")}"));
            return 0;
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static Dataset Scaled(Dataset raw, double factor) =>
        new(raw.Name, raw.Features.Select(v => v * factor).ToArray(), raw.SampleCount, raw.FeatureCount, raw.Labels, raw.Classes, raw.FeatureNames);
}
