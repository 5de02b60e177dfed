using TorchLogistic.Losses;
using static TorchSharp.torch;

namespace TorchLogistic.Objectives;

/// <summary>
/// The objective every TorchLogistic solver minimises, for every linear model:
/// <code>
/// F(θ) = (1/m) Σᵢ sᵢ · ℓ(yᵢ, zᵢ)  +  [ (1 − ρ)·½‖W‖²_F + ρ·‖W‖₁ ] / (C·m)
/// </code>
/// with θ = [vec(W); b], logits <c>zᵢ = W xᵢ + b</c>, sᵢ the sample weight times the class weight of yᵢ
/// (1 by default), m the number of rows (not Σsᵢ), ρ = 0 for L2, 1 for L1, l1_ratio for elastic net, and
/// the penalty dropped for <c>none</c>. The intercepts b are never penalised. ℓ is binary cross-entropy with
/// logits (K = 1 output) or categorical cross-entropy with logits (K ≥ 2 outputs), against one-hot targets or,
/// with label smoothing ε, <c>(1 − ε)·onehot(yᵢ) + ε/K</c> (K = 2 for one output). This is scikit-learn's
/// <c>LogisticRegression</c> objective <c>C Σ sᵢℓᵢ + P(W)</c> divided by C·m: the same optimum, on a
/// scale that does not grow with m. <see cref="WeightConvention"/> gives PyTorch's alternative normalisation of
/// class weights and the map between pos_weight, class_weight and C.
/// <para>
/// A thin adapter: θ ↔ tensors, a dispose scope per call, and the weights sᵢ/m. Every formula — the loss, the
/// residual, the Hessian blocks, θ's order, the chain rule through X — is the loss layer's
/// (<see cref="PointwiseBinaryCrossEntropy"/> or <see cref="PointwiseCrossEntropy"/> under
/// <see cref="LinearModelLoss"/>), as scikit-learn's solvers see only its <c>LinearModelLoss</c>. The one exception
/// is the optional fast path for float32 softmax (<see cref="is_fused"/>), checked against this path by tests.
/// <see cref="AutogradObjective"/> evaluates the same F through a module, TorchSharp's built-in losses and autograd.
/// </para>
/// </summary>
public sealed class LinearModelObjective : IStochasticObjective, IPreconditionedObjective, IDisposable
{
    private readonly Tensor x;
    private readonly Tensor y_true;       // float targets (m) for K = 1, int64 class indices (m) for K ≥ 2
    private readonly Tensor? s;           // sᵢ (sample × class weight under ScikitLearn; sample weight under PyTorch)
    private readonly Tensor row_weight;   // the loss layer's sample weights over all rows: sᵢ/m or sᵢ/Σw_y
    private readonly Tensor? class_weight_by_row; // w_{yᵢ} under PyTorch with K ≥ 2 (the normaliser of a mini-batch), else null
    private readonly Tensor? geometry_weight;     // per-row curvature weight relative to 1/m, for the bounds
    private readonly LinearModelLoss loss;
    private readonly long m;
    private readonly long d;
    private readonly long k;
    private readonly double l2;
    private double? lipschitz;
    private readonly FusedSoftmaxKernel? fused;
    private CurvatureBoundPreconditioner? bound;

