using static TorchSharp.torch;

namespace TorchLogistic.Losses;

/// <summary>
/// A <see cref="PointwiseLoss"/> that acts entry by entry: ℓ(y, z) = Σⱼ e(yⱼ, zⱼ) over a row, so targets have the
/// logits' shape, the per-sample Hessian blocks are diagonal, and sample weights may be given per entry.
/// Derived classes give e, e′ and e″.
/// </summary>
public abstract class ElementwiseLoss : PointwiseLoss
{
    /// <inheritdoc />
    public override bool is_elementwise => true;

    /// <summary>e per entry, the logits' shape.</summary>
    protected abstract Tensor entry_value(Tensor y_true, Tensor raw_prediction);

    /// <summary>e′ per entry, the logits' shape.</summary>
    protected abstract Tensor entry_derivative(Tensor y_true, Tensor raw_prediction);

    /// <summary>e″ per entry, the logits' shape.</summary>
    protected abstract Tensor entry_curvature(Tensor y_true, Tensor raw_prediction);

    /// <summary>e and e′ per entry together; override to share intermediate results.</summary>
    protected virtual (Tensor value, Tensor derivative) entry_value_derivative(Tensor y_true, Tensor raw_prediction) =>
        (entry_value(y_true, raw_prediction), entry_derivative(y_true, raw_prediction));

    /// <inheritdoc />
    protected override (Tensor loss, Tensor gradient) unweighted_loss_gradient(Tensor y_true, Tensor raw_prediction) =>
        entry_value_derivative(targets(y_true, raw_prediction), raw_prediction);

    /// <inheritdoc />
    protected override Tensor unweighted_loss(Tensor y_true, Tensor raw_prediction) => entry_value(targets(y_true, raw_prediction), raw_prediction);

    /// <inheritdoc />
    protected override Tensor unweighted_gradient(Tensor y_true, Tensor raw_prediction) => entry_derivative(targets(y_true, raw_prediction), raw_prediction);

    /// <inheritdoc />
    protected override Tensor unweighted_hessian_blocks(Tensor y_true, Tensor raw_prediction)
    {
        var curvature = entry_curvature(targets(y_true, raw_prediction), raw_prediction);
        return raw_prediction.dim() == 1 ? curvature : curvature.reshape(raw_prediction.shape[0], -1).diag_embed();
    }

    /// <inheritdoc />
    protected override Tensor unweighted_hessian_product(Tensor y_true, Tensor raw_prediction, Tensor direction) =>
        entry_curvature(targets(y_true, raw_prediction), raw_prediction) * direction;

    /// <inheritdoc />
    protected override void validate_targets(Tensor y_true, Tensor raw_prediction)
    {
        if (!y_true.shape.SequenceEqual(raw_prediction.shape))
            throw new ArgumentException($"Targets have shape [{string.Join(", ", y_true.shape)}]; this loss needs the logits' shape [{string.Join(", ", raw_prediction.shape)}].", nameof(y_true));
    }

    /// <summary>Targets in the logits' dtype (integer 0/1 labels are accepted).</summary>
    private static Tensor targets(Tensor y_true, Tensor raw_prediction) => y_true.dtype == raw_prediction.dtype ? y_true : y_true.to_type(raw_prediction.dtype);
}
