using TorchLogistic.Native;
using static TorchSharp.torch;

namespace TorchLogistic.Losses;

/// <summary>
/// Categorical cross-entropy with logits, the module form of <see cref="LossFunctions.CrossEntropy"/> (PyTorch's
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
    /// <param name="ignoreIndex">Class-index targets equal to this are skipped (default −100).</param>
    /// <param name="reduction">none, mean (default) or sum.</param>
    /// <param name="labelSmoothing">ε in [0, 1] (default 0).</param>
    public CategoricalCrossEntropy(Tensor? weight = null, long ignoreIndex = -100, nn.Reduction reduction = nn.Reduction.Mean, double labelSmoothing = 0)
        : base(nameof(CategoricalCrossEntropy), reduction)
    {
        // The pointwise loss validates and holds the options (now, rather than at the first call).
        _pointwise = new PointwiseCrossEntropy(weight, ignoreIndex, labelSmoothing);
    }

    private readonly PointwiseCrossEntropy _pointwise;

    /// <summary>w, or null.</summary>
    public Tensor? Weight => _pointwise.Weight;

    /// <summary>The ignored class index.</summary>
    public long IgnoreIndex => _pointwise.IgnoreIndex;

    /// <summary>ε.</summary>
    public double LabelSmoothing => _pointwise.LabelSmoothing;

    /// <summary>
    /// Input <c>(N, C)</c>, <c>(C)</c> for one sample, or <c>(N, C, d₁, …)</c>; targets are class indices (int64) of the
    /// input's shape without dimension 1, or probabilities of the input's shape.
    /// </summary>
    /// <param name="input">Logits.</param>
    /// <param name="target">Class indices or probabilities.</param>
    public override global::TorchLogistic.Losses.PointwiseForm PointwiseForm(Tensor input, Tensor target) => Form(input, target, Weight, IgnoreIndex, Reduction, LabelSmoothing);

    internal static global::TorchLogistic.Losses.PointwiseForm Form(Tensor input, Tensor target, Tensor? weight, long ignoreIndex, nn.Reduction reduction, double labelSmoothing)
    {
        FormChecks.FloatingInput(input);
        if (input.dim() < 1)
            throw new ArgumentException("The input is a scalar; cross-entropy needs logits (C), (N, C) or (N, C, d₁, …).", nameof(input));
        var shape = input.shape;
        bool probabilities = target.is_floating_point();
        bool unbatched = input.dim() == 1;
        long k = unbatched ? shape[0] : shape[1];
        var sampleShape = unbatched ? Array.Empty<long>() : shape.Where((_, i) => i != 1).ToArray();
        if (probabilities) FormChecks.SameShape(input, target);
        else if (!target.shape.SequenceEqual(sampleShape))
            throw new ArgumentException($"Class-index targets have shape {FormChecks.Shape(target)}; for input {FormChecks.Shape(input)} they must be [{string.Join(", ", sampleShape)}] (or give probabilities of the input's shape).", nameof(target));

        Func<Tensor, Tensor> rows = unbatched
            ? t => t.unsqueeze(0)
            : input.dim() == 2 ? t => t : t => t.movedim(new[] { 1L }, new[] { -1L }).reshape(-1, k);
        Func<Tensor, Tensor> back = unbatched
            ? t => t.squeeze(0)
            : input.dim() == 2 ? t => t : t => t.reshape(sampleShape.Append(k).ToArray()).movedim(new[] { -1L }, new[] { 1L });
        var raw = rows(input);
        var y = probabilities ? rows(target) : target.reshape(-1);
        var loss = new PointwiseCrossEntropy(weight, ignoreIndex, labelSmoothing);
        loss.CheckTargets(y, raw);
        Tensor? w = null;
        if (reduction == nn.Reduction.Mean)
        {
            long m = raw.shape[0];
            Tensor denominator;
            if (probabilities) denominator = tensor((double)m, input.dtype);
            else
            {
                using var ignored = Scalars.Of(ignoreIndex);
                var kept = y != ignored;
                denominator = weight is null
                    ? kept.sum().to_type(input.dtype)
                    : (weight.to_type(input.dtype).index_select(0, where(kept, y, zeros_like(y))) * kept.to_type(input.dtype)).sum();
            }
            w = ones(m, dtype: input.dtype) / denominator;
        }
        return new global::TorchLogistic.Losses.PointwiseForm(loss, y, raw, w,
            toInput: back, fromInput: rows, unreducedShape: sampleShape, perEntryOutput: false);
    }
}
