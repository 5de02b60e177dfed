using static TorchSharp.torch;

namespace TorchLogistic.Losses;

/// <summary>
/// A loss as scikit-learn's <c>sklearn._loss</c> defines one: per-sample values and derivatives with respect to
/// the raw predictions (logits), each multiplied by its sample weight, with no reduction. Rows are along
/// dimension 0: <c>raw_prediction</c> is <c>(m)</c> (one logit per sample) or <c>(m, r…)</c> (a row of logits).
/// <list type="bullet">
/// <item><see cref="Loss"/>: sᵢ·ℓ(yᵢ, zᵢ), shape <c>(m)</c>.</item>
/// <item><see cref="Gradient"/>: sᵢ·∂ℓ/∂zᵢ, the shape of <c>raw_prediction</c>.</item>
/// <item><see cref="GradientHessian"/>: the gradient and the per-sample Hessian blocks sᵢ·∂²ℓ/∂zᵢ², shape
/// <c>(m)</c> when zᵢ is a number and <c>(m, r, r)</c> when it is a row of r logits (row-major over the trailing dims).</item>
/// <item><see cref="HessianProduct"/>: sᵢ·(∂²ℓ/∂zᵢ²)·vᵢ, the shape of <c>raw_prediction</c>, without forming blocks.</item>
/// </list>
/// A weighted sum over samples of these is the data term of any objective; <see cref="LinearModelLoss"/> turns
/// them into gradients, Hessians and Hessian-vector products with respect to a linear model's (W, b), and
/// each <see cref="LogitLoss"/> module expresses PyTorch's reductions as sample weights over the same classes.
/// </summary>
public abstract class PointwiseLoss
{
    private Tensor? _trustedTargets;

    /// <summary>
    /// True when ℓ acts entry by entry on the raw predictions (binary cross-entropy, soft margin, multi-label soft
    /// margin), so targets have the shape of the logits and sample weights may be given per entry;
    /// false when ℓ couples a row (categorical cross-entropy).
    /// </summary>
    public abstract bool IsElementwise { get; }

    /// <summary>sᵢ·ℓ(yᵢ, zᵢ) per sample, shape <c>(m)</c> (for rows of logits, summed over the row).</summary>
    /// <param name="yTrue">Targets; the form depends on the loss.</param>
    /// <param name="rawPrediction">Logits z, <c>(m)</c> or <c>(m, r…)</c>.</param>
    /// <param name="sampleWeight">sᵢ, shape <c>(m)</c> (or, for element-wise losses, the shape of the logits), or null for 1.</param>
    public Tensor Loss(Tensor yTrue, Tensor rawPrediction, Tensor? sampleWeight = null)
    {
        using var scope = NewDisposeScope();
        Validate(yTrue, rawPrediction, sampleWeight);
        return RowsSum(Weighted(UnweightedLoss(yTrue, rawPrediction), sampleWeight, rawPrediction)).MoveToOuterDisposeScope();
    }

    /// <summary>sᵢ·ℓ before summing a row: per entry for element-wise losses, per sample otherwise (PyTorch's <c>reduction: none</c>).</summary>
    internal Tensor EntryLoss(Tensor yTrue, Tensor rawPrediction, Tensor? sampleWeight)
    {
        using var scope = NewDisposeScope();
        Validate(yTrue, rawPrediction, sampleWeight);
        return Weighted(UnweightedLoss(yTrue, rawPrediction), sampleWeight, rawPrediction).MoveToOuterDisposeScope();
    }

    /// <summary>Checks targets against logits without evaluating anything.</summary>
    internal void CheckTargets(Tensor yTrue, Tensor rawPrediction) => ValidateTargets(yTrue, rawPrediction);

    /// <summary>
    /// Checks <paramref name="yTrue"/> once and trusts that very tensor afterwards: calls that pass the same object
    /// skip <see cref="ValidateTargets"/> (for class indices a min/max over the targets and a host synchronisation per
    /// call), and the loss may derive target-only tensors once (<see cref="OnTargetsTrusted"/>). For an owner that
    /// evaluates many times with targets it made and never changes (the objective); any other tensor is still checked.
    /// </summary>
    /// <param name="yTrue">The owner's targets.</param>
    /// <param name="rawPrediction">Logits of the shape the targets go with (for the check only).</param>
    internal void TrustTargets(Tensor yTrue, Tensor rawPrediction)
    {
        ValidateTargets(yTrue, rawPrediction);
        ReleaseTrustedTargets();
        _trustedTargets = yTrue;
        OnTargetsTrusted(yTrue, rawPrediction);
    }

