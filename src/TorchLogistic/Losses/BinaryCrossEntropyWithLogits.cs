using TorchLogistic.Native;
using static TorchSharp.torch;

namespace TorchLogistic.Losses;

/// <summary>
/// Binary cross-entropy with logits, the module form of <see cref="LossFunctions.BinaryCrossEntropyWithLogits"/>
/// (PyTorch's <c>BCEWithLogitsLoss</c> plus class weights and a log base), with closed-form derivatives.
/// Per entry <c>ℓ = −w·[α₁·p·y·log σ(z) + α₀·(1 − y)·log σ(−z)] / ln(base)</c>; <c>mean</c> divides the sum by the
/// number of entries (not by Σw), as PyTorch does.
/// </summary>
/// <remarks>
/// Named <c>BinaryCrossEntropyWithLogits</c>, not <c>BCEWithLogitsLoss</c>: TorchSharp has a type
/// (<c>TorchSharp.Modules.BCEWithLogitsLoss</c>) and a factory method (<c>torch.nn.BCEWithLogitsLoss</c>) of that
/// name, and code that imports both libraries must not meet an ambiguous name.
/// </remarks>
public sealed class BinaryCrossEntropyWithLogits : LogitLoss
{
    /// <summary>Creates the module.</summary>
    /// <param name="weight">w, per-entry weights broadcastable to the input (e.g. per sample as (m) for input (m)), or null.</param>
    /// <param name="reduction">none, mean (default) or sum.</param>
    /// <param name="positiveWeight">p, weight of the positive term, broadcastable to the input (one per output column for (m, K)), or null.</param>
    /// <param name="classWeight">α₀/α₁, explicit or <see cref="BinaryClassWeights.Balanced"/> (n/(2·n_c)), or null.</param>
    /// <param name="logBase">Base of the logarithm, &gt; 1 (default e; 2 for values in bits).</param>
    public BinaryCrossEntropyWithLogits(Tensor? weight = null, nn.Reduction reduction = nn.Reduction.Mean, Tensor? positiveWeight = null,
        BinaryClassWeights? classWeight = null, double logBase = Math.E) : base(nameof(BinaryCrossEntropyWithLogits), reduction)
    {
        this.Weight = weight;
        this.PositiveWeight = positiveWeight;
        this.ClassWeight = classWeight;
        this.LogBase = logBase;
        // Validates the options now rather than at the first call.
        _ = new PointwiseBinaryCrossEntropy(positiveWeight, classWeight, logBase);
    }

    /// <summary>w, or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>p, or null.</summary>
    public Tensor? PositiveWeight { get; }

    /// <summary>α₀/α₁, or null.</summary>
    public BinaryClassWeights? ClassWeight { get; }

    /// <summary>Base of the logarithm.</summary>
    public double LogBase { get; }

    /// <summary>Input and target of any (equal) shape; every entry is one sample of the pointwise loss along dimension 0.</summary>
    /// <param name="input">Logits, any shape.</param>
    /// <param name="target">Targets in [0, 1], the input's shape.</param>
    public override global::TorchLogistic.Losses.PointwiseForm PointwiseForm(Tensor input, Tensor target) =>
        Form(input, target, Weight, Reduction, PositiveWeight, ClassWeight, LogBase);

    internal static global::TorchLogistic.Losses.PointwiseForm Form(Tensor input, Tensor target, Tensor? weight, nn.Reduction reduction, Tensor? positiveWeight,
        BinaryClassWeights? classWeight, double logBase)
    {
        FormChecks.FloatingInput(input);
        FormChecks.SameShape(input, target);
        var shape = input.shape;
        var raw = input.dim() == 0 ? input.reshape(1) : input;
        var y = target.dim() == 0 ? target.reshape(1) : target;
        var p = positiveWeight is null ? null : FormChecks.Broadcast(positiveWeight, raw.shape, input.dtype, "pos_weight");
        var w = weight is null ? null : FormChecks.Broadcast(weight, raw.shape, input.dtype, "weight");
        if (reduction == nn.Reduction.Mean)
        {
            using var scale = Scalars.Of(1.0 / Math.Max(raw.numel(), 1));
            w = w is null ? full(raw.shape, scale, dtype: input.dtype) : w * scale;
        }
        return new global::TorchLogistic.Losses.PointwiseForm(new PointwiseBinaryCrossEntropy(p, classWeight, logBase), y, raw, w,
            toInput: t => t.reshape(shape), fromInput: t => t.reshape(raw.shape), unreducedShape: shape, perEntryOutput: true);
    }
}
