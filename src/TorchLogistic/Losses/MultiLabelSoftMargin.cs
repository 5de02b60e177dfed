using TorchLogistic.Native;
using static TorchSharp.torch;

namespace TorchLogistic.Losses;

/// <summary>
/// The multi-label soft-margin loss, the module form of <see cref="LossFunctions.MultiLabelSoftMarginLoss"/>
/// (PyTorch's <c>MultiLabelSoftMarginLoss</c>), with closed-form derivatives: per sample
/// <c>−(1/C) Σ_c w_c·[y_c·log σ(z_c) + (1 − y_c)·log σ(−z_c)]</c>, <c>mean</c> over samples.
/// </summary>
/// <remarks>Not <c>MultiLabelSoftMarginLoss</c>, which TorchSharp already defines; see <see cref="BinaryCrossEntropyWithLogits"/>.</remarks>
public sealed class MultiLabelSoftMargin : LogitLoss
{
    /// <summary>Creates the module.</summary>
    /// <param name="weight">w, one weight per label <c>(C)</c>, or null.</param>
    /// <param name="reduction">none, mean (default) or sum.</param>
    public MultiLabelSoftMargin(Tensor? weight = null, nn.Reduction reduction = nn.Reduction.Mean) : base(nameof(MultiLabelSoftMargin), reduction)
    {
        // Validates the options now rather than at the first call.
        _ = new PointwiseMultiLabelSoftMargin(weight);
        this.Weight = weight;
    }

    /// <summary>w, or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>Input and target <c>(N, C)</c>, or <c>(C)</c> for one sample.</summary>
    /// <param name="input">Logits.</param>
    /// <param name="target">Labels in {0, 1} (or soft), the input's shape.</param>
    public override global::TorchLogistic.Losses.PointwiseForm PointwiseForm(Tensor input, Tensor target) => Form(input, target, Weight, Reduction);

    internal static global::TorchLogistic.Losses.PointwiseForm Form(Tensor input, Tensor target, Tensor? weight, nn.Reduction reduction)
    {
        FormChecks.FloatingInput(input);
        FormChecks.SameShape(input, target);
        if (input.dim() is not (1 or 2))
            throw new ArgumentException($"The input has shape {FormChecks.Shape(input)}; the multi-label soft margin takes (N, C) or (C).", nameof(input));
        bool unbatched = input.dim() == 1;
        var shape = input.shape;
        var raw = unbatched ? input.unsqueeze(0) : input;
        var y = unbatched ? target.unsqueeze(0) : target;
        long m = raw.shape[0];
        using var inverse = Scalars.Of(1.0 / Math.Max(m, 1));
        var w = reduction == nn.Reduction.Mean ? full(m, inverse, dtype: input.dtype) : null;
        return new global::TorchLogistic.Losses.PointwiseForm(new PointwiseMultiLabelSoftMargin(weight), y, raw, w,
            toInput: t => t.reshape(shape), fromInput: t => t.reshape(raw.shape), unreducedShape: unbatched ? Array.Empty<long>() : new[] { m }, perEntryOutput: false);
    }
}
