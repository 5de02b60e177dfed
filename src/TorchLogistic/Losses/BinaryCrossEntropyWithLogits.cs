using static TorchSharp.torch;

namespace TorchLogistic.Losses;

/// <summary>
/// Binary cross-entropy with logits, the module form of <see cref="LossFunctions.binary_cross_entropy_with_logits"/>
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
    /// <param name="pos_weight">p, weight of the positive term, broadcastable to the input (one per output column for (m, K)), or null.</param>
    /// <param name="class_weight">α₀/α₁, explicit or <see cref="BinaryClassWeights.balanced"/> (n/(2·n_c)), or null.</param>
    /// <param name="log_base">Base of the logarithm, &gt; 1 (default e; 2 for values in bits).</param>
    public BinaryCrossEntropyWithLogits(Tensor? weight = null, nn.Reduction reduction = nn.Reduction.Mean, Tensor? pos_weight = null,
        BinaryClassWeights? class_weight = null, double log_base = Math.E) : base(nameof(BinaryCrossEntropyWithLogits), reduction)
    {
        this.weight = weight;
        this.pos_weight = pos_weight;
        this.class_weight = class_weight;
        this.log_base = log_base;
        // Validates the options now rather than at the first call.
        _ = new PointwiseBinaryCrossEntropy(pos_weight, class_weight, log_base);
    }

    /// <summary>w, or null.</summary>
    public Tensor? weight { get; }

    /// <summary>p, or null.</summary>
    public Tensor? pos_weight { get; }

    /// <summary>α₀/α₁, or null.</summary>
    public BinaryClassWeights? class_weight { get; }

    /// <summary>Base of the logarithm.</summary>
    public double log_base { get; }

    /// <summary>Input and target of any (equal) shape; every entry is one sample of the pointwise loss along dimension 0.</summary>
    /// <param name="input">Logits, any shape.</param>
    /// <param name="target">Targets in [0, 1], the input's shape.</param>
    public override PointwiseForm pointwise_form(Tensor input, Tensor target) =>
        form(input, target, weight, reduction, pos_weight, class_weight, log_base);

    internal static PointwiseForm form(Tensor input, Tensor target, Tensor? weight, nn.Reduction reduction, Tensor? pos_weight,
        BinaryClassWeights? class_weight, double log_base)
    {
        FormChecks.floating_input(input);
        FormChecks.same_shape(input, target);
        var shape = input.shape;
        var raw = input.dim() == 0 ? input.reshape(1) : input;
        var y = target.dim() == 0 ? target.reshape(1) : target;
        var p = pos_weight is null ? null : FormChecks.broadcast(pos_weight, raw.shape, input.dtype, "pos_weight");
        var w = weight is null ? null : FormChecks.broadcast(weight, raw.shape, input.dtype, "weight");
        if (reduction == nn.Reduction.Mean)
        {
            double scale = 1.0 / Math.Max(raw.numel(), 1);
            w = w is null ? full(raw.shape, scale, dtype: input.dtype) : w * scale;
        }
        return new PointwiseForm(new PointwiseBinaryCrossEntropy(p, class_weight, log_base), y, raw, w,
            to_input: t => t.reshape(shape), from_input: t => t.reshape(raw.shape), unreduced_shape: shape, per_entry_output: true);
    }
}
