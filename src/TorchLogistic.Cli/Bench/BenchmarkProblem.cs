using System.Runtime.InteropServices;
using System.Security.Cryptography;
using TorchLogistic.Data;
using TorchLogistic.Losses;
using TorchLogistic.Models;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using static TorchSharp.torch;

namespace TorchLogistic.Performance;

/// <summary>
/// One problem of <c>torchlogistic bench</c>: a data set, exactly as it is trained (all rows, no split), the model,
/// and the L2 penalty with its C. The objective is TorchLogistic's
/// <c>F(θ) = (1/m) Σᵢ ℓ(yᵢ, W xᵢ + b) + ½‖W‖²/(C·m)</c> (<see cref="LinearModelObjective"/>).
/// <list type="bullet">
/// <item><c>breast-cancer</c>: 569 × 30, standardised, binary logistic (K = 1 output).</item>
/// <item><c>digits</c>: 1797 × 64, standardised, softmax (K = 10).</item>
/// <item><c>fashion-mnist</c>: the official 60 000 training rows × 784 pixels scaled to [0, 1] as
/// <see cref="FashionMnist"/> loads them — not standardised, like scikit-learn's peer script — softmax (K = 10).</item>
/// </list>
/// </summary>
public sealed class BenchmarkProblem
{
    /// <summary>Rows per block of <see cref="exact_value"/>.</summary>
    private const int block_rows = 4096;

    private string? sha256;

    private BenchmarkProblem(string name, Dataset data, int n_outputs, Penalty penalty, bool standardized, ScalarType default_dtype,
        SolverKind optimum_solver, double optimum_tol, int optimum_max_iter)
    {
        this.name = name;
        this.data = data;
        this.n_outputs = n_outputs;
        this.penalty = penalty;
        this.standardized = standardized;
        this.default_dtype = default_dtype;
        this.optimum_solver = optimum_solver;
        this.optimum_tol = optimum_tol;
        this.optimum_max_iter = optimum_max_iter;
    }

    /// <summary>The problems, in the order <c>--problem all</c> runs them.</summary>
    public static IReadOnlyList<string> names { get; } = new[] { "breast-cancer", "digits", FashionMnist.name };

    /// <summary>Loads problem <paramref name="name"/> (one of <see cref="names"/>).</summary>
    /// <param name="name">breast-cancer, digits or fashion-mnist.</param>
    /// <param name="C">Inverse regularisation strength of the L2 penalty (default 1).</param>
    /// <param name="data_dir">Folder of Fashion-MNIST's IDX files; null means <see cref="FashionMnist.default_directory"/>.</param>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    /// <exception cref="DataFormatException">Fashion-MNIST's files are missing or invalid (the message says how to install them).</exception>
    public static BenchmarkProblem load(string name, double C = 1.0, string? data_dir = null)
    {
        var penalty = Penalty.l2(C);
        switch (name)
        {
            case "breast-cancer":
            {
                var raw = BuiltinDatasets.load(name);
                return new BenchmarkProblem(name, StandardScaler.fit(raw).transform(raw), 1, penalty, true, ScalarType.Float64, SolverKind.NewtonCg, 1e-11, 1000);
            }
            case "digits":
            {
                var raw = BuiltinDatasets.load(name);
                return new BenchmarkProblem(name, StandardScaler.fit(raw).transform(raw), raw.n_classes, penalty, true, ScalarType.Float64, SolverKind.NewtonCg, 1e-11, 1000);
            }
            case FashionMnist.name:
            {
                var train = FashionMnist.load(data_dir).Train;
                return new BenchmarkProblem(name, train, train.n_classes, penalty, false, ScalarType.Float32, SolverKind.LbfgsPrecond, 1e-9, 50_000);
            }
            default:
                throw new ArgumentException($"Unknown benchmark problem '{name}'. Use one of: {string.Join(", ", names)}, or all.");
        }
    }

    /// <summary>The same problem on other rows of the same shape (tests: a change in the data must invalidate the cached optimum).</summary>
    internal BenchmarkProblem with_data(Dataset rows) => new(name, rows, n_outputs, penalty, standardized, default_dtype, optimum_solver, optimum_tol, optimum_max_iter);

    /// <summary>The problem's name.</summary>
    public string name { get; }

    /// <summary>The rows as trained (standardised when <see cref="standardized"/>).</summary>
    public Dataset data { get; }

    /// <summary>K: 1 for binary logistic regression, the number of classes for softmax.</summary>
    public int n_outputs { get; }

    /// <summary>The L2 penalty and C.</summary>
    public Penalty penalty { get; }

    /// <summary>Whether the features were standardised (scikit-learn's <c>StandardScaler</c> on all rows).</summary>
    public bool standardized { get; }

    /// <summary>The compute dtype the benchmark uses unless told otherwise: float32 for fashion-mnist, float64 for the small problems.</summary>
    public ScalarType default_dtype { get; }

