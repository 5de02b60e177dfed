using static TorchSharp.torch;

namespace TorchLogistic.Losses;

/// <summary>
/// A loss as scikit-learn's <c>sklearn._loss</c> defines one: per-sample values and derivatives with respect to
/// the raw predictions (logits), each multiplied by its sample weight, with no reduction. Rows are along
/// dimension 0: <c>raw_prediction</c> is <c>(m)</c> (one logit per sample) or <c>(m, r…)</c> (a row of logits).
/// <list type="bullet">
/// <item><see cref="loss"/>: sᵢ·ℓ(yᵢ, zᵢ), shape <c>(m)</c>.</item>
/// <item><see cref="gradient"/>: sᵢ·∂ℓ/∂zᵢ, the shape of <c>raw_prediction</c>.</item>
/// <item><see cref="gradient_hessian"/>: the gradient and the per-sample Hessian blocks sᵢ·∂²ℓ/∂zᵢ², shape
/// <c>(m)</c> when zᵢ is a number and <c>(m, r, r)</c> when it is a row of r logits (row-major over the trailing dims).</item>
/// <item><see cref="hessian_product"/>: sᵢ·(∂²ℓ/∂zᵢ²)·vᵢ, the shape of <c>raw_prediction</c>, without forming blocks.</item>
/// </list>
/// A weighted sum over samples of these is the data term of any objective; <see cref="LinearModelLoss"/> turns
/// them into gradients, Hessians and Hessian-vector products with respect to a linear model's (W, b), and
/// each <see cref="LogitLoss"/> module expresses PyTorch's reductions as sample weights over the same classes.
/// </summary>
public abstract class PointwiseLoss
{
    /// <summary>
    /// True when ℓ acts entry by entry on the raw predictions (binary cross-entropy, soft margin, multi-label soft
    /// margin), so targets have the shape of the logits and sample weights may be given per entry;
    /// false when ℓ couples a row (categorical cross-entropy).
    /// </summary>
    public abstract bool is_elementwise { get; }

    /// <summary>sᵢ·ℓ(yᵢ, zᵢ) per sample, shape <c>(m)</c> (for rows of logits, summed over the row).</summary>
    /// <param name="y_true">Targets; the form depends on the loss.</param>
    /// <param name="raw_prediction">Logits z, <c>(m)</c> or <c>(m, r…)</c>.</param>
    /// <param name="sample_weight">sᵢ, shape <c>(m)</c> (or, for element-wise losses, the shape of the logits), or null for 1.</param>
    public Tensor loss(Tensor y_true, Tensor raw_prediction, Tensor? sample_weight = null)
    {
        using var scope = NewDisposeScope();
        validate(y_true, raw_prediction, sample_weight);
        return rows_sum(weighted(unweighted_loss(y_true, raw_prediction), sample_weight, raw_prediction)).MoveToOuterDisposeScope();
    }

    /// <summary>sᵢ·ℓ before summing a row: per entry for element-wise losses, per sample otherwise (PyTorch's <c>reduction: none</c>).</summary>
    internal Tensor entry_loss(Tensor y_true, Tensor raw_prediction, Tensor? sample_weight)
    {
        using var scope = NewDisposeScope();
        validate(y_true, raw_prediction, sample_weight);
        return weighted(unweighted_loss(y_true, raw_prediction), sample_weight, raw_prediction).MoveToOuterDisposeScope();
    }

    /// <summary>Checks targets against logits without evaluating anything.</summary>
    internal void check_targets(Tensor y_true, Tensor raw_prediction) => validate_targets(y_true, raw_prediction);

    /// <summary>sᵢ·∂ℓ/∂zᵢ, the shape of <paramref name="raw_prediction"/>.</summary>
    /// <inheritdoc cref="loss" path="/param"/>
    public Tensor gradient(Tensor y_true, Tensor raw_prediction, Tensor? sample_weight = null)
    {
        using var scope = NewDisposeScope();
        validate(y_true, raw_prediction, sample_weight);
        return weighted(unweighted_gradient(y_true, raw_prediction), sample_weight, raw_prediction).MoveToOuterDisposeScope();
    }

