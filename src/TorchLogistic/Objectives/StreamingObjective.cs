using TorchLogistic.Data;
using static TorchSharp.torch;

namespace TorchLogistic.Objectives;

/// <summary>
/// <see cref="LinearModelObjective"/>'s objective over rows streamed from a file (<see cref="BatchStream"/>):
/// <code>
/// F(θ) = (1/m) Σᵢ sᵢ · ℓ(yᵢ, zᵢ)  +  P(W) / (C·m)
/// </code>
/// with m the rows of the whole file. Each mini-batch's data term is evaluated by a <see cref="LinearModelObjective"/>
/// on that batch alone (no penalty), so both paths compute the same losses and gradients; the L2 part
/// <c>λ₂·½‖W‖²</c>, λ₂ = (1 − ρ)/(C·m), is added here — in batch B's share of F, <c>(|B|/m)·[(1/|B|) Σ_B sᵢℓᵢ + λ₂·½‖W‖²]</c>,
/// which is the penalty's share |B|/m. f and ∇f (<see cref="ValueAndGradient"/>) are one full pass, in file order
/// and in batches of <see cref="BatchStream.EvaluationBatchSize"/> rows;
/// the mini-batches of an epoch (<see cref="NextBatch"/>) come in the stream's order (file order, or through its
/// shuffle buffer). Only one batch is in memory at a time. Hessians and Lipschitz bounds need all rows, and are not
/// available: the solvers for a stream are <c>sgd</c> and <c>adagrad</c>.
/// </summary>
public sealed class StreamingObjective : IStreamingObjective
{
    private readonly BatchStream _source;
    private readonly BatchTensors _tensors;
    private readonly int _k;
    private readonly int _d;
    private readonly double _l2;
    private readonly double _labelSmoothing;
    private readonly ScalarType _dType;
    private readonly double[] _batchGradient;
    private readonly CancellationToken _cancellation;

    /// <summary>Creates the objective over the rows of <paramref name="source"/> (after its opening pass).</summary>
    /// <param name="source">The rows.</param>
    /// <param name="outputCount">K: 1 for binary logistic regression, the number of classes for softmax.</param>
    /// <param name="penalty">The penalty and C.</param>
    /// <param name="scaler">Standardisation applied to each batch's raw features, or null.</param>
    /// <param name="classWeight">Per-class weights multiplying each row's sample weight, or null.</param>
    /// <param name="labelSmoothing">ε in [0, 1), as <see cref="LinearModelObjective"/> (default 0).</param>
    /// <param name="dtype">Compute dtype: float64 (default) or float32.</param>
    /// <param name="cancellation">Checked before every batch, so that a long pass stops promptly (throws <see cref="OperationCanceledException"/>).</param>
    /// <param name="fitIntercept">Whether θ ends with the K intercepts (default true), as <see cref="LinearModelObjective"/>.</param>
    public StreamingObjective(BatchStream source, int outputCount, global::TorchLogistic.Objectives.Penalty penalty, StandardScaler? scaler = null, double[]? classWeight = null,
        double labelSmoothing = 0, ScalarType dtype = ScalarType.Float64, CancellationToken cancellation = default, bool fitIntercept = true)
    {
        if (source.SampleCount == 0) throw new ArgumentException("The objective needs at least one row.");
        if (scaler != null && scaler.FeatureCount != source.FeatureCount)
            throw new ArgumentException($"The scaler has {scaler.FeatureCount} features but '{source.Name}' has {source.FeatureCount}.");
        if (classWeight != null && classWeight.Length != source.Classes.Length)
            throw new ArgumentException($"{classWeight.Length} class weights for {source.Classes.Length} classes.");
        if (outputCount == 1 ? source.Classes.Length != 2 : outputCount != source.Classes.Length)
            throw new ArgumentException($"{outputCount} outputs cannot model the {source.Classes.Length} classes of '{source.Name}' (1 output for 2 classes, else one per class).");
        this._source = source;
        this.Penalty = penalty;
        _k = outputCount;
        _d = source.FeatureCount;
        _l2 = penalty.L2Strength(source.SampleCount);
        _labelSmoothing = labelSmoothing;
        this._dType = dtype;
        this.FitIntercept = fitIntercept;
        _tensors = new BatchTensors(scaler, classWeight);
        _batchGradient = new double[ParameterCount];
        this._cancellation = cancellation;
    }

    /// <summary>The penalty and C.</summary>
    public global::TorchLogistic.Objectives.Penalty Penalty { get; }

    /// <inheritdoc />
    public long SampleCount => _source.SampleCount;