    /// <summary>The solver that finds the cached optimum (in float64).</summary>
    public SolverKind optimum_solver { get; }

    /// <summary>The tolerance on ‖∇F‖∞ to which the cached optimum is found.</summary>
    public double optimum_tol { get; }

    /// <summary>Iteration limit of the optimum's solver.</summary>
    public int optimum_max_iter { get; }

    /// <summary>m, the number of rows.</summary>
    public long n_samples => data.n_samples;

    /// <summary>d, the number of features.</summary>
    public long n_features => data.n_features;

    /// <summary>Length of θ = [vec(W); b]: K·d + K.</summary>
    public int n_parameters => n_outputs * data.n_features + n_outputs;

    /// <summary><c>logistic</c> (K = 1) or <c>softmax</c>.</summary>
    public string model => n_outputs == 1 ? "logistic" : "softmax";

    /// <summary>Bytes of X in <paramref name="dtype"/>: m·d·(4 or 8).</summary>
    public long x_bytes(ScalarType dtype) => n_samples * n_features * (dtype == ScalarType.Float32 ? 4 : 8);

    /// <summary>
    /// SHA-256 (lower-case hex) of the features as float64 little-endian bytes, row-major, followed by the labels as
    /// int32 little-endian bytes: part of the optimum cache's key, so a change in the data invalidates the cached optimum.
    /// </summary>
    public string data_sha256 => sha256 ??= hash(data);

    /// <summary>One line: name, shape, model, penalty, C, scaling.</summary>
    public string describe() => FormattableString.Invariant(
        $"{name}: {n_samples} × {n_features}, {(n_outputs == 1 ? "binary logistic" : $"softmax over {n_outputs} classes")}, L2, C = {penalty.C}, {(standardized ? "standardised" : "not standardised")}, all rows");

    /// <summary>The analytic objective over all rows in <paramref name="dtype"/>. The caller disposes it.</summary>
    public LinearModelObjective objective(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        return new LinearModelObjective(data.features_tensor(dtype), data.labels_tensor(), n_outputs, penalty);
    }

    /// <summary>A zero-initialised module of this problem's model in <paramref name="dtype"/>. The caller disposes it.</summary>
    public LinearClassifier module(ScalarType dtype) => n_outputs == 1
        ? new LogisticRegression(data.n_features, dtype)
        : new SoftmaxRegression(data.n_features, n_outputs, dtype);

    /// <summary>The autograd objective over all rows of <paramref name="model_module"/> (of this problem's model, in the features' dtype). The caller disposes both.</summary>
    public AutogradObjective autograd_objective(LinearClassifier model_module)
    {
        using var scope = NewDisposeScope();
        return new AutogradObjective(model_module, data.features_tensor(model_module.dtype), data.labels_tensor(), penalty);
    }

    /// <summary>
    /// F(θ) in float64, computed from the managed float64 rows in blocks of 4096 rows, so that checking a float32 run
    /// needs no float64 copy of X in memory: the value against which the benchmark verifies a float32 run's crossing.
    /// </summary>
    public double exact_value(double[] theta)
    {
        if (theta.Length != n_parameters)
            throw new ArgumentException($"θ has {theta.Length} entries; {name} has {n_parameters} (K·d + K = {n_outputs}·{n_features} + {n_outputs}).");
        using var scope = NewDisposeScope();
        int d = data.n_features, k = n_outputs;
        var t = tensor(theta, ScalarType.Float64);
        var w = t.narrow(0, 0, (long)k * d).view(k, d);
        var b = t.narrow(0, (long)k * d, k);
        double sum = 0;
        for (int start = 0; start < data.n_samples; start += block_rows)
        {
            using var block = NewDisposeScope();
            int rows = Math.Min(block_rows, data.n_samples - start);
            var values = new double[(long)rows * d];
            Array.Copy(data.features, (long)start * d, values, 0, values.LongLength);
            var x = tensor(values, new long[] { rows, d }, ScalarType.Float64);
            var labels = tensor(data.labels.AsSpan(start, rows).ToArray().Select(l => (long)l).ToArray(), ScalarType.Int64);
            var z = x.matmul(w.t()) + b;
            var loss = k == 1
                ? new PointwiseBinaryCrossEntropy().loss(labels.to_type(ScalarType.Float64), z.squeeze(1))
                : new PointwiseCrossEntropy().loss(labels, z);
            sum += loss.sum().item<double>();
        }
        double l2 = penalty.l2_strength(n_samples);
        return sum / n_samples + 0.5 * l2 * w.square().sum().item<double>();
    }

    private static string hash(Dataset data)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The data hash is defined on little-endian bytes.");
        sha.AppendData(MemoryMarshal.AsBytes(data.features.AsSpan()));
        sha.AppendData(MemoryMarshal.AsBytes(data.labels.AsSpan()));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