    /// <summary>Forgets the trusted targets and disposes what was derived from them.</summary>
    internal void ReleaseTrustedTargets()
    {
        _trustedTargets = null;
        OnTargetsReleased();
    }

    /// <summary>True when <paramref name="yTrue"/> is the tensor given to <see cref="TrustTargets"/>.</summary>
    private protected bool IsTrusted(Tensor yTrue) => ReferenceEquals(yTrue, _trustedTargets);

    /// <summary>Derives target-only tensors once for trusted targets (default: nothing).</summary>
    private protected virtual void OnTargetsTrusted(Tensor yTrue, Tensor rawPrediction)
    {
    }

    /// <summary>Disposes what <see cref="OnTargetsTrusted"/> derived (default: nothing).</summary>
    private protected virtual void OnTargetsReleased()
    {
    }

    /// <summary>sᵢ·∂ℓ/∂zᵢ, the shape of <paramref name="rawPrediction"/>.</summary>
    /// <inheritdoc cref="Loss" path="/param"/>
    public Tensor Gradient(Tensor yTrue, Tensor rawPrediction, Tensor? sampleWeight = null)
    {
        using var scope = NewDisposeScope();
        Validate(yTrue, rawPrediction, sampleWeight);
        return Weighted(UnweightedGradient(yTrue, rawPrediction), sampleWeight, rawPrediction).MoveToOuterDisposeScope();
    }

    /// <summary>The loss per sample and its gradient, sharing the work.</summary>
    /// <inheritdoc cref="Loss" path="/param"/>
    public (Tensor loss, Tensor gradient) LossGradient(Tensor yTrue, Tensor rawPrediction, Tensor? sampleWeight = null)
    {
        using var scope = NewDisposeScope();
        Validate(yTrue, rawPrediction, sampleWeight);
        var (l, g) = UnweightedLossGradient(yTrue, rawPrediction);
        var loss = RowsSum(Weighted(l, sampleWeight, rawPrediction)).MoveToOuterDisposeScope();
        var gradient = Weighted(g, sampleWeight, rawPrediction).MoveToOuterDisposeScope();
        return (loss, gradient);
    }

    /// <summary>
    /// The gradient and the per-sample Hessian blocks sᵢ·∂²ℓ/∂zᵢ²: shape <c>(m)</c> when the logits are <c>(m)</c>,
    /// else <c>(m, r, r)</c> with r the number of logits in a row. Every block is symmetric; it is positive
    /// semi-definite for these convex losses when the weights are ≥ 0.
    /// </summary>
    /// <inheritdoc cref="Loss" path="/param"/>
    public (Tensor gradient, Tensor hessian) GradientHessian(Tensor yTrue, Tensor rawPrediction, Tensor? sampleWeight = null)
    {
        using var scope = NewDisposeScope();
        Validate(yTrue, rawPrediction, sampleWeight);
        var gradient = Weighted(UnweightedGradient(yTrue, rawPrediction), sampleWeight, rawPrediction);
        var blocks = UnweightedHessianBlocks(yTrue, rawPrediction);
        if (sampleWeight is not null)
        {
            blocks = rawPrediction.dim() == 1
                ? blocks * RowWeights(sampleWeight, rawPrediction)
                : blocks * BlockWeights(sampleWeight, rawPrediction);
        }
        return (gradient.MoveToOuterDisposeScope(), blocks.MoveToOuterDisposeScope());
    }

    /// <summary>sᵢ·(∂²ℓ/∂zᵢ²)·vᵢ row by row, the shape of <paramref name="rawPrediction"/>.</summary>
    /// <param name="yTrue">Targets.</param>
    /// <param name="rawPrediction">Logits z.</param>
    /// <param name="direction">v, the shape of the logits.</param>
    /// <param name="sampleWeight">sᵢ, or null.</param>
    public Tensor HessianProduct(Tensor yTrue, Tensor rawPrediction, Tensor direction, Tensor? sampleWeight = null)
    {
        using var scope = NewDisposeScope();
        Validate(yTrue, rawPrediction, sampleWeight);
        if (!direction.shape.SequenceEqual(rawPrediction.shape))
            throw new ArgumentException($"The direction has shape [{string.Join(", ", direction.shape)}]; it must have the logits' shape [{string.Join(", ", rawPrediction.shape)}].", nameof(direction));
        var hv = UnweightedHessianProduct(yTrue, rawPrediction, direction.to_type(rawPrediction.dtype));
        return Weighted(hv, sampleWeight, rawPrediction).MoveToOuterDisposeScope();
    }

