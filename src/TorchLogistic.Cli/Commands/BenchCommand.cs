using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchLogistic.Optim;
using TorchLogistic.Performance;
using TorchLogistic.Training;
using static TorchSharp.torch;

namespace TorchLogistic.Cli.Commands;

/// <summary>
/// <c>torchlogistic bench</c>: per problem, the cached optimum, the machine floor of one evaluation, one run
/// per solver from θ = 0 to F*·(1 + 1e-6), analytic against autograd, and scikit-learn's lbfgs to the same target —
/// all measured in the same run, so that the printed ratios compare like with like — and PASS/MISS per target.
/// </summary>
internal static class BenchCommand
{
    /// <summary>Solvers left out of the default lists: first-order methods need 10³–10⁵ evaluations here, and owlqn is lbfgs for L2.</summary>
    private static readonly SolverKind[] SlowOrRedundant = { SolverKind.Gd, SolverKind.GdLipschitz, SolverKind.Adagrad, SolverKind.Sgd, SolverKind.Fista, SolverKind.OwlQn };

    /// <summary>Largest θ for which the default list includes newton (its Hessian has n² entries and a Cholesky of n³/3 operations).</summary>
    private const int NewtonMaxParameters = 1000;

    /// <summary>Timings of each reader in <c>--problem read</c> (the fastest is reported).</summary>
    private const int ReadRepeats = 2;

    private static readonly Option<string> Problem = new("--problem") { Description = $"{string.Join(", ", BenchmarkProblem.Names)}, or all; or {Bench.SparseMemoryBench.Name} (peak memory of sparse LIBSVM training against the dense size, and scikit-learn on the same file); or {Bench.ReadBench.Name} (reading Fashion-MNIST binary as LIBSVM and CSV against liblinear-train's read, best of {ReadRepeats}); or {string.Join(", ", Bench.CrossValidationBench.Names)} (5-fold × 10-C cross-validation against scikit-learn's LogisticRegressionCV on the same folds).", Required = true };
    private static readonly Option<double?> CvTol = new("--cv-tol") { Description = "--problem cv-*: our fold fits' tolerance, max |∇F| of the mean-form objective, and scikit-learn's unless --cv-peer-tol says otherwise (default 1e-10 for cv-digits, where the fold scores are the optima's; 1e-8 for cv-fashion-mnist, where it is the exact reference: the loosest of 1e-4 … 1e-7 as accurate as scikit-learn is then timed too)." };
    private static readonly Option<int> CvRows = new("--cv-rows") { Description = "--problem cv-fashion-mnist: the first N training images (0: all 60 000).", DefaultValueFactory = _ => 3_000 };
    private static readonly Option<string> CvSolver = new("--cv-solver") { Description = "--problem cv-*: our fold fits' solver (default auto: what CrossValidationOptions.SolverFor picks).", DefaultValueFactory = _ => "auto" };
    private static readonly Option<double?> CvPeerTol = new("--cv-peer-tol") { Description = "--problem cv-*: scikit-learn's tol (default: --cv-tol's number; for cv-fashion-mnist without --cv-tol 1e-4, scikit-learn's default). scikit-learn 1.2's lbfgs stops once max |g| of its sum-form objective Σℓ + ‖W‖²/(2C) is ≤ tol, and that gradient is m_train times our mean-form one: its tol τ is our τ / m_train (scipy's ftol may stop it earlier)." };
    private static readonly Option<string?> CvPeerJson = new("--cv-peer-json") { Description = "--problem cv-*: use the JSON line an earlier bench/peers/sklearn_cv.py run printed (on this bench's rows, folds and grid) as the scikit-learn side instead of running it; its seconds are from that run and labelled so." };
    private static readonly Option<string> CvPeerSolver = new("--cv-peer-solver") { Description = "--problem cv-*: scikit-learn's solvers, comma-separated (lbfgs, its default; newton-cg; newton-cholesky; …), each a row in the same run; none: as --peer none.", DefaultValueFactory = _ => "lbfgs" };
    private static readonly Option<string> Solvers = new("--solvers") { Description = "Comma-separated solvers (default: the registry's second-order and quasi-Newton solvers; newton only while K·(d+1) ≤ 1000); none: only the floor and analytic vs autograd (with --peer none, no optimum is needed).", DefaultValueFactory = _ => "" };
    private static readonly Option<string> Dtype = new("--dtype") { Description = "auto (float32 for fashion-mnist, float64 for the small problems), float32 or float64.", DefaultValueFactory = _ => "auto" };
    private static readonly Option<int> Threads = new("--threads") { Description = "libtorch threads (0: the library's choice — 1 for the small problems, every core for fashion-mnist).", DefaultValueFactory = _ => 0 };
    private static readonly Option<string> Peer = new("--peer") { Description = "sklearn: also time scikit-learn's lbfgs to the same target when /usr/bin/python3 has it; none: skip.", DefaultValueFactory = _ => "sklearn" };
    private static readonly Option<double> PeerTimeout = new("--peer-timeout") { Description = "Seconds after which scikit-learn is stopped and reported as not reaching the target.", DefaultValueFactory = _ => 900 };
    private static readonly Option<string?> PeerScript = new("--peer-script") { Description = "Path of sklearn_time_to_target.py (default: the copy beside the executable)." };
    private static readonly Option<double> C = new("--C") { Description = "Inverse regularisation strength of the L2 penalty.", DefaultValueFactory = _ => 1.0 };
    private static readonly Option<int> MaxIter = new("--max-iter") { Description = "Iteration limit of each solver run.", DefaultValueFactory = _ => 100_000 };
    private static readonly Option<double> MaxSeconds = new("--max-seconds") { Description = "Limit on each solver run's timed seconds.", DefaultValueFactory = _ => 900 };
    private static readonly Option<int> Repeats = new("--repeats") { Description = "Timings of each path for analytic vs autograd (the fastest is reported).", DefaultValueFactory = _ => 10 };
    private static readonly Option<string?> Optima = new("--optima") { Description = "The optimum cache (default: bench/optima.json in the current folder or above it)." };
    private static readonly Option<string?> OptimumStart = new("--optimum-start") { Description = "metrics.json of a `train` run on the same problem: where the optimum's search starts when it is not cached (it must still converge to the tolerance)." };
    private static readonly Option<string?> DataDir = new("--data-dir") { Description = "Folder of Fashion-MNIST's IDX files (default /usr/share/datasets/fashion-mnist)." };
    private static readonly Option<string?> Json = new("--json") { Description = "Also write every number to this JSON file." };

