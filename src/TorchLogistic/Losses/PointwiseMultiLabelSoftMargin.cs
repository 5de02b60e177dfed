using TorchLogistic.Native;
using static TorchSharp.torch;

namespace TorchLogistic.Losses;

/// <summary>
/// The multi-label soft-margin loss per sample over C independent labels y ∈ {0, 1}ᶜ (soft targets allowed):
/// <code>
/// ℓ(y, z) = −(1/C) Σ_c w_c·[y_c·log σ(z_c) + (1 − y_c)·log σ(−z_c)]
/// </code>
/// — binary cross-entropy per label with class weights w (PyTorch's <c>weight</c>), averaged over the labels.
/// Per entry: e′ = (w_c/C)(σ(z_c) − y_c), e″ = (w_c/C)·σ(z_c)σ(−z_c). Logits and targets are <c>(m, C)</c>.
/// </summary>
public sealed class PointwiseMultiLabelSoftMargin : ElementwiseLoss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="weight">w, one weight per label, shape <c>(C)</c>, or null for 1.</param>
    public PointwiseMultiLabelSoftMargin(Tensor? weight = null)
    {
        if (weight is not null && (weight.dim() != 1 || !weight.is_floating_point()))
            throw new ArgumentException($"weight has shape [{string.Join(", ", weight.shape)}] and dtype {weight.dtype}; give a floating-point vector with one weight per label.", nameof(weight));
        this.Weight = weight;
    }

    /// <summary>w, or null.</summary>
    public Tensor? Weight { get; }

    /// <inheritdoc />
    protected override Tensor EntryValue(Tensor yTrue, Tensor rawPrediction)
    {
        using var scope = NewDisposeScope();
        var c = Factor(rawPrediction);
        return LogisticTerms.Value(yTrue, rawPrediction, c, c).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override Tensor EntryDerivative(Tensor yTrue, Tensor rawPrediction)
    {
        using var scope = NewDisposeScope();
        var c = Factor(rawPrediction);
        return LogisticTerms.Derivative(yTrue, rawPrediction, c, c).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override Tensor EntryCurvature(Tensor yTrue, Tensor rawPrediction)
    {
        using var scope = NewDisposeScope();
        var c = Factor(rawPrediction);
        return LogisticTerms.Curvature(yTrue, rawPrediction, c, c).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void ValidateTargets(Tensor yTrue, Tensor rawPrediction)
    {
        if (rawPrediction.dim() != 2)
            throw new ArgumentException($"The logits have shape [{string.Join(", ", rawPrediction.shape)}]; the multi-label soft margin needs (m, C).", nameof(rawPrediction));
        if (Weight is not null && Weight.shape[0] != rawPrediction.shape[1])
            throw new ArgumentException($"weight has {Weight.shape[0]} entries but there are {rawPrediction.shape[1]} labels; give one weight per label.");
        base.ValidateTargets(yTrue, rawPrediction);
    }

    /// <summary>w_c / C, broadcast over the rows.</summary>
    private Tensor Factor(Tensor rawPrediction)
    {
        double inverse = 1.0 / rawPrediction.shape[1];
        return Weight is null ? tensor(inverse, rawPrediction.dtype) : Weight.to_type(rawPrediction.dtype).Times(inverse);
    }
}
