using System.Runtime.InteropServices;
using System.Security.Cryptography;
using TorchLogistic.Data;
using TorchLogistic.Losses;
using TorchLogistic.Models;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Sparse;
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
    /// <summary>Rows per block of <see cref="ExactValue"/>.</summary>
    private const int BlockRows = 4096;

    private string? _sha256;

    private readonly Dataset? _data;

    private BenchmarkProblem(string name, Dataset? data, int outputCount, global::TorchLogistic.Objectives.Penalty penalty, bool standardized, ScalarType defaultDType,
        SolverKind optimumSolver, double optimumTolerance, int optimumMaxIterations, bool fitIntercept = true)
    {
        this.FitIntercept = fitIntercept;
        this.Name = name;
        _data = data;
        this.OutputCount = outputCount;
        this.Penalty = penalty;
        this.Standardized = standardized;
        this.DefaultDType = defaultDType;
        this.OptimumSolver = optimumSolver;
        this.OptimumTolerance = optimumTolerance;
        this.OptimumMaxIterations = optimumMaxIterations;
    }

    /// <summary>The problems, in the order <c>--problem all</c> runs them.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "breast-cancer", "digits", FashionMnist.Name, BinaryFashionMnist, Rcv1Like, Rcv1Like10x };

    /// <summary>
    /// A seeded sparse binary problem of rcv1's shape (<see cref="Rcv1LikeGenerator"/>: 20,242 × 47,236, 0.16 %
    /// non-zeros, Zipf-like column frequencies, tf-idf rows of unit norm), no intercept, C = 1: LIBLINEAR's comparison.
    /// </summary>
    public const string Rcv1Like = "rcv1-like";

    /// <summary>
    /// <see cref="Rcv1Like"/> ten times larger: ten times the rows (202,420 × 47,236, the same density, so ten times
    /// the non-zeros — the column space of a vocabulary stays, the documents grow in number, as rcv1's full 677k-row set).
    /// </summary>
    public const string Rcv1Like10x = "rcv1-like-10x";

    /// <summary>The sparse rows of a sparse problem (<see cref="Rcv1Like"/>), or null for a dense one.</summary>
    public SparseDataset? Sparse { get; private init; }

    /// <summary>
    /// Fashion-MNIST as a binary task, LIBLINEAR's comparison (issue 20): T-shirt, pullover, dress, coat and shirt
    /// (classes 0, 2, 3, 4, 6) against the rest, pixels / 255, no intercept (LIBLINEAR's <c>-B -1</c>), C = 1.
    /// </summary>
    public const string BinaryFashionMnist = "fashion-mnist-binary";

    /// <summary>The Fashion-MNIST classes that are the positive class of <see cref="BinaryFashionMnist"/>.</summary>
    public static IReadOnlyList<int> BinaryPositiveClasses { get; } = new[] { 0, 2, 3, 4, 6 };

    /// <summary>Loads problem <paramref name="name"/> (one of <see cref="Names"/>).</summary>
    /// <param name="name">breast-cancer, digits or fashion-mnist.</param>
    /// <param name="c">Inverse regularisation strength of the L2 penalty (default 1).</param>
    /// <param name="dataDir">Folder of Fashion-MNIST's IDX files; null means <see cref="FashionMnist.DefaultDirectory"/>.</param>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    /// <exception cref="DataFormatException">Fashion-MNIST's files are missing or invalid (the message says how to install them).</exception>
    public static BenchmarkProblem Load(string name, double c = 1.0, string? dataDir = null)
    {
        var penalty = global::TorchLogistic.Objectives.Penalty.L2(c);
        switch (name)
        {
            case "breast-cancer":
            {
                var raw = BuiltinDatasets.Load(name);
                return new BenchmarkProblem(name, StandardScaler.Fit(raw).Transform(raw), 1, penalty, true, ScalarType.Float64, SolverKind.NewtonCg, 1e-11, 1000);
            }
            case "digits":
            {
                var raw = BuiltinDatasets.Load(name);
                return new BenchmarkProblem(name, StandardScaler.Fit(raw).Transform(raw), raw.ClassCount, penalty, true, ScalarType.Float64, SolverKind.NewtonCg, 1e-11, 1000);
            }
            case FashionMnist.Name:
            {
                var train = FashionMnist.Load(dataDir).Train;
                return new BenchmarkProblem(name, train, train.ClassCount, penalty, false, ScalarType.Float32, SolverKind.LbfgsPrecond, 1e-9, 50_000);
            }
            case BinaryFashionMnist:
            {
                var train = FashionMnist.Load(dataDir).Train;
                var labels = train.Labels.Select(l => BinaryPositiveClasses.Contains(l) ? 1 : 0).ToArray();
                var binary = new Dataset(BinaryFashionMnist, train.Features, train.SampleCount, train.FeatureCount, labels, new[] { "rest", "top" }, train.FeatureNames);
                return new BenchmarkProblem(name, binary, 1, penalty, false, ScalarType.Float64, SolverKind.NewtonPcg, 1e-10, 1000, fitIntercept: false);
            }
            case Rcv1Like:
            case Rcv1Like10x:
            {
                var rows = Rcv1LikeGenerator.Generate(rows: name == Rcv1Like ? Rcv1LikeGenerator.Rows : 10 * Rcv1LikeGenerator.Rows, name: name);
                return new BenchmarkProblem(name, null, 1, penalty, false, ScalarType.Float64, SolverKind.NewtonPcg, 1e-10, 1000, fitIntercept: false) { Sparse = rows };
            }
            default:
                throw new ArgumentException($"Unknown benchmark problem '{name}'. Use one of: {string.Join(", ", Names)}, or all.");
        }
    }

    /// <summary>The same problem on other rows of the same shape (tests: a change in the data must invalidate the cached optimum).</summary>
    internal BenchmarkProblem WithData(Dataset rows) => new(Name, rows, OutputCount, Penalty, Standardized, DefaultDType, OptimumSolver, OptimumTolerance, OptimumMaxIterations, FitIntercept);

    /// <summary>A sparse problem on the given rows (tests: small rcv1-like problems).</summary>
    internal static BenchmarkProblem FromSparse(SparseDataset rows, double c = 1.0) =>
        new(rows.Name, null, 1, global::TorchLogistic.Objectives.Penalty.L2(c), false, ScalarType.Float64, SolverKind.NewtonPcg, 1e-10, 1000, fitIntercept: false) { Sparse = rows };

    /// <summary>Whether θ ends with the K intercepts (false: <c>--no-intercept</c>, LIBLINEAR's <c>-B -1</c>).</summary>
    public bool FitIntercept { get; }

    /// <summary>The problem's name.</summary>
    public string Name { get; }

    /// <summary>The rows as trained (standardised when <see cref="Standardized"/>); a sparse problem has none (<see cref="Sparse"/>).</summary>
    public Dataset Data => _data ?? throw new InvalidOperationException($"{Name} is sparse: its rows are {nameof(Sparse)}, there is no dense copy.");

    /// <summary>K: 1 for binary logistic regression, the number of classes for softmax.</summary>
    public int OutputCount { get; }

    /// <summary>The L2 penalty and C.</summary>
    public global::TorchLogistic.Objectives.Penalty Penalty { get; }

    /// <summary>Whether the features were standardised (scikit-learn's <c>StandardScaler</c> on all rows).</summary>
    public bool Standardized { get; }

    /// <summary>The compute dtype the benchmark uses unless told otherwise: float32 for fashion-mnist, float64 for the small problems.</summary>
    public ScalarType DefaultDType { get; }

    /// <summary>The solver that finds the cached optimum (in float64).</summary>
    public SolverKind OptimumSolver { get; }

    /// <summary>The tolerance on ‖∇F‖∞ to which the cached optimum is found.</summary>
    public double OptimumTolerance { get; }

    /// <summary>Iteration limit of the optimum's solver.</summary>
    public int OptimumMaxIterations { get; }

    /// <summary>m, the number of rows.</summary>
    public long SampleCount => Sparse?.SampleCount ?? Data.SampleCount;

    /// <summary>d, the number of features.</summary>
    public long FeatureCount => Sparse?.FeatureCount ?? Data.FeatureCount;

    /// <summary>Length of θ = [vec(W); b]: K·d + K.</summary>
    public int ParameterCount => checked(OutputCount * (int)FeatureCount + (FitIntercept ? OutputCount : 0));

    /// <summary><c>logistic</c> (K = 1) or <c>softmax</c>.</summary>
    public string Model => OutputCount == 1 ? "logistic" : "softmax";

    /// <summary>Bytes of X in <paramref name="dtype"/>: m·d·(4 or 8); for a sparse problem the CSR arrays' (8 + 4 per non-zero, 4 per row).</summary>
    public long XBytes(ScalarType dtype) => Sparse is { } sparse ? sparse.Features.StorageBytes : SampleCount * FeatureCount * (dtype == ScalarType.Float32 ? 4 : 8);

    /// <summary>Non-zeros of X (m·d for a dense problem).</summary>
    public long NonZeroCount => Sparse?.Features.NonZeroCount ?? SampleCount * FeatureCount;

    /// <summary>
    /// SHA-256 (lower-case hex) of the features as float64 little-endian bytes, row-major, followed by the labels as
    /// int32 little-endian bytes: part of the optimum cache's key, so a change in the data invalidates the cached optimum.
    /// </summary>
    public string DataSha256 => _sha256 ??= Sparse is { } sparse ? Hash(sparse) : Hash(Data);

    /// <summary>One line: name, shape, model, penalty, C, scaling.</summary>
    public string Describe() => FormattableString.Invariant(
        $"{Name}: {SampleCount} × {FeatureCount}{(Sparse is { } sparse ? $" sparse ({sparse.Features.NonZeroCount} non-zeros, {100.0 * sparse.Features.NonZeroCount / ((double)SampleCount * FeatureCount):0.###} %, CSR {MachineFloor.FormatBytes(sparse.Features.StorageBytes)})" : "")}, {(OutputCount == 1 ? "binary logistic" : $"softmax over {OutputCount} classes")}, L2, C = {Penalty.C}, {(Standardized ? "standardised" : "not standardised")}{(FitIntercept ? "" : ", no intercept")}, all rows");

    /// <summary>The analytic objective over all rows in <paramref name="dtype"/>. The caller disposes it.</summary>
    public LinearModelObjective Objective(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        if (Sparse is { } sparse)
        {
            if (dtype != ScalarType.Float64) throw new ArgumentException($"{Name} is sparse: its objective is float64 (--dtype float64 or auto).");
            return new LinearModelObjective(new SparseFeatureMatrix(sparse.Features), tensor(sparse.Labels.Select(l => (long)l).ToArray(), ScalarType.Int64), OutputCount, Penalty, fitIntercept: FitIntercept);
        }
        return new LinearModelObjective(Data.FeaturesTensor(dtype), Data.LabelsTensor(), OutputCount, Penalty, fitIntercept: FitIntercept);
    }

    /// <summary>A zero-initialised module of this problem's model in <paramref name="dtype"/>. The caller disposes it.</summary>
    public LinearClassifier Module(ScalarType dtype) => OutputCount == 1
        ? new LogisticRegression(Data.FeatureCount, dtype)
        : new SoftmaxRegression(Data.FeatureCount, OutputCount, dtype);

    /// <summary>The autograd objective over all rows of <paramref name="modelModule"/> (of this problem's model, in the features' dtype). The caller disposes both.</summary>
    public global::TorchLogistic.Objectives.AutogradObjective AutogradObjective(LinearClassifier modelModule)
    {
        using var scope = NewDisposeScope();
        return new global::TorchLogistic.Objectives.AutogradObjective(modelModule, Data.FeaturesTensor(modelModule.DType), Data.LabelsTensor(), Penalty);
    }

    /// <summary>
    /// F(θ) in float64, computed from the managed float64 rows in blocks of 4096 rows, so that checking a float32 run
    /// needs no float64 copy of X in memory: the value against which the benchmark verifies a float32 run's crossing.
    /// </summary>
    public double ExactValue(double[] theta)
    {
        if (theta.Length != ParameterCount)
            throw new ArgumentException($"θ has {theta.Length} entries; {Name} has {ParameterCount} (K·d + K = {OutputCount}·{FeatureCount} + {OutputCount}).");
        if (Sparse is { } sparse) return ExactSparseValue(sparse, theta);
        using var scope = NewDisposeScope();
        int d = Data.FeatureCount, k = OutputCount;
        var t = tensor(theta, ScalarType.Float64);
        var w = t.narrow(0, 0, (long)k * d).view(k, d);
        var b = FitIntercept ? t.narrow(0, (long)k * d, k) : zeros(k, dtype: ScalarType.Float64);
        double sum = 0;
        for (int start = 0; start < Data.SampleCount; start += BlockRows)
        {
            using var block = NewDisposeScope();
            int rows = Math.Min(BlockRows, Data.SampleCount - start);
            var values = new double[(long)rows * d];
            Array.Copy(Data.Features, (long)start * d, values, 0, values.LongLength);
            var x = tensor(values, new long[] { rows, d }, ScalarType.Float64);
            var labels = tensor(Data.Labels.AsSpan(start, rows).ToArray().Select(l => (long)l).ToArray(), ScalarType.Int64);
            var z = x.matmul(w.t()) + b;
            var loss = k == 1
                ? new PointwiseBinaryCrossEntropy().Loss(labels.to_type(ScalarType.Float64), z.squeeze(1))
                : new PointwiseCrossEntropy().Loss(labels, z);
            sum += loss.sum().item<double>();
        }
        double l2 = Penalty.L2Strength(SampleCount);
        return sum / SampleCount + 0.5 * l2 * w.square().sum().item<double>();
    }

    /// <summary>F at θ of a sparse binary problem without intercept: z = Xw by the CSR product, the loss layer's binary cross-entropy on z (not the managed kernel the solvers use).</summary>
    private double ExactSparseValue(SparseDataset sparse, double[] theta)
    {
        using var scope = NewDisposeScope();
        var z = new double[sparse.SampleCount];
        sparse.Features.Multiply(theta, 1, z);
        var labels = tensor(sparse.Labels.Select(l => (double)l).ToArray(), ScalarType.Float64);
        double sum = new PointwiseBinaryCrossEntropy().Loss(labels, tensor(z, ScalarType.Float64)).sum().item<double>();
        double squared = theta.Sum(v => v * v);
        return sum / SampleCount + 0.5 * Penalty.L2Strength(SampleCount) * squared;
    }

    private static string Hash(SparseDataset data)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The data hash is defined on little-endian bytes.");
        sha.AppendData(MemoryMarshal.AsBytes(data.Features.RowPointers.AsSpan()));
        sha.AppendData(MemoryMarshal.AsBytes(data.Features.ColumnIndices.AsSpan()));
        sha.AppendData(MemoryMarshal.AsBytes(data.Features.Values.AsSpan()));
        sha.AppendData(MemoryMarshal.AsBytes(data.Labels.AsSpan()));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static string Hash(Dataset data)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The data hash is defined on little-endian bytes.");
        sha.AppendData(MemoryMarshal.AsBytes(data.Features.AsSpan()));
        sha.AppendData(MemoryMarshal.AsBytes(data.Labels.AsSpan()));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