    private static readonly Option<bool> StreamCheck = new("--stream-check") { Description = "After the problems, the streaming memory benchmark: peak memory of train --stream on Fashion-MNIST ×10 against ×1 (exit status 1 on a miss)." };
    private static readonly Option<int> StreamEpochs = new("--stream-epochs") { Description = "Epochs of each --stream-check run.", DefaultValueFactory = _ => 1 };

    private static readonly Option<int> SparseRows = new("--sparse-rows") { Description = $"--problem {Bench.SparseMemoryBench.Name}: rows.", DefaultValueFactory = _ => 100_000 };
    private static readonly Option<int> SparseColumns = new("--sparse-columns") { Description = $"--problem {Bench.SparseMemoryBench.Name}: columns.", DefaultValueFactory = _ => 50_000 };
    private static readonly Option<double> SparseDensity = new("--sparse-density") { Description = $"--problem {Bench.SparseMemoryBench.Name}: share of non-zeros.", DefaultValueFactory = _ => 0.001 };
    private static readonly Option<double> SparseTol = new("--sparse-tol") { Description = $"--problem {Bench.SparseMemoryBench.Name}: tolerance of both fits (max |gradient| of the mean objective).", DefaultValueFactory = _ => 1e-12 };

    public static Command Create()
    {
        var command = new Command("bench",
            "Benchmark: evaluations, ms per evaluation against the machine's floor, time to F*·(1 + 1e-6), peak memory and threads per solver; " +
            "analytic vs autograd; scikit-learn's lbfgs to the same target; PASS/MISS against the performance targets.")
        {
            Problem, Solvers, Dtype, Threads, Peer, PeerTimeout, PeerScript, C, MaxIter, MaxSeconds, Repeats, Optima, OptimumStart, DataDir, Json,
            StreamCheck, StreamEpochs, SparseRows, SparseColumns, SparseDensity, SparseTol, CvTol, CvRows, CvSolver, CvPeerTol, CvPeerJson, CvPeerSolver,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(Run(parse, cancellation)));
        return command;
    }

