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
        this.Path = path;
    }

    /// <summary>The JSON file.</summary>
    public string Path { get; }

    /// <summary>The entry's key: <c>name C=…</c> (the data hash is checked separately, so a stale entry is found and replaced).</summary>
    public static string Key(string problem, double c) => string.Create(CultureInfo.InvariantCulture, $"{problem} C={c:R}");

    /// <summary>The cached optimum of <paramref name="problem"/>, or null when missing or computed on other data or C.</summary>
    public Optimum? Find(BenchmarkProblem problem)
    {
        var entry = ReadEntry(problem);
        return entry != null && entry.DataSha256 == problem.DataSha256 && entry.C == problem.Penalty.C ? entry : null;
    }

    /// <summary>
    /// The cached optimum of <paramref name="problem"/>; computes and stores it when missing or stale (see the class
    /// remarks), telling <paramref name="log"/> first.
    /// </summary>
    /// <param name="problem">The problem.</param>
    /// <param name="log">Receives one line before a computation (it can take long for fashion-mnist).</param>
    /// <param name="cancellation">Stops a computation between iterations.</param>
    /// <param name="warmStart">Optional start point of a computation (e.g. a trained model's θ), with <paramref name="warmStartName"/> saying what it is; the stale entry's θ* is preferred.</param>
    /// <param name="warmStartName">What <paramref name="warmStart"/> is, recorded in the entry.</param>
    /// <returns>The optimum, and whether it was computed now.</returns>
    public (Optimum Optimum, bool Computed) GetOrCompute(BenchmarkProblem problem, TextWriter? log = null, CancellationToken cancellation = default,
        double[]? warmStart = null, string? warmStartName = null)
    {
        var cached = Find(problem);
        if (cached != null) return (cached, false);
        if (warmStart != null && warmStart.Length != problem.ParameterCount)
            throw new ArgumentException($"The warm start has {warmStart.Length} parameters; {problem.Name} has {problem.ParameterCount}. Give a model trained on the same problem.");
        var stale = ReadEntry(problem);
        var (start, name) = stale != null && stale.Theta.Length == problem.ParameterCount ? (stale.Theta, "warm: the previous cache entry's θ*")
            : warmStart != null ? (warmStart, $"warm: {warmStartName ?? "a given θ"}")
            : ((double[]?)null, "zeros");
        log?.WriteLine(FormattableString.Invariant(
            $"{problem.Name}: no cached optimum for this data and C = {problem.Penalty.C} in {Path}; computing it with {SolverRegistry.NameOf(problem.OptimumSolver)} in float64 to ‖∇F‖∞ ≤ {problem.OptimumTolerance:0.#e+0} from {name}{(start == null && problem.Name == Data.FashionMnist.Name ? " (about an hour on 2 cores)" : "")}."));
        var optimum = Compute(problem, start, name, cancellation);
        Store(optimum);
        return (optimum, true);
    }

    /// <summary>
    /// Minimises <paramref name="problem"/>'s objective in float64 with its <see cref="BenchmarkProblem.OptimumSolver"/>
    /// to <see cref="BenchmarkProblem.OptimumTolerance"/> on ‖∇F‖∞, from <paramref name="theta0"/> (zeros when null).
    /// </summary>
    /// <exception cref="InvalidOperationException">The solver stopped before the tolerance.</exception>
    public static Optimum Compute(BenchmarkProblem problem, double[]? theta0 = null, string start = "zeros", CancellationToken cancellation = default)
    {
        using var objective = problem.Objective(ScalarType.Float64);
        var solver = SolverRegistry.Create(new SolverSettings { Solver = problem.OptimumSolver });
        var result = TrainingLoop.Run(objective, solver, theta0 ?? new double[problem.ParameterCount], problem.OptimumMaxIterations, problem.OptimumTolerance,
            cancellation: cancellation);
        var gradient = new double[problem.ParameterCount];
        double value = objective.ValueAndGradient(result.Theta, gradient);
        double norm = NormInf(gradient);
        if (!result.Converged && !(norm <= 10 * problem.OptimumTolerance))
            throw new InvalidOperationException($"The optimum of {problem.Name} was not found: {SolverRegistry.NameOf(problem.OptimumSolver)} {result.StopDescription}.");
        return new Optimum(problem.Name, problem.Penalty.C, problem.DataSha256, value, problem.OptimumSolver, problem.OptimumTolerance, norm,
            result.Iterations, result.FitSeconds, start, result.Theta);
    }

    /// <summary>
    /// Re-evaluates F and ‖∇F‖∞ at the cached θ* in float64: the check, on every run, that the stored F* belongs to
    /// the stored point and that the point is stationary. Returns (F(θ*), ‖∇F(θ*)‖∞).
    /// </summary>
    public static (double Objective, double GradientInfNorm) Reevaluate(BenchmarkProblem problem, Optimum optimum)
    {
        using var objective = problem.Objective(ScalarType.Float64);
        var gradient = new double[problem.ParameterCount];
        double value = objective.ValueAndGradient(optimum.Theta, gradient);
        return (value, NormInf(gradient));
    }

    /// <summary>Adds or replaces <paramref name="optimum"/>'s entry and rewrites the file atomically.</summary>
    public void Store(Optimum optimum)
    {
        var root = ReadRoot() ?? new JsonObject();
        root["about"] = "Optima of `torchlogistic bench`'s problems (src/TorchLogistic.Cli/Bench/OptimumCache.cs): F* in float64, the solver, tolerance and final ‖∇F‖∞ that certify it, and θ* = [vec(W); b] as float64 little-endian bytes in base64.";
        var optima = root["optima"] as JsonObject ?? new JsonObject();
        root["optima"] = optima;
        optima[Key(optimum.Problem, optimum.C)] = new JsonObject
        {
            ["problem"] = optimum.Problem,
            ["C"] = optimum.C,
            ["data_sha256"] = optimum.DataSha256,
            ["objective"] = optimum.Objective,
            ["solver"] = SolverRegistry.NameOf(optimum.Solver),
            ["dtype"] = "float64",
            ["tol"] = optimum.Tolerance,
            ["gradient_inf_norm"] = optimum.GradientInfNorm,
            ["iterations"] = optimum.Iterations,
            ["seconds"] = Math.Round(optimum.Seconds, 3),
            ["start"] = optimum.Start,
            ["n_parameters"] = optimum.Theta.Length,
            ["theta_float64_base64"] = Convert.ToBase64String(MemoryMarshal.AsBytes(optimum.Theta.AsSpan())),
        };
        string? folder = global::System.IO.Path.GetDirectoryName(global::System.IO.Path.GetFullPath(Path));
        if (folder != null) Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
    }

    private Optimum? ReadEntry(BenchmarkProblem problem)
    {
        if (ReadRoot()?["optima"]?[Key(problem.Name, problem.Penalty.C)] is not JsonObject e) return null;
        T Field<T>(string name) => e[name] is JsonValue v && v.TryGetValue(out T? x) && x is not null
            ? x : throw new FormatException($"'{name}' is missing or not a {typeof(T).Name.ToLowerInvariant()}");
        SolverKind SolverField() => SolverRegistry.TryParse(Field<string>("solver"), out var solver) && solver != SolverKind.Auto
            ? solver : throw new FormatException($"'solver' is not one of {string.Join(", ", SolverRegistry.Names)}");
        try
        {
            byte[] bytes = Convert.FromBase64String(Field<string>("theta_float64_base64"));
            var theta = MemoryMarshal.Cast<byte, double>(bytes).ToArray();
            return new Optimum(Field<string>("problem"), Field<double>("C"), Field<string>("data_sha256"), Field<double>("objective"), SolverField(),
                Field<double>("tol"), Field<double>("gradient_inf_norm"), Field<int>("iterations"), Field<double>("seconds"), Field<string>("start"), theta);
        }
        catch (FormatException ex)
        {
            throw new IOException($"The optimum cache {Path} has an invalid entry for '{Key(problem.Name, problem.Penalty.C)}' ({ex.Message}). Delete that entry (or the file) to recompute it.", ex);
        }
    }

    private JsonObject? ReadRoot()
    {
        if (!File.Exists(Path)) return null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(Path)) as JsonObject
                ?? throw new IOException($"The optimum cache {Path} is not a JSON object. Delete it to recompute the optima.");
        }
        catch (JsonException e)
        {
            throw new IOException($"The optimum cache {Path} is not valid JSON ({e.Message}). Delete it to recompute the optima.", e);
        }
    }

    /// <summary>‖g‖∞ (NaN when any entry is NaN).</summary>
    private static double NormInf(double[] g) => g.Aggregate(0.0, (max, v) => Math.Max(max, Math.Abs(v)));
}
