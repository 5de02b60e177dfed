using static TorchSharp.torch;

namespace TorchLogistic.Losses;

/// <summary>
/// A PyTorch-style loss call <c>L(input, target)</c> rewritten as a weighted sum over a <see cref="PointwiseLoss"/>:
/// <c>L = Σᵢ sᵢ·ℓ(yᵢ, zᵢ)</c>, where the logits z are <see cref="RawPrediction"/> (the input reshaped into rows),
/// y the targets in the same rows, and the sample weights s carry both the per-sample <c>weight</c> and the
/// reduction (for <c>mean</c>, 1/n or PyTorch's weighted normaliser Σ w_y). The weights depend on the targets
/// only, never on the logits, so derivatives of L are the pointwise derivatives times s; this is what lets
/// <see cref="LinearModelLoss"/> differentiate any of the modules with respect to a linear model's (W, b).
/// </summary>
public sealed class PointwiseForm
{
    internal PointwiseForm(PointwiseLoss loss, Tensor yTrue, Tensor rawPrediction, Tensor? sampleWeight,
        Func<Tensor, Tensor> toInput, Func<Tensor, Tensor> fromInput, long[] unreducedShape, bool perEntryOutput)
    {
        this.Loss = loss;
        this.YTrue = yTrue;
        this.RawPrediction = rawPrediction;
        this.SampleWeight = sampleWeight;
        this.ToInput = toInput;
        this.FromInput = fromInput;
        this.UnreducedShape = unreducedShape;
        this.PerEntryOutput = perEntryOutput;
    }

    /// <summary>The pointwise loss, configured with the call's options.</summary>
    public PointwiseLoss Loss { get; }

    /// <summary>Targets as rows.</summary>
    public Tensor YTrue { get; }

    /// <summary>The input as rows (the input itself when it is already <c>(m)</c> or <c>(m, K)</c>).</summary>
    public Tensor RawPrediction { get; }

    /// <summary>sᵢ per row or per entry, or null for 1.</summary>
    public Tensor? SampleWeight { get; }

    /// <summary>Maps a tensor shaped like <see cref="RawPrediction"/> back to the shape of the input.</summary>
    internal Func<Tensor, Tensor> ToInput { get; }

    /// <summary>Maps a tensor shaped like the input to the rows of <see cref="RawPrediction"/>.</summary>
    internal Func<Tensor, Tensor> FromInput { get; }

    /// <summary>Shape of the <c>reduction: none</c> output.</summary>
    internal long[] UnreducedShape { get; }

    /// <summary>Whether <c>reduction: none</c> gives one value per entry (true) or per sample (false).</summary>
    internal bool PerEntryOutput { get; }

    /// <summary>The loss for <paramref name="reduction"/>: a scalar for mean and sum, <see cref="UnreducedShape"/> for none.</summary>
    internal Tensor Value(nn.Reduction reduction)
    {
        using var scope = NewDisposeScope();
        var result = reduction == nn.Reduction.None
            ? (PerEntryOutput ? Loss.EntryLoss(YTrue, RawPrediction, SampleWeight) : Loss.Loss(YTrue, RawPrediction, SampleWeight)).reshape(UnreducedShape)
            : Loss.Loss(YTrue, RawPrediction, SampleWeight).sum();
        return result.MoveToOuterDisposeScope();
    }
}