    /// <summary>The loss per sample and its gradient, sharing the work.</summary>
    /// <inheritdoc cref="loss" path="/param"/>
    public (Tensor loss, Tensor gradient) loss_gradient(Tensor y_true, Tensor raw_prediction, Tensor? sample_weight = null)
    {
        using var scope = NewDisposeScope();
        validate(y_true, raw_prediction, sample_weight);
        var (l, g) = unweighted_loss_gradient(y_true, raw_prediction);
        var loss = rows_sum(weighted(l, sample_weight, raw_prediction)).MoveToOuterDisposeScope();
        var gradient = weighted(g, sample_weight, raw_prediction).MoveToOuterDisposeScope();
        return (loss, gradient);
    }

    /// <summary>
    /// The gradient and the per-sample Hessian blocks sᵢ·∂²ℓ/∂zᵢ²: shape <c>(m)</c> when the logits are <c>(m)</c>,
    /// else <c>(m, r, r)</c> with r the number of logits in a row. Every block is symmetric; it is positive
    /// semi-definite for these convex losses when the weights are ≥ 0.
    /// </summary>
    /// <inheritdoc cref="loss" path="/param"/>
    public (Tensor gradient, Tensor hessian) gradient_hessian(Tensor y_true, Tensor raw_prediction, Tensor? sample_weight = null)
    {
        using var scope = NewDisposeScope();
        validate(y_true, raw_prediction, sample_weight);
        var gradient = weighted(unweighted_gradient(y_true, raw_prediction), sample_weight, raw_prediction);
        var blocks = unweighted_hessian_blocks(y_true, raw_prediction);
        if (sample_weight is not null)
        {
            blocks = raw_prediction.dim() == 1
                ? blocks * row_weights(sample_weight, raw_prediction)
                : blocks * block_weights(sample_weight, raw_prediction);
        }
        return (gradient.MoveToOuterDisposeScope(), blocks.MoveToOuterDisposeScope());
    }

    /// <summary>sᵢ·(∂²ℓ/∂zᵢ²)·vᵢ row by row, the shape of <paramref name="raw_prediction"/>.</summary>
    /// <param name="y_true">Targets.</param>
    /// <param name="raw_prediction">Logits z.</param>
    /// <param name="direction">v, the shape of the logits.</param>
    /// <param name="sample_weight">sᵢ, or null.</param>
    public Tensor hessian_product(Tensor y_true, Tensor raw_prediction, Tensor direction, Tensor? sample_weight = null)
    {
        using var scope = NewDisposeScope();
        validate(y_true, raw_prediction, sample_weight);
        if (!direction.shape.SequenceEqual(raw_prediction.shape))
            throw new ArgumentException($"The direction has shape [{string.Join(", ", direction.shape)}]; it must have the logits' shape [{string.Join(", ", raw_prediction.shape)}].", nameof(direction));
        var hv = unweighted_hessian_product(y_true, raw_prediction, direction.to_type(raw_prediction.dtype));
        return weighted(hv, sample_weight, raw_prediction).MoveToOuterDisposeScope();
    }

    /// <summary>ℓ per entry (element-wise losses) or per row (row losses), before sample weights.</summary>
    protected abstract Tensor unweighted_loss(Tensor y_true, Tensor raw_prediction);

    /// <summary>∂ℓ/∂z, the shape of the logits, before sample weights.</summary>
    protected abstract Tensor unweighted_gradient(Tensor y_true, Tensor raw_prediction);

    /// <summary>Loss and gradient together; override to share intermediate results.</summary>
    protected virtual (Tensor loss, Tensor gradient) unweighted_loss_gradient(Tensor y_true, Tensor raw_prediction) =>
        (unweighted_loss(y_true, raw_prediction), unweighted_gradient(y_true, raw_prediction));

