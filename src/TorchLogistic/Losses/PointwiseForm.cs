using static TorchSharp.torch;

namespace TorchLogistic.Losses;

/// <summary>
/// A PyTorch-style loss call <c>L(input, target)</c> rewritten as a weighted sum over a <see cref="PointwiseLoss"/>:
/// <c>L = Σᵢ sᵢ·ℓ(yᵢ, zᵢ)</c>, where the logits z are <see cref="raw_prediction"/> (the input reshaped into rows),
/// y the targets in the same rows, and the sample weights s carry both the per-sample <c>weight</c> and the
/// reduction (for <c>mean</c>, 1/n or PyTorch's weighted normaliser Σ w_y). The weights depend on the targets
/// only, never on the logits, so derivatives of L are the pointwise derivatives times s; this is what lets
/// <see cref="LinearModelLoss"/> differentiate any of the modules with respect to a linear model's (W, b).
/// </summary>
public sealed class PointwiseForm
{
    internal PointwiseForm(PointwiseLoss loss, Tensor y_true, Tensor raw_prediction, Tensor? sample_weight,
        Func<Tensor, Tensor> to_input, Func<Tensor, Tensor> from_input, long[] unreduced_shape, bool per_entry_output)
    {
        this.loss = loss;
        this.y_true = y_true;
        this.raw_prediction = raw_prediction;
        this.sample_weight = sample_weight;
        this.to_input = to_input;
        this.from_input = from_input;
        this.unreduced_shape = unreduced_shape;
        this.per_entry_output = per_entry_output;
    }

    /// <summary>The pointwise loss, configured with the call's options.</summary>
    public PointwiseLoss loss { get; }

    /// <summary>Targets as rows.</summary>
    public Tensor y_true { get; }

    /// <summary>The input as rows (the input itself when it is already <c>(m)</c> or <c>(m, K)</c>).</summary>
    public Tensor raw_prediction { get; }

    /// <summary>sᵢ per row or per entry, or null for 1.</summary>
    public Tensor? sample_weight { get; }

    /// <summary>Maps a tensor shaped like <see cref="raw_prediction"/> back to the shape of the input.</summary>
    internal Func<Tensor, Tensor> to_input { get; }

    /// <summary>Maps a tensor shaped like the input to the rows of <see cref="raw_prediction"/>.</summary>
    internal Func<Tensor, Tensor> from_input { get; }

    /// <summary>Shape of the <c>reduction: none</c> output.</summary>
    internal long[] unreduced_shape { get; }

    /// <summary>Whether <c>reduction: none</c> gives one value per entry (true) or per sample (false).</summary>
    internal bool per_entry_output { get; }

    /// <summary>The loss for <paramref name="reduction"/>: a scalar for mean and sum, <see cref="unreduced_shape"/> for none.</summary>
    internal Tensor value(nn.Reduction reduction)
    {
        using var scope = NewDisposeScope();
        var result = reduction == nn.Reduction.None
            ? (per_entry_output ? loss.entry_loss(y_true, raw_prediction, sample_weight) : loss.loss(y_true, raw_prediction, sample_weight)).reshape(unreduced_shape)
            : loss.loss(y_true, raw_prediction, sample_weight).sum();
        return result.MoveToOuterDisposeScope();
    }
}