    /// <inheritdoc />
    public long BatchCount => _source.BatchCount;

    /// <summary>Whether θ holds the intercepts (last).</summary>
    public bool FitIntercept { get; }

    /// <inheritdoc />
    public int ParameterCount => _k * _d + (FitIntercept ? _k : 0);

    /// <inheritdoc />
    public int PenalizedCount => _k * _d;

    /// <inheritdoc />
    public double L1Strength => Penalty.L1Strength(_source.SampleCount);

    /// <inheritdoc />
    public double L2Strength => _l2;

    /// <inheritdoc />
    public bool IsHessianSupported => false;

    /// <inheritdoc />
    public IReadOnlyList<double[]> NullDirections => LinearModelGeometry.NullDirections(_k, _d, _l2, FitIntercept);

    /// <inheritdoc />
    public double Value(double[] theta) => ValueAndGradient(theta, new double[ParameterCount]);

    /// <inheritdoc />
    public double ValueAndGradient(double[] theta, double[] gradient)
    {
        Check(theta, gradient);
        Array.Clear(gradient);
        double total = 0;
        _source.Rewind(batchRows: _source.EvaluationBatchSize);
        while (_source.Next() is { } batch)
        {
            double share = (double)batch.RowCount / _source.SampleCount;
            total += share * DataTerm(batch, theta, _batchGradient);
            for (int j = 0; j < gradient.Length; j++) gradient[j] += share * _batchGradient[j];
        }
        return total + AddL2(theta, gradient);
    }

    /// <inheritdoc />
    public void BeginEpoch() => _source.Rewind(shuffle: true);

    /// <inheritdoc />
    public bool NextBatch(double[] theta, double[] gradient, out double value)
    {
        Check(theta, gradient);
        value = 0;
        if (_source.Next() is not { } batch) return false;
        value = DataTerm(batch, theta, gradient) + AddL2(theta, gradient);
        return true;
    }

    /// <summary>Not available: a Hessian needs all rows at once. Use sgd or adagrad.</summary>
    public double[] Hessian(double[] theta) => throw NotStreamable("Hessians");

    /// <summary>Not available: Hessian-vector products are not offered for streamed data. Use sgd or adagrad.</summary>
    public void HessianVectorProduct(double[] theta, double[] v, double[] result) => throw NotStreamable("Hessian-vector products");

    /// <summary>Not available: the bound needs the largest eigenvalue of X̃ᵀX̃ over all rows. Use sgd or adagrad.</summary>
    public double LipschitzBound() => throw NotStreamable("a Lipschitz bound");

    /// <summary>Disposes the batch tensors (not the stream, which the caller owns).</summary>
    public void Dispose() => _tensors.Dispose();

    /// <summary>(1/|B|) Σ_B sᵢℓᵢ and its gradient, by <see cref="LinearModelObjective"/> on the batch.</summary>
    private double DataTerm(RowBatch batch, double[] theta, double[] gradient)
    {
        _cancellation.ThrowIfCancellationRequested();
        using var scope = NewDisposeScope();
        var (x, y, s) = _tensors.Fill(batch);
        var xb = _dType == ScalarType.Float64 ? x : x.to_type(_dType);
        var sb = s is null || _dType == ScalarType.Float64 ? s : s.to_type(_dType);
        using var batchObjective = new LinearModelObjective(xb, y, _k, global::TorchLogistic.Objectives.Penalty.None, sb, _labelSmoothing, fitIntercept: FitIntercept);
        return batchObjective.ValueAndGradient(theta, gradient);
    }

    /// <summary>Adds λ₂·W to the gradient's coefficient part and returns λ₂·½‖W‖².</summary>
    private double AddL2(double[] theta, double[] gradient)
    {
        if (_l2 == 0) return 0;
        double squares = 0;
        for (int j = 0; j < PenalizedCount; j++)
        {
            gradient[j] += _l2 * theta[j];
            squares += theta[j] * theta[j];
        }
        return 0.5 * _l2 * squares;
    }

    private void Check(double[] theta, double[] gradient)
    {
        if (theta.Length != ParameterCount || gradient.Length != ParameterCount)
            throw new ArgumentException($"θ has {theta.Length} entries and the gradient {gradient.Length}; this objective has {ParameterCount} (K·d{(FitIntercept ? " + K" : "")} with K = {_k}, d = {_d}).");
    }

    private static NotSupportedException NotStreamable(string what) =>
        new($"{what} need all rows in memory; streamed data is trained with sgd or adagrad (or load the data in memory instead of DataStreams.Open).");
}