    /// <summary>Creates the objective over the rows of <paramref name="features"/>.</summary>
    /// <param name="features">X, shape <c>(m, d)</c>, float64 or float32 (the compute dtype).</param>
    /// <param name="labels">Class indices, int64, shape <c>(m)</c>: 0/1 for K = 1, 0..K−1 for K ≥ 2.</param>
    /// <param name="n_outputs">K: 1 for binary logistic regression, the number of classes for softmax.</param>
    /// <param name="penalty">The penalty and C.</param>
    /// <param name="sample_weight">sᵢ ≥ 0, shape <c>(m)</c>, or null for all ones (under <see cref="WeightConvention.ScikitLearn"/> it may already include class weights).</param>
    /// <param name="label_smoothing">ε in [0, 1): targets <c>(1 − ε)·onehot(y) + ε/K</c> (PyTorch's), K = 2 for one output; default 0.</param>
    /// <param name="class_weight">Weights per class (2 for K = 1, K otherwise), applied by <paramref name="convention"/>, or null (default).</param>
    /// <param name="convention">How class weights enter and how the data term is normalised (default <see cref="WeightConvention.ScikitLearn"/>).</param>
    public LinearModelObjective(Tensor features, Tensor labels, int n_outputs, Penalty penalty, Tensor? sample_weight = null, double label_smoothing = 0,
        double[]? class_weight = null, WeightConvention convention = WeightConvention.ScikitLearn)
    {
        // Every check before any tensor is made, so that a bad argument leaks nothing.
        if (features.dim() != 2) throw new ArgumentException($"Features must be a matrix (m, d); got shape [{string.Join(", ", features.shape)}].");
        m = features.shape[0];
        d = features.shape[1];
        k = n_outputs;
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(n_outputs), n_outputs, "A linear model needs at least one output.");
        if (m == 0) throw new ArgumentException("The objective needs at least one row.");
        if (d == 0) throw new ArgumentException("The objective needs at least one feature.");
        if (labels.shape.Length != 1 || labels.shape[0] != m)
            throw new ArgumentException($"Labels have shape [{string.Join(", ", labels.shape)}]; expected [{m}] to match the features.");
        if (sample_weight is not null && (sample_weight.shape.Length != 1 || sample_weight.shape[0] != m))
            throw new ArgumentException($"Sample weights have shape [{string.Join(", ", sample_weight.shape)}]; expected [{m}].");
        if (!(label_smoothing >= 0 && label_smoothing < 1))
            throw new ArgumentOutOfRangeException(nameof(label_smoothing), label_smoothing, $"Label smoothing {label_smoothing} must be in [0, 1).");
        long classes = k == 1 ? 2 : k;
        if (class_weight is not null && class_weight.Length != classes)
            throw new ArgumentException($"{class_weight.Length} class weights for {classes} classes; give one weight per class.", nameof(class_weight));
        if (class_weight is not null && class_weight.Any(w => !(w >= 0) || !double.IsFinite(w)))
            throw new ArgumentException("Class weights must be finite and ≥ 0.", nameof(class_weight));
        this.penalty = penalty;
        this.convention = convention;
        l2 = penalty.l2_strength(m);
        dtype = features.dtype;
        bool pytorch = convention == WeightConvention.PyTorch && class_weight is not null;