    /// <summary>The per-sample Hessian blocks before sample weights: <c>(m)</c> or <c>(m, r, r)</c>.</summary>
    protected abstract Tensor unweighted_hessian_blocks(Tensor y_true, Tensor raw_prediction);

    /// <summary>(∂²ℓ/∂z²)·v row by row, before sample weights.</summary>
    protected abstract Tensor unweighted_hessian_product(Tensor y_true, Tensor raw_prediction, Tensor direction);

    /// <summary>Checks the targets against the logits; throws <see cref="ArgumentException"/> with the fix.</summary>
    protected abstract void validate_targets(Tensor y_true, Tensor raw_prediction);

    private void validate(Tensor y_true, Tensor raw_prediction, Tensor? sample_weight)
    {
        if (!raw_prediction.is_floating_point())
            throw new ArgumentException($"The logits are {raw_prediction.dtype}; they must be float32 or float64.", nameof(raw_prediction));
        if (raw_prediction.dim() < 1)
            throw new ArgumentException("The logits are a scalar; give a tensor with samples along dimension 0 (reshape(1) for one sample).", nameof(raw_prediction));
        validate_targets(y_true, raw_prediction);
        if (sample_weight is null) return;
        long m = raw_prediction.shape[0];
        bool perRow = sample_weight.dim() == 1 && sample_weight.shape[0] == m;
        bool perEntry = is_elementwise && sample_weight.shape.SequenceEqual(raw_prediction.shape);
        if (!perRow && !perEntry)
        {
            string allowed = is_elementwise ? $"[{m}] (one per sample) or the logits' shape [{string.Join(", ", raw_prediction.shape)}]" : $"[{m}] (one per sample)";
            throw new ArgumentException($"Sample weights have shape [{string.Join(", ", sample_weight.shape)}]; expected {allowed}.", nameof(sample_weight));
        }
    }

    /// <summary>Multiplies a logits-shaped tensor by the sample weights (per row or per entry).</summary>
    private static Tensor weighted(Tensor values, Tensor? sample_weight, Tensor raw_prediction)
    {
        if (sample_weight is null) return values;
        return values * (sample_weight.shape.SequenceEqual(values.shape) ? in_dtype(sample_weight, values.dtype) : row_weights(sample_weight, values));
    }

    /// <summary>Per-row weights (m) reshaped to broadcast over a tensor with rows along dimension 0.</summary>
    private static Tensor row_weights(Tensor sample_weight, Tensor like)
    {
        var shape = new long[like.dim()];
        Array.Fill(shape, 1L);
        shape[0] = sample_weight.shape[0];
        return in_dtype(sample_weight, like.dtype).reshape(shape);
    }

    /// <summary>The tensor itself when it already has the dtype (no conversion call per evaluation).</summary>
    private static Tensor in_dtype(Tensor values, ScalarType dtype) => values.dtype == dtype ? values : values.to_type(dtype);

    /// <summary>
    /// Weights for <c>(m, r, r)</c> blocks: per-row weights become <c>(m, 1, 1)</c>; per-entry weights (element-wise
    /// losses only, whose blocks are diagonal) become <c>(m, r, 1)</c> and scale each diagonal entry.
    /// </summary>
    private static Tensor block_weights(Tensor sample_weight, Tensor raw_prediction)
    {
        long m = raw_prediction.shape[0];
        var w = sample_weight.to_type(raw_prediction.dtype);
        return w.dim() == 1 ? w.reshape(m, 1, 1) : w.reshape(m, -1).unsqueeze(2);
    }

    /// <summary>Sums a per-entry tensor over everything but dimension 0.</summary>
    private static Tensor rows_sum(Tensor values) => values.dim() <= 1 ? values : values.reshape(values.shape[0], -1).sum(1);
}
