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
/// which is the penalty's share |B|/m. f and ∇f (<see cref="value_and_gradient"/>) are one full pass, in file order
/// and in batches of <see cref="BatchStream.evaluation_batch_size"/> rows;
/// the mini-batches of an epoch (<see cref="next_batch"/>) come in the stream's order (file order, or through its
/// shuffle buffer). Only one batch is in memory at a time. Hessians and Lipschitz bounds need all rows, and are not
/// available: the solvers for a stream are <c>sgd</c> and <c>adagrad</c>.
/// </summary>
public sealed class StreamingObjective : IStreamingObjective
{
    private readonly BatchStream source;
    private readonly BatchTensors tensors;
    private readonly int k;
    private readonly int d;
    private readonly double l2;
    private readonly double labelSmoothing;
    private readonly ScalarType dtype;
    private readonly double[] batchGradient;
    private readonly CancellationToken cancellation;

    /// <summary>Creates the objective over the rows of <paramref name="source"/> (after its opening pass).</summary>
    /// <param name="source">The rows.</param>
    /// <param name="n_outputs">K: 1 for binary logistic regression, the number of classes for softmax.</param>
    /// <param name="penalty">The penalty and C.</param>
    /// <param name="scaler">Standardisation applied to each batch's raw features, or null.</param>
    /// <param name="class_weight">Per-class weights multiplying each row's sample weight, or null.</param>
    /// <param name="label_smoothing">ε in [0, 1), as <see cref="LinearModelObjective"/> (default 0).</param>
    /// <param name="dtype">Compute dtype: float64 (default) or float32.</param>
    /// <param name="cancellation">Checked before every batch, so that a long pass stops promptly (throws <see cref="OperationCanceledException"/>).</param>
    public StreamingObjective(BatchStream source, int n_outputs, Penalty penalty, StandardScaler? scaler = null, double[]? class_weight = null,
        double label_smoothing = 0, ScalarType dtype = ScalarType.Float64, CancellationToken cancellation = default)
    {
        if (source.n_samples == 0) throw new ArgumentException("The objective needs at least one row.");
        if (scaler != null && scaler.n_features != source.n_features)
            throw new ArgumentException($"The scaler has {scaler.n_features} features but '{source.name}' has {source.n_features}.");
        if (class_weight != null && class_weight.Length != source.classes.Length)
            throw new ArgumentException($"{class_weight.Length} class weights for {source.classes.Length} classes.");
        if (n_outputs == 1 ? source.classes.Length != 2 : n_outputs != source.classes.Length)
            throw new ArgumentException($"{n_outputs} outputs cannot model the {source.classes.Length} classes of '{source.name}' (1 output for 2 classes, else one per class).");
        this.source = source;
        this.penalty = penalty;
        k = n_outputs;
        d = source.n_features;
        l2 = penalty.l2_strength(source.n_samples);
        labelSmoothing = label_smoothing;
        this.dtype = dtype;
        tensors = new BatchTensors(scaler, class_weight);
        batchGradient = new double[n_parameters];
        this.cancellation = cancellation;
    }

    /// <summary>The penalty and C.</summary>
    public Penalty penalty { get; }

    /// <inheritdoc />
    public long n_samples => source.n_samples;

    /// <inheritdoc />
    public long n_batches => source.n_batches;

    /// <inheritdoc />
    public int n_parameters => k * d + k;

    /// <inheritdoc />
    public int n_penalized => k * d;

    /// <inheritdoc />
    public double l1_strength => penalty.l1_strength(source.n_samples);

    /// <inheritdoc />
    public double l2_strength => l2;

    /// <inheritdoc />
    public bool is_hessian_supported => false;

    /// <inheritdoc />
    public IReadOnlyList<double[]> null_directions => LinearModelGeometry.null_directions(k, d, l2);

    /// <inheritdoc />
    public double value(double[] theta) => value_and_gradient(theta, new double[n_parameters]);

    /// <inheritdoc />
    public double value_and_gradient(double[] theta, double[] gradient)
    {
        check(theta, gradient);
        Array.Clear(gradient);
        double total = 0;
        source.rewind(batch_rows: source.evaluation_batch_size);
        while (source.next() is { } batch)
        {
            double share = (double)batch.n_rows / source.n_samples;
            total += share * data_term(batch, theta, batchGradient);
            for (int j = 0; j < gradient.Length; j++) gradient[j] += share * batchGradient[j];
        }
        return total + add_l2(theta, gradient);
    }

    /// <inheritdoc />
    public void begin_epoch() => source.rewind(shuffle: true);

    /// <inheritdoc />
    public bool next_batch(double[] theta, double[] gradient, out double value)
    {
        check(theta, gradient);
        value = 0;
        if (source.next() is not { } batch) return false;
        value = data_term(batch, theta, gradient) + add_l2(theta, gradient);
        return true;
    }

    /// <summary>Not available: a Hessian needs all rows at once. Use sgd or adagrad.</summary>
    public double[] hessian(double[] theta) => throw not_streamable("Hessians");

    /// <summary>Not available: Hessian-vector products are not offered for streamed data. Use sgd or adagrad.</summary>
    public void hessian_vector_product(double[] theta, double[] v, double[] result) => throw not_streamable("Hessian-vector products");

    /// <summary>Not available: the bound needs the largest eigenvalue of X̃ᵀX̃ over all rows. Use sgd or adagrad.</summary>
    public double lipschitz_bound() => throw not_streamable("a Lipschitz bound");

    /// <summary>Disposes the batch tensors (not the stream, which the caller owns).</summary>
    public void Dispose() => tensors.Dispose();

    /// <summary>(1/|B|) Σ_B sᵢℓᵢ and its gradient, by <see cref="LinearModelObjective"/> on the batch.</summary>
    private double data_term(RowBatch batch, double[] theta, double[] gradient)
    {
        cancellation.ThrowIfCancellationRequested();
        using var scope = NewDisposeScope();
        var (x, y, s) = tensors.fill(batch);
        var xb = dtype == ScalarType.Float64 ? x : x.to_type(dtype);
        var sb = s is null || dtype == ScalarType.Float64 ? s : s.to_type(dtype);
        using var batchObjective = new LinearModelObjective(xb, y, k, Penalty.none, sb, labelSmoothing);
        return batchObjective.value_and_gradient(theta, gradient);
    }

    /// <summary>Adds λ₂·W to the gradient's coefficient part and returns λ₂·½‖W‖².</summary>
    private double add_l2(double[] theta, double[] gradient)
    {
        if (l2 == 0) return 0;
        double squares = 0;
        for (int j = 0; j < n_penalized; j++)
        {
            gradient[j] += l2 * theta[j];
            squares += theta[j] * theta[j];
        }
        return 0.5 * l2 * squares;
    }

    private void check(double[] theta, double[] gradient)
    {
        if (theta.Length != n_parameters || gradient.Length != n_parameters)
            throw new ArgumentException($"θ has {theta.Length} entries and the gradient {gradient.Length}; this objective has {n_parameters} (K·d + K = {k}·{d} + {k}).");
    }

    private static NotSupportedException not_streamable(string what) =>
        new($"{what} need all rows in memory; streamed data is trained with sgd or adagrad (or load the data in memory instead of DataStreams.open).");
}
