using TorchLogistic.Native;
using static TorchSharp.torch;

namespace TorchLogistic.Losses;

/// <summary>
/// The soft-margin loss for targets ±1, the module form of <see cref="LossFunctions.SoftMarginLoss"/> (PyTorch's
/// <c>SoftMarginLoss</c>), with closed-form derivatives: per entry <c>log(1 + e^{−y·z})</c>, <c>mean</c> over all entries.
/// Stable where PyTorch's overflows (see <see cref="PointwiseSoftMargin"/>).
/// </summary>
/// <remarks>Not <c>SoftMarginLoss</c>, which TorchSharp already defines (type and factory); see <see cref="BinaryCrossEntropyWithLogits"/>.</remarks>
public sealed class SoftMargin : LogitLoss
{
    /// <summary>Creates the module.</summary>
    /// <param name="reduction">none, mean (default) or sum.</param>
    public SoftMargin(nn.Reduction reduction = nn.Reduction.Mean) : base(nameof(SoftMargin), reduction) { }

    /// <summary>Input and target of any (equal) shape.</summary>
    /// <param name="input">Logits z, any shape.</param>
    /// <param name="target">Targets y (±1), the input's shape.</param>
    public override global::TorchLogistic.Losses.PointwiseForm PointwiseForm(Tensor input, Tensor target) => Form(input, target, Reduction);

    internal static global::TorchLogistic.Losses.PointwiseForm Form(Tensor input, Tensor target, nn.Reduction reduction)
    {
        FormChecks.FloatingInput(input);
        FormChecks.SameShape(input, target);
        var shape = input.shape;
        var raw = input.dim() == 0 ? input.reshape(1) : input;
        var y = target.dim() == 0 ? target.reshape(1) : target;
        using var inverse = Scalars.Of(1.0 / Math.Max(raw.numel(), 1));
        var w = reduction == nn.Reduction.Mean ? full(raw.shape, inverse, dtype: input.dtype) : null;
        return new global::TorchLogistic.Losses.PointwiseForm(new PointwiseSoftMargin(), y, raw, w,
            toInput: t => t.reshape(shape), fromInput: t => t.reshape(raw.shape), unreducedShape: shape, perEntryOutput: true);
    }
}
