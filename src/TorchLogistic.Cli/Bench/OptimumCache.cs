using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchLogistic.IO;
using TorchLogistic.Optim;
using TorchLogistic.Training;
using static TorchSharp.torch;

namespace TorchLogistic.Performance;

/// <summary>
/// The optima of the benchmark problems, found beforehand to a tight tolerance in float64 and kept in a JSON file
/// (the repository commits <c>bench/optima.json</c>). An entry is keyed by problem name, C and the SHA-256 of the
/// data; it is used while the key matches and recomputed when it is missing or the key differs (starting from the
/// old θ* when the shapes agree, which makes a recomputation after a small change short). The file is rewritten
/// atomically (<see cref="AtomicFile"/>), other entries kept.
/// </summary>
public sealed class OptimumCache
{
    /// <summary>Creates a cache backed by <paramref name="path"/> (read when present, created on the first store).</summary>
    public OptimumCache(string path)
    {
        this.path = path;
    }

    /// <summary>The JSON file.</summary>
    public string path { get; }

    /// <summary>The entry's key: <c>name C=…</c> (the data hash is checked separately, so a stale entry is found and replaced).</summary>
    public static string key(string problem, double C) => string.Create(CultureInfo.InvariantCulture, $"{problem} C={C:R}");

    /// <summary>The cached optimum of <paramref name="problem"/>, or null when missing or computed on other data or C.</summary>
    public Optimum? find(BenchmarkProblem problem)
    {
        var entry = read_entry(problem);
        return entry != null && entry.data_sha256 == problem.data_sha256 && entry.C == problem.penalty.C ? entry : null;
    }

    /// <summary>
    /// The cached optimum of <paramref name="problem"/>; computes and stores it when missing or stale (see the class
    /// remarks), telling <paramref name="log"/> first.
    /// </summary>
    /// <param name="problem">The problem.</param>
    /// <param name="log">Receives one line before a computation (it can take long for fashion-mnist).</param>
    /// <param name="cancellation">Stops a computation between iterations.</param>
    /// <param name="warm_start">Optional start point of a computation (e.g. a trained model's θ), with <paramref name="warm_start_name"/> saying what it is; the stale entry's θ* is preferred.</param>
    /// <param name="warm_start_name">What <paramref name="warm_start"/> is, recorded in the entry.</param>
    /// <returns>The optimum, and whether it was computed now.</returns>
    public (Optimum Optimum, bool Computed) get_or_compute(BenchmarkProblem problem, TextWriter? log = null, CancellationToken cancellation = default,
        double[]? warm_start = null, string? warm_start_name = null)
    {
        var cached = find(problem);
        if (cached != null) return (cached, false);
        if (warm_start != null && warm_start.Length != problem.n_parameters)
            throw new ArgumentException($"The warm start has {warm_start.Length} parameters; {problem.name} has {problem.n_parameters}. Give a model trained on the same problem.");
        var stale = read_entry(problem);
        var (start, name) = stale != null && stale.theta.Length == problem.n_parameters ? (stale.theta, "warm: the previous cache entry's θ*")
            : warm_start != null ? (warm_start, $"warm: {warm_start_name ?? "a given θ"}")
            : ((double[]?)null, "zeros");
        log?.WriteLine(FormattableString.Invariant(
            $"{problem.name}: no cached optimum for this data and C = {problem.penalty.C} in {path}; computing it with {SolverRegistry.name_of(problem.optimum_solver)} in float64 to ‖∇F‖∞ ≤ {problem.optimum_tol:0.#e+0} from {name}{(start == null && problem.name == Data.FashionMnist.name ? " (about an hour on 2 cores)" : "")}."));
        var optimum = compute(problem, start, name, cancellation);
        store(optimum);
        return (optimum, true);
    }

    /// <summary>
    /// Minimises <paramref name="problem"/>'s objective in float64 with its <see cref="BenchmarkProblem.optimum_solver"/>
    /// to <see cref="BenchmarkProblem.optimum_tol"/> on ‖∇F‖∞, from <paramref name="theta0"/> (zeros when null).
    /// </summary>
    /// <exception cref="InvalidOperationException">The solver stopped before the tolerance.</exception>
    public static Optimum compute(BenchmarkProblem problem, double[]? theta0 = null, string start = "zeros", CancellationToken cancellation = default)
    {
        using var objective = problem.objective(ScalarType.Float64);
        var solver = SolverRegistry.create(new SolverSettings { solver = problem.optimum_solver });
        var result = TrainingLoop.run(objective, solver, theta0 ?? new double[problem.n_parameters], problem.optimum_max_iter, problem.optimum_tol,
            cancellation: cancellation);
        var gradient = new double[problem.n_parameters];
        double value = objective.value_and_gradient(result.theta, gradient);
        double norm = norm_inf(gradient);
        if (!result.converged && !(norm <= 10 * problem.optimum_tol))
            throw new InvalidOperationException($"The optimum of {problem.name} was not found: {SolverRegistry.name_of(problem.optimum_solver)} {result.stop_reason}.");
        return new Optimum(problem.name, problem.penalty.C, problem.data_sha256, value, problem.optimum_solver, problem.optimum_tol, norm,
            result.iterations, result.fit_seconds, start, result.theta);
    }

