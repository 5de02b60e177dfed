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
    public override bool IsElementwise => true;

    /// <summary>e per entry, the logits' shape.</summary>
    protected abstract Tensor EntryValue(Tensor yTrue, Tensor rawPrediction);

    /// <summary>e′ per entry, the logits' shape.</summary>
    protected abstract Tensor EntryDerivative(Tensor yTrue, Tensor rawPrediction);

    /// <summary>e″ per entry, the logits' shape.</summary>
    protected abstract Tensor EntryCurvature(Tensor yTrue, Tensor rawPrediction);

    /// <summary>e and e′ per entry together; override to share intermediate results.</summary>
    protected virtual (Tensor value, Tensor derivative) EntryValueDerivative(Tensor yTrue, Tensor rawPrediction) =>
        (EntryValue(yTrue, rawPrediction), EntryDerivative(yTrue, rawPrediction));

    /// <inheritdoc />
    protected override (Tensor loss, Tensor gradient) UnweightedLossGradient(Tensor yTrue, Tensor rawPrediction) =>
        EntryValueDerivative(Targets(yTrue, rawPrediction), rawPrediction);

    /// <inheritdoc />
    protected override Tensor UnweightedLoss(Tensor yTrue, Tensor rawPrediction) => EntryValue(Targets(yTrue, rawPrediction), rawPrediction);

    /// <inheritdoc />
    protected override Tensor UnweightedGradient(Tensor yTrue, Tensor rawPrediction) => EntryDerivative(Targets(yTrue, rawPrediction), rawPrediction);

    /// <inheritdoc />
    protected override Tensor UnweightedHessianBlocks(Tensor yTrue, Tensor rawPrediction)
    {
        var curvature = EntryCurvature(Targets(yTrue, rawPrediction), rawPrediction);
        return rawPrediction.dim() == 1 ? curvature : curvature.reshape(rawPrediction.shape[0], -1).diag_embed();
    }

    /// <inheritdoc />
    protected override Tensor UnweightedHessianProduct(Tensor yTrue, Tensor rawPrediction, Tensor direction) =>
        EntryCurvature(Targets(yTrue, rawPrediction), rawPrediction) * direction;

    /// <inheritdoc />
    protected override void ValidateTargets(Tensor yTrue, Tensor rawPrediction)
    {
        if (!yTrue.shape.SequenceEqual(rawPrediction.shape))
            throw new ArgumentException($"Targets have shape [{string.Join(", ", yTrue.shape)}]; this loss needs the logits' shape [{string.Join(", ", rawPrediction.shape)}].", nameof(yTrue));
    }

    /// <summary>Targets in the logits' dtype (integer 0/1 labels are accepted).</summary>
    private static Tensor Targets(Tensor yTrue, Tensor rawPrediction) => yTrue.dtype == rawPrediction.dtype ? yTrue : yTrue.to_type(rawPrediction.dtype);
}