        using var scope = NewDisposeScope();
        var yIndex = labels.to_type(ScalarType.Int64).detach().clone();
        var w = class_weight is null ? null : tensor(class_weight, dtype);
        PointwiseLoss pointwise = k == 1
            ? new PointwiseBinaryCrossEntropy(class_weight: pytorch ? new BinaryClassWeights(class_weight![0], class_weight[1]) : null)
            : new PointwiseCrossEntropy(weight: pytorch ? w : null, label_smoothing: label_smoothing);
        loss = new LinearModelLoss(pointwise, d, k);
        // Label smoothing of one output: t = (1 − ε)·y + ε/2 (softmax smooths inside PointwiseCrossEntropy).
        var target = k == 1 ? (label_smoothing == 0 ? yIndex.to_type(dtype) : yIndex.to_type(dtype) * (1 - label_smoothing) + label_smoothing / 2) : yIndex;
        var probe = zeros(k == 1 ? new[] { m } : new[] { m, k }, dtype: dtype);
        pointwise.check_targets(target, probe);
        var xs = features.detach().to_type(dtype).clone();
        var rowWeights = sample_weight?.detach().to_type(dtype).clone();
        if (w is not null && !pytorch)
        {
            var byRow = w.index_select(0, yIndex);
            rowWeights = rowWeights is null ? byRow : rowWeights * byRow;
        }
        Tensor? wy = pytorch && k > 1 ? w!.index_select(0, yIndex) : null;
        var normaliser = wy is null ? tensor((double)m, dtype) : wy.sum();
        var all = (rowWeights ?? ones(m, dtype: dtype)) / normaliser;
        // The curvature of row i relative to the bounds' (1/m)·sᵢ: m·(row weight)·Σ_c q_c, for the Lipschitz bound and preconditioner.
        Tensor? geometry = rowWeights;
        if (pytorch)
        {
            // Σ_c q_c: w_y(1 − ε) + (ε/K)Σw for softmax, α₁·t + α₀·(1 − t) for one output.
            var total = k == 1 ? w![1] * target + w[0] * (1 - target) : ((PointwiseCrossEntropy)pointwise).effective_targets(target, probe).sum(1);
            geometry = all * total * m;
        }
        x = xs.DetachFromDisposeScope();
        y_true = target.DetachFromDisposeScope();
        s = rowWeights?.DetachFromDisposeScope();
        row_weight = all.DetachFromDisposeScope();
        class_weight_by_row = wy?.DetachFromDisposeScope();
        geometry_weight = ReferenceEquals(geometry, rowWeights) ? s : geometry?.DetachFromDisposeScope();
        if (pytorch && k > 1) w!.DetachFromDisposeScope();
        // float32 softmax whose rows' effective targets sum to 1: one fused pass over X (float32 products, float64 sums).
        if (dtype == ScalarType.Float32 && k >= 2 && !pytorch && FusedSoftmaxKernel.is_supported)
            fused = new FusedSoftmaxKernel(x, ((PointwiseCrossEntropy)pointwise).effective_targets(y_true, probe), s);
    }

    /// <summary>
    /// True when full-batch values and gradients use the fused float32 kernel (float32 features, K ≥ 2, a CPU
    /// with AVX2 and FMA, and no class weights under <see cref="WeightConvention.PyTorch"/>): one pass over X per
    /// evaluation with float64 accumulation. Its buffers are the objective's own, so one objective must not be
    /// evaluated from two threads at once (solvers never do).
    /// </summary>
    public bool is_fused => fused is not null;

    /// <summary>The penalty and C.</summary>
    public Penalty penalty { get; }

    /// <summary>How class weights enter and the data term is normalised.</summary>
    public WeightConvention convention { get; }

    /// <summary>Compute dtype (that of the features).</summary>
    public ScalarType dtype { get; }

    /// <inheritdoc />
    public long n_samples => m;

    /// <inheritdoc />
    public int n_parameters => checked((int)(k * d + k));

    /// <inheritdoc />
    public int n_penalized => checked((int)(k * d));

    /// <inheritdoc />
    public double l1_strength => penalty.l1_strength(m);

    /// <inheritdoc />
    public double l2_strength => l2;

    /// <inheritdoc />
    public bool is_hessian_supported => true;

    /// <summary>
    /// The smooth part of F from per-sample losses computed elsewhere: <c>(1/m) Σ sᵢℓᵢ + λ₂·½‖W‖²</c> — the
    /// reduction <see cref="AutogradObjective"/> applies to TorchSharp's built-in losses.
    /// </summary>
    /// <param name="per_sample_loss">ℓᵢ, shape <c>(m)</c>.</param>
    /// <param name="sample_weight">sᵢ, shape <c>(m)</c>, or null.</param>
    /// <param name="weight">W (any shape).</param>
    /// <param name="l2_strength">λ₂ = (1 − ρ)/(C·m).</param>
    public static Tensor smooth_value(Tensor per_sample_loss, Tensor? sample_weight, Tensor weight, double l2_strength)
    {
        using var scope = NewDisposeScope();
        long rows = per_sample_loss.shape[0];
        var data = (sample_weight is null ? per_sample_loss.sum() : (sample_weight * per_sample_loss).sum()) / rows;
        var total = l2_strength == 0 ? data : data + 0.5 * l2_strength * weight.square().sum();
        return total.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public double value(double[] theta)
    {
        if (fused is not null) return fused_evaluate(theta, null);
        using var scope = NewDisposeScope();
        return scalar(loss.loss(parameters(theta), x, y_true, row_weight, l2));
    }

    /// <inheritdoc />
    public double value_and_gradient(double[] theta, double[] gradient)
    {
        if (fused is not null) return fused_evaluate(theta, gradient);
        using var scope = NewDisposeScope();
        var (value, g) = loss.loss_gradient(parameters(theta), x, y_true, row_weight, l2);
        write(g, gradient);
        return scalar(value);
    }

    /// <inheritdoc />
    public double value_and_gradient(double[] theta, double[] gradient, long[] rows)
    {
        if (rows.Length == 0) throw new ArgumentException("A mini-batch needs at least one row.", nameof(rows));
        using var scope = NewDisposeScope();
        var index = tensor(rows, ScalarType.Int64);
        // The batch's own normaliser: |B|, or Σ_B w_y under PyTorch's convention.
        var normaliser = class_weight_by_row is null ? tensor((double)rows.Length, dtype) : class_weight_by_row.index_select(0, index).sum();
        var weights = (s is null ? ones(rows.Length, dtype: dtype) : s.index_select(0, index)) / normaliser;
        var (value, g) = loss.loss_gradient(parameters(theta), x.index_select(0, index), y_true.index_select(0, index), weights, l2);
        write(g, gradient);
        return scalar(value);
    }

    /// <inheritdoc />
    public double[] hessian(double[] theta)
    {
        using var scope = NewDisposeScope();
        var result = new double[n_parameters * n_parameters];
        write(loss.hessian(parameters(theta), x, y_true, row_weight, l2), result);
        return result;
    }

    /// <inheritdoc />
    public void hessian_vector_product(double[] theta, double[] v, double[] result)
    {
        using var scope = NewDisposeScope();
        write(loss.hessian_vector_product(parameters(theta), parameters(v), x, y_true, row_weight, l2), result);
    }

    /// <summary>The logits Z = X Wᵀ + b at θ, row-major: <c>(m)</c> for K = 1, <c>(m, K)</c> otherwise.</summary>
    /// <param name="theta">θ = [vec(W); b].</param>
    public double[] logits(double[] theta)
    {
        using var scope = NewDisposeScope();
        var z = loss.raw_prediction(parameters(theta), x, y_true);
        var result = new double[z.numel()];
        write(z, result);
        return result;
    }

    /// <inheritdoc />
    public double lipschitz_bound() => lipschitz ??= LinearModelGeometry.lipschitz_bound(x, geometry_weight, k, l2);

    /// <summary>Applies the inverse of Böhning's curvature bound (<see cref="CurvatureBoundPreconditioner"/>), built on first use.</summary>
    public void precondition(double[] v, double[] result) =>
        (bound ??= new CurvatureBoundPreconditioner(x, geometry_weight, checked((int)k), l2)).apply(v, result);

    /// <inheritdoc />
    public IReadOnlyList<double[]> null_directions => LinearModelGeometry.null_directions(k, d, l2);

    private double fused_evaluate(double[] theta, double[]? gradient)
    {
        check_length(theta);
        int kd = checked((int)(k * d));
        var weight = theta.AsSpan(0, kd);
        var bias = theta.AsSpan(kd);
        double data = gradient is null
            ? fused!.evaluate(weight, bias, default, default, get_num_threads())
            : fused!.evaluate(weight, bias, gradient.AsSpan(0, kd), gradient.AsSpan(kd), get_num_threads());
        double squared = 0;
        for (int i = 0; i < kd; i++) squared += theta[i] * theta[i];
        if (gradient is not null && l2 != 0)
        {
            for (int i = 0; i < kd; i++) gradient[i] += l2 * theta[i];
        }
        return data / m + 0.5 * l2 * squared;
    }

    /// <summary>Disposes the tensors the objective holds.</summary>
    public void Dispose()
    {
        x.Dispose();
        y_true.Dispose();
        if (!ReferenceEquals(geometry_weight, s)) geometry_weight?.Dispose();
        s?.Dispose();
        row_weight.Dispose();
        class_weight_by_row?.Dispose();
        (loss.base_loss as PointwiseCrossEntropy)?.weight?.Dispose();
        bound?.Dispose();
    }

    /// <summary>θ (or a direction) as a tensor of the compute dtype.</summary>
    private Tensor parameters(double[] theta)
    {
        check_length(theta);
        var t = tensor(theta, ScalarType.Float64);
        return dtype == ScalarType.Float64 ? t : t.to_type(dtype);
    }

    private void check_length(double[] theta)
    {
        if (theta.Length != n_parameters)
            throw new ArgumentException($"θ has {theta.Length} entries; this objective has {n_parameters} (K·d + K = {k}·{d} + {k}).");
    }

    private static double scalar(Tensor value) => value.to_type(ScalarType.Float64).item<double>();

    private static void write(Tensor values, double[] destination)
    {
        var cpu = values.to_type(ScalarType.Float64).contiguous();
        cpu.data<double>().CopyTo(destination);
    }
}