    /// <summary>ℓ per entry (element-wise losses) or per row (row losses), before sample weights.</summary>
    protected abstract Tensor UnweightedLoss(Tensor yTrue, Tensor rawPrediction);

    /// <summary>∂ℓ/∂z, the shape of the logits, before sample weights.</summary>
    protected abstract Tensor UnweightedGradient(Tensor yTrue, Tensor rawPrediction);

    /// <summary>Loss and gradient together; override to share intermediate results.</summary>
    protected virtual (Tensor loss, Tensor gradient) UnweightedLossGradient(Tensor yTrue, Tensor rawPrediction) =>
        (UnweightedLoss(yTrue, rawPrediction), UnweightedGradient(yTrue, rawPrediction));

    /// <summary>The per-sample Hessian blocks before sample weights: <c>(m)</c> or <c>(m, r, r)</c>.</summary>
    protected abstract Tensor UnweightedHessianBlocks(Tensor yTrue, Tensor rawPrediction);

    /// <summary>(∂²ℓ/∂z²)·v row by row, before sample weights.</summary>
    protected abstract Tensor UnweightedHessianProduct(Tensor yTrue, Tensor rawPrediction, Tensor direction);

    /// <summary>Checks the targets against the logits; throws <see cref="ArgumentException"/> with the fix.</summary>
    protected abstract void ValidateTargets(Tensor yTrue, Tensor rawPrediction);

    private void Validate(Tensor yTrue, Tensor rawPrediction, Tensor? sampleWeight)
    {
        if (!rawPrediction.is_floating_point())
            throw new ArgumentException($"The logits are {rawPrediction.dtype}; they must be float32 or float64.", nameof(rawPrediction));
        if (rawPrediction.dim() < 1)
            throw new ArgumentException("The logits are a scalar; give a tensor with samples along dimension 0 (reshape(1) for one sample).", nameof(rawPrediction));
        if (!IsTrusted(yTrue)) ValidateTargets(yTrue, rawPrediction);
        if (sampleWeight is null) return;
        long m = rawPrediction.shape[0];
        bool perRow = sampleWeight.dim() == 1 && sampleWeight.shape[0] == m;
        bool perEntry = IsElementwise && sampleWeight.shape.SequenceEqual(rawPrediction.shape);
        if (!perRow && !perEntry)
        {
            string allowed = IsElementwise ? $"[{m}] (one per sample) or the logits' shape [{string.Join(", ", rawPrediction.shape)}]" : $"[{m}] (one per sample)";
            throw new ArgumentException($"Sample weights have shape [{string.Join(", ", sampleWeight.shape)}]; expected {allowed}.", nameof(sampleWeight));
        }
    }

    /// <summary>Multiplies a logits-shaped tensor by the sample weights (per row or per entry).</summary>
    private static Tensor Weighted(Tensor values, Tensor? sampleWeight, Tensor rawPrediction)
    {
        if (sampleWeight is null) return values;
        return values * (sampleWeight.shape.SequenceEqual(values.shape) ? InDtype(sampleWeight, values.dtype) : RowWeights(sampleWeight, values));
    }

    /// <summary>Per-row weights (m) reshaped to broadcast over a tensor with rows along dimension 0.</summary>
    private static Tensor RowWeights(Tensor sampleWeight, Tensor like)
    {
        var shape = new long[like.dim()];
        Array.Fill(shape, 1L);
        shape[0] = sampleWeight.shape[0];
        return InDtype(sampleWeight, like.dtype).reshape(shape);
    }

    /// <summary>The tensor itself when it already has the dtype (no conversion call per evaluation).</summary>
    private static Tensor InDtype(Tensor values, ScalarType dtype) => values.dtype == dtype ? values : values.to_type(dtype);

    /// <summary>
    /// Weights for <c>(m, r, r)</c> blocks: per-row weights become <c>(m, 1, 1)</c>; per-entry weights (element-wise
    /// losses only, whose blocks are diagonal) become <c>(m, r, 1)</c> and scale each diagonal entry.
    /// </summary>
    private static Tensor BlockWeights(Tensor sampleWeight, Tensor rawPrediction)
    {
        long m = rawPrediction.shape[0];
        var w = sampleWeight.to_type(rawPrediction.dtype);
        return w.dim() == 1 ? w.reshape(m, 1, 1) : w.reshape(m, -1).unsqueeze(2);
    }

    /// <summary>Sums a per-entry tensor over everything but dimension 0.</summary>
    private static Tensor RowsSum(Tensor values) => values.dim() <= 1 ? values : values.reshape(values.shape[0], -1).sum(1);
}
