using static TorchSharp.torch;

namespace TorchLogistic.Losses;

/// <summary>
/// Categorical cross-entropy with logits, the module form of <see cref="LossFunctions.cross_entropy"/> (PyTorch's
/// <c>CrossEntropyLoss</c>, including <c>label_smoothing</c>), with closed-form derivatives. PyTorch's semantics
/// throughout: per sample <c>ℓ = −Σ_c q_c·log softmax(z)_c</c> (see <see cref="PointwiseCrossEntropy"/>); for
/// class-index targets <c>mean</c> divides by Σ w_{yᵢ} over the samples not ignored (their count without weights),
/// for probability targets by the number of samples.
/// </summary>
/// <remarks>
/// Not <c>CrossEntropyLoss</c>, which TorchSharp already defines (type and factory); "categorical" also says what
/// it is next to the binary loss. See <see cref="BinaryCrossEntropyWithLogits"/>.
/// </remarks>
public sealed class CategoricalCrossEntropy : LogitLoss
{
    /// <summary>Creates the module.</summary>
    /// <param name="weight">w, one weight per class <c>(K)</c>, or null.</param>
    /// <param name="ignore_index">Class-index targets equal to this are skipped (default −100).</param>
    /// <param name="reduction">none, mean (default) or sum.</param>
    /// <param name="label_smoothing">ε in [0, 1] (default 0).</param>
    public CategoricalCrossEntropy(Tensor? weight = null, long ignore_index = -100, nn.Reduction reduction = nn.Reduction.Mean, double label_smoothing = 0)
        : base(nameof(CategoricalCrossEntropy), reduction)
    {
        // The pointwise loss validates and holds the options (now, rather than at the first call).
        pointwise = new PointwiseCrossEntropy(weight, ignore_index, label_smoothing);
    }

    private readonly PointwiseCrossEntropy pointwise;

    /// <summary>w, or null.</summary>
    public Tensor? weight => pointwise.weight;

    /// <summary>The ignored class index.</summary>
    public long ignore_index => pointwise.ignore_index;

    /// <summary>ε.</summary>
    public double label_smoothing => pointwise.label_smoothing;

    /// <summary>
    /// Input <c>(N, C)</c>, <c>(C)</c> for one sample, or <c>(N, C, d₁, …)</c>; targets are class indices (int64) of the
    /// input's shape without dimension 1, or probabilities of the input's shape.
    /// </summary>
    /// <param name="input">Logits.</param>
    /// <param name="target">Class indices or probabilities.</param>
    public override PointwiseForm pointwise_form(Tensor input, Tensor target) => form(input, target, weight, ignore_index, reduction, label_smoothing);

    internal static PointwiseForm form(Tensor input, Tensor target, Tensor? weight, long ignore_index, nn.Reduction reduction, double label_smoothing)
    {
        FormChecks.floating_input(input);
        if (input.dim() < 1)
            throw new ArgumentException("The input is a scalar; cross-entropy needs logits (C), (N, C) or (N, C, d₁, …).", nameof(input));
        var shape = input.shape;
        bool probabilities = target.is_floating_point();
        bool unbatched = input.dim() == 1;
        long k = unbatched ? shape[0] : shape[1];
        var sampleShape = unbatched ? Array.Empty<long>() : shape.Where((_, i) => i != 1).ToArray();
        if (probabilities) FormChecks.same_shape(input, target);
        else if (!target.shape.SequenceEqual(sampleShape))
            throw new ArgumentException($"Class-index targets have shape {FormChecks.shape(target)}; for input {FormChecks.shape(input)} they must be [{string.Join(", ", sampleShape)}] (or give probabilities of the input's shape).", nameof(target));

        Func<Tensor, Tensor> rows = unbatched
            ? t => t.unsqueeze(0)
            : input.dim() == 2 ? t => t : t => t.movedim(new[] { 1L }, new[] { -1L }).reshape(-1, k);
        Func<Tensor, Tensor> back = unbatched
            ? t => t.squeeze(0)
            : input.dim() == 2 ? t => t : t => t.reshape(sampleShape.Append(k).ToArray()).movedim(new[] { -1L }, new[] { 1L });
        var raw = rows(input);
        var y = probabilities ? rows(target) : target.reshape(-1);
        var loss = new PointwiseCrossEntropy(weight, ignore_index, label_smoothing);
        loss.check_targets(y, raw);
        Tensor? w = null;
        if (reduction == nn.Reduction.Mean)
        {
            long m = raw.shape[0];
            Tensor denominator;
            if (probabilities) denominator = tensor((double)m, input.dtype);
            else
            {
                var kept = y != ignore_index;
                denominator = weight is null
                    ? kept.sum().to_type(input.dtype)
                    : (weight.to_type(input.dtype).index_select(0, where(kept, y, zeros_like(y))) * kept.to_type(input.dtype)).sum();
            }
            w = ones(m, dtype: input.dtype) / denominator;
        }
        return new PointwiseForm(loss, y, raw, w,
            to_input: back, from_input: rows, unreduced_shape: sampleShape, per_entry_output: false);
    }
}
