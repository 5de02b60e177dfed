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
/// (<c>bench/peers/sklearn_cv.py</c>, one or more solvers) on the same rows, the same seeded stratified folds
/// (<c>PredefinedSplit</c>) and the same grid, in the same run. Every side's accuracy is stated against the exact fold
/// scores — ours at <see cref="ExactTolerance"/> — as max |fold score − exact| over C &lt; 1e4 and at C = 1e4 (where the
/// held-out loss is most sensitive to how far a fit is from its optimum). When a peer stops short of 1e-6 of the exact
/// scores, ours also runs at the loosest tolerance of 1e-4 … 1e-9 whose scores are at least as accurate as that peer's,
/// and that ratio is printed too, labelled as such; the ratio at the requested tolerance is always printed. Wall and
/// process CPU seconds of both sides (on a shared machine the load average is printed with them). Searches only:
/// neither side refits.
/// </summary>
public static class CrossValidationBench
{
    /// <summary>The problem names.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "cv-digits", "cv-fashion-mnist" };

    /// <summary>Tolerance of the reference run whose fold scores every side is measured against (digits; Fashion-MNIST's newton-cg uses <see cref="FashionExactTolerance"/>).</summary>
    public const double ExactTolerance = 1e-12;

    /// <summary>Fashion-MNIST's reference tolerance: 1e-12 with newton-cg on 7 850 parameters takes many times the search itself.</summary>
    public const double FashionExactTolerance = 1e-8;

    /// <summary>One side's search: seconds (wall, CPU), fold scores, best C.</summary>
    private sealed record Side(string Label, double Tolerance, double Seconds, double CpuSeconds, double[][] Scores, double BestC);

