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

    private static readonly Option<string> Problem = new("--problem") { Description = $"{string.Join(", ", BenchmarkProblem.names)}, or all.", Required = true };
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

    public static Command create()
    {
        var command = new Command("bench",
            "Benchmark: evaluations, ms per evaluation against the machine's floor, time to F*·(1 + 1e-6), peak memory and threads per solver; " +
            "analytic vs autograd; scikit-learn's lbfgs to the same target; PASS/MISS against the performance targets.")
        {
            Problem, Solvers, Dtype, Threads, Peer, PeerTimeout, PeerScript, C, MaxIter, MaxSeconds, Repeats, Optima, OptimumStart, DataDir, Json,
            StreamCheck, StreamEpochs,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(run(parse, cancellation)));
        return command;
    }

    private static int run(ParseResult parse, CancellationToken cancellation)
    {
        string problemName = parse.GetValue(Problem)!;
        var problems = problemName == "all" ? BenchmarkProblem.names.ToArray()
            : BenchmarkProblem.names.Contains(problemName) ? new[] { problemName }
            : throw new ArgumentException($"--problem '{problemName}' is not a benchmark problem. Use one of: {string.Join(", ", BenchmarkProblem.names)}, or all.");
        var requestedNames = parse.GetValue(Solvers)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        // null: the default list; "none": no solver.
        SolverKind[]? requested = requestedNames.Length == 0 ? null
            : requestedNames.SequenceEqual(new[] { "none" }) ? Array.Empty<SolverKind>()
            : requestedNames.Select(SolverRegistry.parse).ToArray();
        foreach (var s in requested ?? Array.Empty<SolverKind>()) SolverRegistry.check(s, Objectives.PenaltyKind.L2);
        string dtypeName = parse.GetValue(Dtype)!;
        ScalarType? dtype = dtypeName switch
        {
            "auto" => null,
            "float32" => ScalarType.Float32,
            "float64" => ScalarType.Float64,
            _ => throw new ArgumentException($"--dtype '{dtypeName}' is not supported. Use auto, float32 or float64."),
        };
        int threads = ThreadCount.check(parse.GetValue(Threads), minimum: 0);
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
        string optimaPath = parse.GetValue(Optima) ?? default_optima_path();
        var cache = new OptimumCache(optimaPath);
        string? jsonPath = parse.GetValue(Json);
        string? optimumStart = parse.GetValue(OptimumStart);
        double[]? warmStart = optimumStart == null ? null : theta_from_metrics(optimumStart);

        string? peerSkipped = peer == "none" ? "--peer none" : ScikitLearnPeer.unavailable_reason();
        var reports = new List<BenchmarkReport>();
        foreach (string name in problems)
        {
            cancellation.ThrowIfCancellationRequested();
            var report = run_problem(BenchmarkProblem.load(name, c, parse.GetValue(DataDir)), requested, dtype, threads, maxIter, maxSeconds, repeats,
                cache, peerSkipped, script, peerTimeout, warmStart == null ? null : (warmStart, optimumStart!), cancellation);
            reports.Add(report);
        }
        if (jsonPath != null)
        {
            var root = new JsonObject
            {
                ["benchmark"] = "torchlogistic bench",
                ["machine"] = new JsonObject { ["processors"] = Environment.ProcessorCount, ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription },
                ["problems"] = new JsonArray(reports.Select(r => (JsonNode)r.to_json()).ToArray()),
            };
            using var output = OutputSet.file(jsonPath, optimaPath, parse.GetValue(OptimumStart));
            output.write_text("", root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
            output.commit(cancellation);
        }
        return parse.GetValue(StreamCheck) ? Bench.StreamingMemoryBench.run(Console.Out, parse.GetValue(DataDir), parse.GetValue(StreamEpochs), cancellation) : 0;
    }

    private static BenchmarkReport run_problem(BenchmarkProblem problem, SolverKind[]? requested, ScalarType? dtypeOption, int threads, int maxIter,
        double maxSeconds, int repeats, OptimumCache cache, string? peerSkipped, string script, double peerTimeout, (double[] Theta, string Path)? warmStart,
        CancellationToken cancellation)
    {
        var dtype = dtypeOption ?? problem.default_dtype;
        set_num_threads(threads > 0 ? threads : ThreadPolicy.choose(problem.n_samples, problem.n_features, problem.n_outputs));
        var solvers = requested ?? default_solvers(problem);
        Console.WriteLine($"== {problem.describe()}; {dtype.ToString().ToLowerInvariant()}, {get_num_threads()} libtorch thread(s) ==");

        var floor = MachineFloor.measure(problem.x_bytes(dtype), dtype);
        var report = new BenchmarkReport(problem, dtype, null, null, floor, Array.Empty<SolverBenchmarkResult>(), null, null, peerSkipped, null);
        Console.WriteLine(report.floor_line());
        var gradients = GradientPathBenchmark.measure(problem, GradientPathBenchmark.seeded_theta(problem.n_parameters), dtype, repeats);
        report = report with { gradients = gradients };
        Console.WriteLine($"analytic vs autograd (one value+gradient at a seeded θ): {gradients}");
        if (solvers.Length == 0 && peerSkipped != null)
        {
            finish(report);
            return report;
        }

        var (optimum, _) = cache.get_or_compute(problem, Console.Out, cancellation, warmStart?.Theta, warmStart == null ? null : $"θ of {warmStart.Value.Path}");
        var check = OptimumCache.reevaluate(problem, optimum);
        if (Math.Abs(check.Objective - optimum.objective) > 1e-12 * Math.Abs(optimum.objective) || !(check.GradientInfNorm <= 10 * Math.Max(optimum.tol, optimum.gradient_inf_norm)))
        {
            Console.WriteLine(FormattableString.Invariant(
                $"the cached optimum does not re-evaluate to itself here (F = {check.Objective:R}, ‖∇F‖∞ = {check.GradientInfNorm:0.0e+0}); recomputing it from the cached θ*."));
            optimum = OptimumCache.compute(problem, optimum.theta, "warm: the previous cache entry's θ*", cancellation);
            cache.store(optimum);
            check = OptimumCache.reevaluate(problem, optimum);
        }
        report = report with { optimum = optimum, optimum_reevaluated = check };
        Console.WriteLine(report.optimum_line());

        var runs = new List<SolverBenchmarkResult>();
        foreach (var solver in solvers)
        {
            Console.Error.WriteLine(FormattableString.Invariant($"  {problem.name}: running {SolverRegistry.name_of(solver)} (at most {maxIter} iterations, {maxSeconds:G} s)…"));
            runs.Add(SolverBenchmark.run(problem, solver, dtype, optimum.target(BenchmarkReport.relative_target), maxIter, maxSeconds, cancellation));
        }
        report = report with { runs = runs };
        if (runs.Count > 0)
        {
            Console.WriteLine();
            Console.Write(report.table());
            Console.WriteLine();
        }

        if (peerSkipped == null)
        {
            Console.Error.WriteLine(FormattableString.Invariant($"  {problem.name}: running scikit-learn (cap {peerTimeout:G} s)…"));
            var result = ScikitLearnPeer.run(problem, optimum.target(BenchmarkReport.relative_target), script, peerTimeout, cancellation: cancellation);
            report = report with { peer = result, peer_objective_ours = problem.exact_value(result.theta) };
        }
        finish(report);
        return report;
    }

    private static void finish(BenchmarkReport report)
    {
        Console.WriteLine(report.peer_line());
        Console.WriteLine(report.problem.name == Data.FashionMnist.name
            ? "targets (Fashion-MNIST softmax, C = 1):"
            : "targets (set for fashion-mnist; shown here for information):");
        foreach (var target in report.targets()) Console.WriteLine("  " + target);
        Console.WriteLine();
    }

    private static SolverKind[] default_solvers(BenchmarkProblem problem) => SolverRegistry.kinds
        .Where(s => !SlowOrRedundant.Contains(s))
        .Where(s => s != SolverKind.Newton || problem.n_parameters <= NewtonMaxParameters)
        .ToArray();

    /// <summary>θ = [vec(W); b] from the coef and intercept of a <c>train</c> run's metrics.json.</summary>
    private static double[] theta_from_metrics(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"--optimum-start {path} does not exist. Give the metrics.json of a train run.", path);
        string fix = $"--optimum-start {Messages.cut(path)} is not a train run's metrics.json with coef and intercept";
        JsonNode? json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{fix} ({Messages.one_line(e.Message)}).");
        }
        if (json is not JsonObject { } run || run["coef"] is not JsonArray coef || run["intercept"] is not JsonArray intercept)
            throw new ArgumentException($"{fix} (no coef or intercept array).");
        var values = new List<double>();
        foreach (var node in coef.SelectMany(row => row is JsonArray r ? r : new JsonArray { row?.DeepClone() }).Concat(intercept))
        {
            if (node is not JsonValue v || !v.TryGetValue(out double x))
                throw new ArgumentException($"{fix} (a coefficient is not a number).");
            values.Add(x);
        }
        return values.ToArray();
    }

    /// <summary>bench/optima.json in the current folder or the nearest folder above it that has one; else in the current folder.</summary>
    private static string default_optima_path()
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
