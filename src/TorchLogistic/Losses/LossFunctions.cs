using static TorchSharp.torch;

namespace TorchLogistic.Losses;

/// <summary>
/// The losses in functional form, mirroring <c>torch.nn.functional</c> — same names, parameters and values as
/// TorchSharp's built-ins, plus the options PyTorch lacks (binary class weights, log base). The modules
/// (<see cref="global::TorchLogistic.Losses.BinaryCrossEntropyWithLogits"/>, <see cref="CategoricalCrossEntropy"/>, <see cref="SoftMargin"/>,
/// <see cref="MultiLabelSoftMargin"/>) compute the same values and add closed-form derivatives.
/// </summary>
/// <remarks>
/// Not called <c>functional</c>: a type of that name here would be ambiguous with <c>TorchSharp.torch.nn.functional</c>
/// in any file that has both <c>using TorchLogistic.Losses;</c> and <c>using static TorchSharp.torch.nn;</c>.
/// </remarks>
public static class LossFunctions
{
    /// <summary>
    /// Binary cross-entropy with logits: per entry <c>−w·[α₁·p·y·log σ(z) + α₀·(1 − y)·log σ(−z)] / ln(base)</c>,
    /// equal to TorchSharp's <c>binary_cross_entropy_with_logits</c> when α and the base are left at their defaults.
    /// </summary>
    /// <param name="input">Logits z, any shape.</param>
    /// <param name="target">Targets y in [0, 1], the input's shape.</param>
    /// <param name="weight">w, broadcastable to the input, or null.</param>
    /// <param name="reduction">none, mean (default; the sum over the number of entries) or sum.</param>
    /// <param name="positiveWeight">p, broadcastable to the input, or null (PyTorch's <c>pos_weight</c>; TorchSharp calls it <c>pos_weights</c>).</param>
    /// <param name="classWeight">α₀/α₁ or <see cref="BinaryClassWeights.Balanced"/>, or null.</param>
    /// <param name="logBase">Base of the logarithm, &gt; 1 (default e).</param>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor? weight = null, nn.Reduction reduction = nn.Reduction.Mean,
        Tensor? positiveWeight = null, BinaryClassWeights? classWeight = null, double logBase = Math.E)
    {
        using var scope = NewDisposeScope();
        return global::TorchLogistic.Losses.BinaryCrossEntropyWithLogits.Form(input, target, weight, reduction, positiveWeight, classWeight, logBase).Value(reduction).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Categorical cross-entropy with logits, PyTorch's <c>cross_entropy</c>: class-index or probability targets,
    /// class weights, ignore_index and label smoothing, with PyTorch's weighted-mean normalisation (see
    /// <see cref="CategoricalCrossEntropy"/>).
    /// </summary>
    /// <param name="input">Logits <c>(N, C)</c>, <c>(C)</c> or <c>(N, C, d₁, …)</c>.</param>
    /// <param name="target">Class indices (int64, the input's shape without dimension 1) or probabilities (the input's shape).</param>
    /// <param name="weight">w, one weight per class, or null.</param>
    /// <param name="ignoreIndex">Class index to skip (default −100).</param>
    /// <param name="reduction">none, mean (default) or sum.</param>
    /// <param name="labelSmoothing">ε in [0, 1] (default 0).</param>
    public static Tensor CrossEntropy(Tensor input, Tensor target, Tensor? weight = null, long ignoreIndex = -100,
        nn.Reduction reduction = nn.Reduction.Mean, double labelSmoothing = 0)
    {
        using var scope = NewDisposeScope();
        return CategoricalCrossEntropy.Form(input, target, weight, ignoreIndex, reduction, labelSmoothing).Value(reduction).MoveToOuterDisposeScope();
    }

    /// <summary>The soft-margin loss <c>log(1 + e^{−y·z})</c> per entry for targets ±1, PyTorch's <c>soft_margin_loss</c> (stable for large |z|).</summary>
    /// <param name="input">Logits z, any shape.</param>
    /// <param name="target">Targets y = ±1, the input's shape.</param>
    /// <param name="reduction">none, mean (default) or sum.</param>
    public static Tensor SoftMarginLoss(Tensor input, Tensor target, nn.Reduction reduction = nn.Reduction.Mean)
    {
        using var scope = NewDisposeScope();
        return SoftMargin.Form(input, target, reduction).Value(reduction).MoveToOuterDisposeScope();
    }

    /// <summary>The multi-label soft-margin loss, PyTorch's <c>multilabel_soft_margin_loss</c>: per sample the w-weighted binary cross-entropy averaged over the C labels.</summary>
    /// <param name="input">Logits <c>(N, C)</c> or <c>(C)</c>.</param>
    /// <param name="target">Labels in {0, 1}, the input's shape.</param>
    /// <param name="weight">w, one weight per label, or null.</param>
    /// <param name="reduction">none, mean (default) or sum.</param>
    public static Tensor MultiLabelSoftMarginLoss(Tensor input, Tensor target, Tensor? weight = null, nn.Reduction reduction = nn.Reduction.Mean)
    {
        using var scope = NewDisposeScope();
        return MultiLabelSoftMargin.Form(input, target, weight, reduction).Value(reduction).MoveToOuterDisposeScope();
    }
}
