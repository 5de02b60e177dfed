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
        this.weight = weight;
    }

    /// <summary>w, or null.</summary>
    public Tensor? weight { get; }

    /// <inheritdoc />
    protected override Tensor entry_value(Tensor y_true, Tensor raw_prediction)
    {
        using var scope = NewDisposeScope();
        var c = factor(raw_prediction);
        return LogisticTerms.value(y_true, raw_prediction, c, c).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override Tensor entry_derivative(Tensor y_true, Tensor raw_prediction)
    {
        using var scope = NewDisposeScope();
        var c = factor(raw_prediction);
        return LogisticTerms.derivative(y_true, raw_prediction, c, c).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override Tensor entry_curvature(Tensor y_true, Tensor raw_prediction)
    {
        using var scope = NewDisposeScope();
        var c = factor(raw_prediction);
        return LogisticTerms.curvature(y_true, raw_prediction, c, c).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void validate_targets(Tensor y_true, Tensor raw_prediction)
    {
        if (raw_prediction.dim() != 2)
            throw new ArgumentException($"The logits have shape [{string.Join(", ", raw_prediction.shape)}]; the multi-label soft margin needs (m, C).", nameof(raw_prediction));
        if (weight is not null && weight.shape[0] != raw_prediction.shape[1])
            throw new ArgumentException($"weight has {weight.shape[0]} entries but there are {raw_prediction.shape[1]} labels; give one weight per label.");
        base.validate_targets(y_true, raw_prediction);
    }

    /// <summary>w_c / C, broadcast over the rows.</summary>
    private Tensor factor(Tensor raw_prediction)
    {
        double inverse = 1.0 / raw_prediction.shape[1];
        return weight is null ? tensor(inverse, raw_prediction.dtype) : weight.to_type(raw_prediction.dtype) * inverse;
    }
}