    private static int Run(ParseResult parse, CancellationToken cancellation)
    {
        string problemName = parse.GetValue(Problem)!;
        if (problemName == Bench.ReadBench.Name)
        {
            double timeout = parse.GetValue(PeerTimeout);
            if (!(timeout > 0) || !double.IsFinite(timeout)) throw new ArgumentException($"--peer-timeout {timeout} must be a number of seconds > 0 (try 900).");
            return Bench.ReadBench.Run(Console.Out, parse.GetValue(DataDir), ReadRepeats, timeout, cancellation);
        }
        if (problemName == Bench.SparseMemoryBench.Name)
        {
            double sparseC = parse.GetValue(C);
            if (!(sparseC > 0) || !double.IsFinite(sparseC)) throw new ArgumentException($"--C {sparseC} must be a finite number > 0 (try 1).");
            double sparseTol = parse.GetValue(SparseTol);
            if (!(sparseTol > 0)) throw new ArgumentException($"--sparse-tol {sparseTol} must be > 0 (try 1e-12).");
            string sparsePeer = parse.GetValue(Peer)!;
            if (sparsePeer is not ("sklearn" or "none")) throw new ArgumentException($"--peer '{sparsePeer}' is not supported. Use sklearn or none.");
            return Bench.SparseMemoryBench.Run(Console.Out, parse.GetValue(SparseRows), parse.GetValue(SparseColumns), parse.GetValue(SparseDensity), sparseC,
                sparseTol, Math.Max(1, parse.GetValue(MaxIter)), sparsePeer == "sklearn", parse.GetValue(PeerTimeout),
                parse.GetValue(PeerScript) ?? Path.Combine(AppContext.BaseDirectory, "peers", "sklearn_sparse_libsvm.py"), cancellation);
        }
        if (Bench.CrossValidationBench.Names.Contains(problemName))
        {
            double cvTol = parse.GetValue(CvTol) ?? (problemName == "cv-digits" ? Selection.CrossValidationOptions.DefaultTolerance : Bench.CrossValidationBench.FashionExactTolerance);
            if (!(cvTol > 0) || !double.IsFinite(cvTol)) throw new ArgumentException($"--cv-tol {cvTol} must be a finite number > 0 (try 1e-10).");
            if (parse.GetValue(CvRows) < 0) throw new ArgumentException($"--cv-rows {parse.GetValue(CvRows)} must be ≥ 0 (0: all rows).");
            string cvPeer = parse.GetValue(Peer)!;
            if (cvPeer is not ("sklearn" or "none")) throw new ArgumentException($"--peer '{cvPeer}' is not supported. Use sklearn or none.");
            double cvTimeout = parse.GetValue(PeerTimeout);
            if (!(cvTimeout > 0) || !double.IsFinite(cvTimeout)) throw new ArgumentException($"--peer-timeout {cvTimeout} must be a number of seconds > 0 (try 900).");
            string cvSolverName = parse.GetValue(CvSolver)!;
            if (!Optim.SolverRegistry.TryParse(cvSolverName, out var cvSolver))
                throw new ArgumentException($"--cv-solver '{cvSolverName}' is not a solver. Use auto or one of: {string.Join(", ", Optim.SolverRegistry.Names)}.");
            double cvPeerTol = parse.GetValue(CvPeerTol) ?? (problemName == "cv-digits" || parse.GetValue(CvTol) is not null ? cvTol : 1e-4);
            if (!(cvPeerTol > 0) || !double.IsFinite(cvPeerTol)) throw new ArgumentException($"--cv-peer-tol {cvPeerTol} must be a finite number > 0 (try 1e-4).");
            return Bench.CrossValidationBench.Run(Console.Out, problemName, parse.GetValue(CvRows), cvTol, cvPeer == "sklearn" && parse.GetValue(CvPeerSolver) != "none" ? parse.GetValue(CvPeerSolver) : null,
                cvTimeout, parse.GetValue(DataDir), cancellation, cvSolver, cvPeerTol, parse.GetValue(CvPeerJson));
        }
        var problems = problemName == "all" ? BenchmarkProblem.Names.ToArray()
            : BenchmarkProblem.Names.Contains(problemName) ? new[] { problemName }
            : throw new ArgumentException($"--problem '{problemName}' is not a benchmark problem. Use one of: {string.Join(", ", BenchmarkProblem.Names)}, {Bench.SparseMemoryBench.Name}, {Bench.ReadBench.Name}, {string.Join(", ", Bench.CrossValidationBench.Names)}, or all.");
        var requestedNames = parse.GetValue(Solvers)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        // null: the default list; "none": no solver.
        SolverKind[]? requested = requestedNames.Length == 0 ? null
            : requestedNames.SequenceEqual(new[] { "none" }) ? Array.Empty<SolverKind>()
            : requestedNames.Select(SolverRegistry.Parse).ToArray();
        foreach (var s in requested ?? Array.Empty<SolverKind>()) SolverRegistry.Check(s, Objectives.PenaltyKind.L2);
        string dtypeName = parse.GetValue(Dtype)!;
        ScalarType? dtype = dtypeName switch
        {
            "auto" => null,
            "float32" => ScalarType.Float32,
            "float64" => ScalarType.Float64,
            _ => throw new ArgumentException($"--dtype '{dtypeName}' is not supported. Use auto, float32 or float64."),
        };
        int threads = ThreadCount.Check(parse.GetValue(Threads), minimum: 0);
        string peer = parse.GetValue(Peer)!;
        if (peer is not ("sklearn" or "none")) throw new ArgumentException($"--peer '{peer}' is not supported. Use sklearn or none.");
        double peerTimeout = parse.GetValue(PeerTimeout);
        if (!(peerTimeout > 0) || !double.IsFinite(peerTimeout)) throw new ArgumentException($"--peer-timeout {peerTimeout} must be a number of seconds > 0 (try 900).");
        double c = parse.GetValue(C);
        if (!(c > 0) || !double.IsFinite(c)) throw new ArgumentException($"--C {c} must be a finite number > 0 (try 1).");
        int maxIter = parse.GetValue(MaxIter);
        if (maxIter < 1) throw new ArgumentException($"--max-iter {maxIter} must be ≥ 1.");
        double maxSeconds = parse.GetValue(MaxSeconds);
        if (!(maxSeconds > 0)) throw new ArgumentException($"--max-seconds {maxSeconds} must be > 0.");
        if (parse.GetValue(StreamEpochs) < 1) throw new ArgumentException($"--stream-epochs {parse.GetValue(StreamEpochs)} must be ≥ 1.");
        int repeats = parse.GetValue(Repeats);
        if (repeats < 1) throw new ArgumentException($"--repeats {repeats} must be ≥ 1.");
        string script = parse.GetValue(PeerScript) ?? Path.Combine(AppContext.BaseDirectory, "peers", "sklearn_time_to_target.py");
        string optimaPath = parse.GetValue(Optima) ?? DefaultOptimaPath();
        var cache = new OptimumCache(optimaPath);
        string? jsonPath = parse.GetValue(Json);
        string? optimumStart = parse.GetValue(OptimumStart);
        double[]? warmStart = optimumStart == null ? null : ThetaFromMetrics(optimumStart);

        string? peerSkipped = peer == "none" ? "--peer none" : ScikitLearnPeer.UnavailableReason();
        var reports = new List<BenchmarkReport>();
        foreach (string name in problems)
        {
            cancellation.ThrowIfCancellationRequested();
            var report = RunProblem(BenchmarkProblem.Load(name, c, parse.GetValue(DataDir)), requested, dtype, threads, maxIter, maxSeconds, repeats,
                cache, peerSkipped, script, peerTimeout, warmStart == null ? null : (warmStart, optimumStart!), cancellation);
            reports.Add(report);
        }
        if (jsonPath != null)
        {
            var root = new JsonObject
            {
                ["benchmark"] = "torchlogistic bench",
                ["machine"] = new JsonObject { ["processors"] = Environment.ProcessorCount, ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription },
                ["problems"] = new JsonArray(reports.Select(r => (JsonNode)r.ToJson()).ToArray()),
            };
            using var output = OutputSet.File(jsonPath, optimaPath, parse.GetValue(OptimumStart));
            output.WriteText("", root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
            output.Commit(cancellation);
        }
        return parse.GetValue(StreamCheck) ? Bench.StreamingMemoryBench.Run(Console.Out, parse.GetValue(DataDir), parse.GetValue(StreamEpochs), cancellation) : 0;
    }

    private static BenchmarkReport RunProblem(BenchmarkProblem problem, SolverKind[]? requested, ScalarType? dtypeOption, int threads, int maxIter,
        double maxSeconds, int repeats, OptimumCache cache, string? peerSkipped, string script, double peerTimeout, (double[] Theta, string Path)? warmStart,
        CancellationToken cancellation)
    {
        var dtype = dtypeOption ?? problem.DefaultDType;
        set_num_threads(threads > 0 ? threads : ThreadPolicy.Choose(problem.SampleCount, problem.FeatureCount, problem.OutputCount));
        var solvers = requested ?? DefaultSolvers(problem);
        Console.WriteLine($"== {problem.Describe()}; {dtype.ToString().ToLowerInvariant()}, {get_num_threads()} libtorch thread(s) ==");

        var floor = MachineFloor.Measure(problem.XBytes(dtype), dtype);
        var report = new BenchmarkReport(problem, dtype, null, null, floor, Array.Empty<SolverBenchmarkResult>(), null, null, peerSkipped, null);
        Console.WriteLine(report.FloorLine());
        if (problem.FitIntercept)
        {
            // The autograd path's modules always have an intercept.
            var gradients = GradientPathBenchmark.Measure(problem, GradientPathBenchmark.SeededTheta(problem.ParameterCount), dtype, repeats);
            report = report with { Gradients = gradients };
            Console.WriteLine($"analytic vs autograd (one value+gradient at a seeded θ): {gradients}");
        }
        if (solvers.Length == 0 && peerSkipped != null)
        {
            Finish(report);
            return report;
        }

        var (optimum, _) = cache.GetOrCompute(problem, Console.Out, cancellation, warmStart?.Theta, warmStart == null ? null : $"θ of {warmStart.Value.Path}");
        var check = OptimumCache.Reevaluate(problem, optimum);
        if (Math.Abs(check.Objective - optimum.Objective) > 1e-12 * Math.Abs(optimum.Objective) || !(check.GradientInfNorm <= 10 * Math.Max(optimum.Tolerance, optimum.GradientInfNorm)))
        {
            Console.WriteLine(FormattableString.Invariant(
                $"the cached optimum does not re-evaluate to itself here (F = {check.Objective:R}, ‖∇F‖∞ = {check.GradientInfNorm:0.0e+0}); recomputing it from the cached θ*."));
            optimum = OptimumCache.Compute(problem, optimum.Theta, "warm: the previous cache entry's θ*", cancellation);
            cache.Store(optimum);
            check = OptimumCache.Reevaluate(problem, optimum);
        }
        report = report with { Optimum = optimum, OptimumReevaluated = check };
        Console.WriteLine(report.OptimumLine());

        var runs = new List<SolverBenchmarkResult>();
        foreach (var solver in solvers)
        {
            Console.Error.WriteLine(FormattableString.Invariant($"  {problem.Name}: running {SolverRegistry.NameOf(solver)} (at most {maxIter} iterations, {maxSeconds:G} s)…"));
            runs.Add(SolverBenchmark.Run(problem, solver, dtype, optimum.Target(BenchmarkReport.RelativeTarget), maxIter, maxSeconds, cancellation));
        }
        report = report with { Runs = runs };
        if (runs.Count > 0)
        {
            Console.WriteLine();
            Console.Write(report.Table());
            Console.WriteLine();
        }

        if (!problem.FitIntercept)
        {
            // Without intercept the peer is LIBLINEAR (-B -1); scikit-learn's script fits one.
            string? reason = peerSkipped ?? LiblinearPeer.UnavailableReason();
            if (reason == null)
            {
                Console.Error.WriteLine(FormattableString.Invariant($"  {problem.Name}: running LIBLINEAR (cap {peerTimeout:G} s)…"));
                report = report with { Liblinear = LiblinearPeer.Run(problem, optimum.Target(BenchmarkReport.RelativeTarget), peerTimeout, cancellation: cancellation) };
                if (report.Fastest is { } fastest)
                {
                    // The load drifts on a shared machine: LIBLINEAR is judged against ours before and after it.
                    Console.Error.WriteLine($"  {problem.Name}: running {SolverRegistry.NameOf(fastest.Solver)} again after LIBLINEAR…");
                    report = report with { FastestAfterLiblinear = SolverBenchmark.Run(problem, fastest.Solver, dtype, optimum.Target(BenchmarkReport.RelativeTarget), maxIter, maxSeconds, cancellation) };
                }
                Console.WriteLine(report.LiblinearLine());
            }
            else
            {
                Console.WriteLine($"LIBLINEAR: skipped ({reason})");
            }
            report = report with { PeerSkipped = "no intercept: the peer is LIBLINEAR" };
        }
        else if (peerSkipped == null)
        {
            Console.Error.WriteLine(FormattableString.Invariant($"  {problem.Name}: running scikit-learn (cap {peerTimeout:G} s)…"));
            var result = ScikitLearnPeer.Run(problem, optimum.Target(BenchmarkReport.RelativeTarget), script, peerTimeout, cancellation: cancellation);
            report = report with { Peer = result, PeerObjectiveOurs = problem.ExactValue(result.Theta) };
        }
        Finish(report);
        return report;
    }

    private static void Finish(BenchmarkReport report)
    {
        Console.WriteLine(report.PeerLine());
        Console.WriteLine(report.Problem.Name == Data.FashionMnist.Name
            ? "targets (Fashion-MNIST softmax, C = 1):"
            : "targets (set for fashion-mnist; shown here for information):");
        foreach (var target in report.Targets()) Console.WriteLine("  " + target);
        Console.WriteLine();
    }

    private static SolverKind[] DefaultSolvers(BenchmarkProblem problem) => SolverRegistry.Kinds
        .Where(s => !SlowOrRedundant.Contains(s))
        .Where(s => s is not (SolverKind.Newton or SolverKind.NewtonHcg) || problem.ParameterCount <= NewtonMaxParameters)
        .Where(s => s != SolverKind.NewtonSubspace || problem.Sparse is null)   // its (d+1)² eigenvectors need dense features
        .ToArray();

    /// <summary>θ = [vec(W); b] from the coef and intercept of a <c>train</c> run's metrics.json.</summary>
    private static double[] ThetaFromMetrics(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"--optimum-start {path} does not exist. Give the metrics.json of a train run.", path);
        string fix = $"--optimum-start {Messages.Cut(path)} is not a train run's metrics.json with coef and intercept";
        JsonNode? json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{fix} ({Messages.OneLine(e.Message)}).");
        }
        if (json is not JsonObject { } run || run["coef"] is not JsonArray coefficients || run["intercept"] is not JsonArray intercept)
            throw new ArgumentException($"{fix} (no coef or intercept array).");
        var values = new List<double>();
        foreach (var node in coefficients.SelectMany(row => row is JsonArray r ? r : new JsonArray { row?.DeepClone() }).Concat(intercept))
        {
            if (node is not JsonValue v || !v.TryGetValue(out double x))
                throw new ArgumentException($"{fix} (a coefficient is not a number).");
            values.Add(x);
        }
        return values.ToArray();
    }

    /// <summary>bench/optima.json in the current folder or the nearest folder above it that has one; else in the current folder.</summary>
    private static string DefaultOptimaPath()
    {
        string relative = Path.Combine("bench", "optima.json");
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate)) return candidate;
        }
        return Path.GetFullPath(relative);
    }
}
