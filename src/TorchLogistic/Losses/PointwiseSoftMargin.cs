using static TorchSharp.torch;

namespace TorchLogistic.Losses;

/// <summary>
/// The soft-margin (logistic) loss for targets y = ±1, per entry:
/// <code>
/// e(y, z) = log(1 + e^{−y·z}) = −log σ(y·z)      e′ = −y·σ(−y·z)      e″ = y²·σ(y·z)·σ(−y·z)
/// </code>
/// Evaluated as −log σ(y·z), so it stays finite where PyTorch's <c>log1p(exp(−y·z))</c> overflows (y·z below
/// about −88 in float32 or −709 in float64).
/// </summary>
public sealed class PointwiseSoftMargin : ElementwiseLoss
{
    /// <inheritdoc />
    protected override Tensor entry_value(Tensor y_true, Tensor raw_prediction)
    {
        using var scope = NewDisposeScope();
        return StableMath.log_sigmoid(y_true * raw_prediction).neg().MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override Tensor entry_derivative(Tensor y_true, Tensor raw_prediction)
    {
        using var scope = NewDisposeScope();
        return (-y_true * StableMath.sigmoid(-(y_true * raw_prediction))).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override Tensor entry_curvature(Tensor y_true, Tensor raw_prediction)
    {
        using var scope = NewDisposeScope();
        var margin = y_true * raw_prediction;
        return (y_true.square() * StableMath.sigmoid(margin) * StableMath.sigmoid(-margin)).MoveToOuterDisposeScope();
    }
}