    /// <summary>
    /// Re-evaluates F and ‖∇F‖∞ at the cached θ* in float64: the check, on every run, that the stored F* belongs to
    /// the stored point and that the point is stationary. Returns (F(θ*), ‖∇F(θ*)‖∞).
    /// </summary>
    public static (double Objective, double GradientInfNorm) reevaluate(BenchmarkProblem problem, Optimum optimum)
    {
        using var objective = problem.objective(ScalarType.Float64);
        var gradient = new double[problem.n_parameters];
        double value = objective.value_and_gradient(optimum.theta, gradient);
        return (value, norm_inf(gradient));
    }

    /// <summary>Adds or replaces <paramref name="optimum"/>'s entry and rewrites the file atomically.</summary>
    public void store(Optimum optimum)
    {
        var root = read_root() ?? new JsonObject();
        root["about"] = "Optima of `torchlogistic bench`'s problems (src/TorchLogistic.Cli/Bench/OptimumCache.cs): F* in float64, the solver, tolerance and final ‖∇F‖∞ that certify it, and θ* = [vec(W); b] as float64 little-endian bytes in base64.";
        var optima = root["optima"] as JsonObject ?? new JsonObject();
        root["optima"] = optima;
        optima[key(optimum.problem, optimum.C)] = new JsonObject
        {
            ["problem"] = optimum.problem,
            ["C"] = optimum.C,
            ["data_sha256"] = optimum.data_sha256,
            ["objective"] = optimum.objective,
            ["solver"] = SolverRegistry.name_of(optimum.solver),
            ["dtype"] = "float64",
            ["tol"] = optimum.tol,
            ["gradient_inf_norm"] = optimum.gradient_inf_norm,
            ["iterations"] = optimum.iterations,
            ["seconds"] = Math.Round(optimum.seconds, 3),
            ["start"] = optimum.start,
            ["n_parameters"] = optimum.theta.Length,
            ["theta_float64_base64"] = Convert.ToBase64String(MemoryMarshal.AsBytes(optimum.theta.AsSpan())),
        };
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder != null) Directory.CreateDirectory(folder);
        AtomicFile.write_all_text(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
    }

    private Optimum? read_entry(BenchmarkProblem problem)
    {
        if (read_root()?["optima"]?[key(problem.name, problem.penalty.C)] is not JsonObject e) return null;
        T field<T>(string name) => e[name] is JsonValue v && v.TryGetValue(out T? x) && x is not null
            ? x : throw new FormatException($"'{name}' is missing or not a {typeof(T).Name.ToLowerInvariant()}");
        SolverKind solver_field() => SolverRegistry.try_parse(field<string>("solver"), out var solver) && solver != SolverKind.Auto
            ? solver : throw new FormatException($"'solver' is not one of {string.Join(", ", SolverRegistry.names)}");
        try
        {
            byte[] bytes = Convert.FromBase64String(field<string>("theta_float64_base64"));
            var theta = MemoryMarshal.Cast<byte, double>(bytes).ToArray();
            return new Optimum(field<string>("problem"), field<double>("C"), field<string>("data_sha256"), field<double>("objective"), solver_field(),
                field<double>("tol"), field<double>("gradient_inf_norm"), field<int>("iterations"), field<double>("seconds"), field<string>("start"), theta);
        }
        catch (FormatException ex)
        {
            throw new IOException($"The optimum cache {path} has an invalid entry for '{key(problem.name, problem.penalty.C)}' ({ex.Message}). Delete that entry (or the file) to recompute it.", ex);
        }
    }

    private JsonObject? read_root()
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new IOException($"The optimum cache {path} is not a JSON object. Delete it to recompute the optima.");
        }
        catch (JsonException e)
        {
            throw new IOException($"The optimum cache {path} is not valid JSON ({e.Message}). Delete it to recompute the optima.", e);
        }
    }

    /// <summary>‖g‖∞ (NaN when any entry is NaN).</summary>
    private static double norm_inf(double[] g) => g.Aggregate(0.0, (max, v) => Math.Max(max, Math.Abs(v)));
}