    /// <summary>Runs the benchmark; returns the exit status (0).</summary>
    /// <param name="output">Where the table goes.</param>
    /// <param name="name">cv-digits (1 797 × 64 pixels / 16, 10 classes) or cv-fashion-mnist (the first <paramref name="rows"/> training images, 784 pixels in [0, 1]).</param>
    /// <param name="rows">Rows of Fashion-MNIST (0: all 60 000).</param>
    /// <param name="tolerance">
    /// Our tolerance: max |∇F| of the mean-form objective F = Σℓ/m + ‖W‖²/(2C·m). The same number is scikit-learn's tol
    /// unless <paramref name="peerTolerance"/> is given, but it does not mean the same: scikit-learn 1.2's lbfgs stops on
    /// max |g| of the sum form m·F (so its τ is our τ/m_train, 2 400 rows per Fashion-MNIST fold: its default 1e-4 is our
    /// 4.2e-8), or earlier on scipy's ftol. Hence the comparison at equal fold scores, not at equal tol.
    /// </param>
    /// <param name="peerSolvers">scikit-learn's solvers, comma-separated (lbfgs, newton-cg, …), or null to skip it.</param>
    /// <param name="peerTimeout">Seconds after which scikit-learn is killed and the ratio reported as "≥".</param>
    /// <param name="dataDir">Fashion-MNIST's folder.</param>
    /// <param name="cancellation">Stops the run.</param>
    /// <param name="solver">Our fold fits' solver (<see cref="Optim.SolverKind.Auto"/>: <see cref="CrossValidationOptions.SolverFor"/>'s).</param>
    /// <param name="peerJson">The output of an earlier <c>sklearn_cv.py</c> run on this bench's rows and folds, used as the peer instead of running it (its seconds are from that run, and labelled so).</param>
    /// <param name="peerTolerance">scikit-learn's tol (null: <paramref name="tolerance"/>). Its lbfgs stops on max |g| of the sum-form objective, m_train times our mean-form gradient.</param>
    public static int Run(TextWriter output, string name, int rows, double tolerance, string? peerSolvers, double peerTimeout, string? dataDir, CancellationToken cancellation,
        Optim.SolverKind solver = Optim.SolverKind.Auto, double? peerTolerance = null, string? peerJson = null)
    {
        Dataset data = name == "cv-digits" ? Scaled(BuiltinDatasets.Load("digits"), 1.0 / 16) : FashionMnist.Load(dataDir).Train;
        if (name != "cv-digits" && rows > 0 && rows < data.SampleCount) data = data.Subset(Enumerable.Range(0, rows).ToArray());
        double[] cs = CrossValidationOptions.DefaultCs;
        int[] folds = StratifiedFolds.Assign(data.Labels, data.ClassCount, 5, 0);
        output.WriteLine(FormattableString.Invariant(
            $"== {name}: {data.SampleCount} × {data.FeatureCount}, {data.ClassCount} classes, softmax L2; 5 seeded stratified folds × 10 C (1e-4 … 1e4), held-out log loss; tol {tolerance:G3}; {Load()} =="));

        TorchSharp.torch.set_num_threads(1);
        var options = new TrainingOptions { Model = ModelKind.Softmax, MaxIterations = 100_000, Solver = solver };
        var cv = new CrossValidationOptions { Cs = cs, FoldAssignment = folds, KeepOutOfFold = false, Parallelism = Environment.ProcessorCount };
        int dimension = (data.FeatureCount + 1) * data.ClassCount;
        string solverName = Optim.SolverRegistry.NameOf(CrossValidationOptions.SolverFor(options, dimension, data.FeatureCount, data.ClassCount));
        Side Ours(double tol, out CrossValidationResult result)
        {
            var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            result = CrossValidation.Run(data, options, cv with { Tolerance = tol }, cancellation);
            double wall = clock.Elapsed.TotalSeconds;
            double cpuSeconds = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            return new Side(FormattableString.Invariant($"TorchLogistic {solverName}"), tol, wall, cpuSeconds, result.FoldScores[0], result.BestC);
        }
        var ours = Ours(tolerance, out var oursResult);
        output.WriteLine(FormattableString.Invariant(
            $"TorchLogistic: {ours.Seconds:F2} s wall, {ours.CpuSeconds:F2} s CPU (solver {solverName}, {cv.Parallelism} folds at a time, 1 libtorch thread each; {oursResult.Iterations[0].Sum(f => f.Sum())} iterations; all converged: {oursResult.Converged[0].All(f => f.All(c => c))}); best C {ours.BestC:G4}; {Load()}"));
        output.WriteLine("  iterations per C (5 folds): " + string.Join("  ", cs.Select((c, j) => FormattableString.Invariant($"{c:G2}:{oursResult.Iterations[0].Sum(f => f[j])}"))));
        var sides = new List<(Side Side, string Note)> { (ours, "") };
        var peers = new List<Side>();
        if (peerJson != null)
        {
            // A run of bench/peers/sklearn_cv.py made earlier on this bench's files: its seconds are from another run.
            var peer = ParsePeer(File.ReadAllText(peerJson).Trim().Split('\n')[^1], $"scikit-learn {peerSolvers ?? "lbfgs"} (file)", peerTolerance ?? tolerance, out string summary);
            output.WriteLine($"scikit-learn from {peerJson} (NOT this run: its seconds were measured at another time): {summary}");
            peers.Add(peer);
        }
        else if (peerSolvers == null) output.WriteLine("scikit-learn: skipped (--peer none)");
        else if (ScikitLearnPeer.UnavailableReason() is { } unavailable) output.WriteLine($"scikit-learn: skipped ({unavailable})");
        else
        {
            foreach (string peerSolver in peerSolvers.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var peer = Peer(output, data, folds, cs, peerSolver, peerTolerance ?? tolerance, peerTimeout, ours.Seconds, cancellation);
                if (peer != null) peers.Add(peer);
            }
        }
        double exactTolerance = name == "cv-digits" ? ExactTolerance : FashionExactTolerance;
        var exact = tolerance <= exactTolerance ? ours : Ours(exactTolerance, out _);
        output.WriteLine(FormattableString.Invariant($"exact fold scores: ours at tol {exactTolerance:G2} ({exact.Seconds:F2} s, not compared); {Load()}"));
        output.WriteLine("  exact fold_scores (folds × C): [" + string.Join(", ", exact.Scores.Select(f => "[" + string.Join(", ", f.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]")) + "]");
        foreach (var peer in peers)
        {
            sides.Add((peer, ""));
            var (peerBelow, peerTop) = Error(peer.Scores, exact.Scores, cs);
            double peerError = Math.Max(peerBelow, peerTop);
            if (peerError <= 1e-6) continue;
            // The peer stops short of the optimum: ours at the loosest tolerance that is at least as accurate.
            foreach (double loose in new[] { 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9 })
            {
                if (loose <= tolerance) break;
                var candidate = Ours(loose, out _);
                var (below, top) = Error(candidate.Scores, exact.Scores, cs);
                if (below <= peerBelow && top <= peerTop)
                {
                    sides.Add((candidate, FormattableString.Invariant($"loosest tol at least as accurate as {peer.Label}")));
                    break;
                }
            }
        }
        output.WriteLine();
        output.WriteLine(FormattableString.Invariant($"accuracy = max |fold score − exact| (exact: ours at tol {exactTolerance:G2}); ratio = scikit-learn's wall seconds / this row's; {Load()}"));
        output.WriteLine("problem            side                                        tol      wall s    CPU s   |Δ exact| C < 1e4   at C = 1e4   best C   ratios");
        foreach (var (side, note) in sides)
        {
            var (below, top) = Error(side.Scores, exact.Scores, cs);
            bool isPeer = peers.Contains(side);
            string ratios = isPeer ? "" : string.Join("  ", peers.Select(p => FormattableString.Invariant($"{p.Label.Replace("scikit-learn ", "")} {p.Seconds / side.Seconds:F1}×")));
            output.WriteLine(FormattableString.Invariant(
                $"{name,-17}  {side.Label,-42} {side.Tolerance,7:G2}  {side.Seconds,8:F2} {side.CpuSeconds,8:F2}   {below,17:E2}   {top,10:E2}   {side.BestC,6:G4}   {ratios}{(note.Length > 0 ? "  (" + note + ")" : "")}"));
        }
        return 0;
    }

    private static (double Below, double Top) Error(double[][] scores, double[][] exact, double[] cs)
    {
        double below = 0, top = 0;
        for (int fold = 0; fold < exact.Length; fold++)
        {
            for (int c = 0; c < cs.Length; c++)
            {
                double difference = Math.Abs(scores[fold][c] - exact[fold][c]);
                if (cs[c] < 1e4) below = Math.Max(below, difference); else top = Math.Max(top, difference);
            }
        }
        return (below, top);
    }

    private static Side? Peer(TextWriter output, Dataset data, int[] folds, double[] cs, string solver, double tolerance, double peerTimeout, double oursSeconds, CancellationToken cancellation)
    {
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
                "--Cs", string.Join(",", cs.Select(c => c.ToString("R", CultureInfo.InvariantCulture))), "--solver", solver,
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
                output.WriteLine(FormattableString.Invariant($"scikit-learn LogisticRegressionCV({solver}): stopped after {waited:F0} s (--peer-timeout) → ratio ≥ {waited / oursSeconds:F1}× against ours at the requested tol; {Load()}"));
                return null;
            }
            if (code != 0) throw new InvalidOperationException($"The scikit-learn cross-validation peer failed (exit {code}): {stderr.Trim().Split('\n').LastOrDefault()}");
            var side = ParsePeer(stdout, $"scikit-learn {solver}", tolerance, out string summary);
            output.WriteLine($"scikit-learn LogisticRegressionCV({solver}): {summary}; {Load()}");
            return side;
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static Side ParsePeer(string stdout, string label, double tolerance, out string summary)
    {
        var json = JsonNode.Parse(stdout)!;
        var scores = json["fold_scores"]!.AsArray().Select(r => r!.AsArray().Select(v => (double)v!).ToArray()).ToArray();
        var side = new Side(label, tolerance, (double)json["seconds"]!, (double)json["cpu_seconds"]!, scores, (double)json["C"]!);
        summary = FormattableString.Invariant(
            $"scikit-learn {(string?)json["sklearn"]}: {side.Seconds:F2} s wall, {side.CpuSeconds:F2} s CPU (fit only; max n_iter {(int)json["max_n_iter"]!}, {(int)json["warnings"]!} warnings); best C {side.BestC:G4}");
        return side;
    }

    private static string Load()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"load {fields[0]} {fields[1]} {fields[2]}";
        }
        catch (IOException)
        {
            return "load unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "load unknown";
        }
    }

    private static Dataset Scaled(Dataset raw, double factor) =>
        new(raw.Name, raw.Features.Select(v => v * factor).ToArray(), raw.SampleCount, raw.FeatureCount, raw.Labels, raw.Classes, raw.FeatureNames);
}
