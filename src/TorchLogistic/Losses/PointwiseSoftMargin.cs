using TorchLogistic.Native;
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
    protected override Tensor EntryValue(Tensor yTrue, Tensor rawPrediction)
    {
        using var scope = NewDisposeScope();
        return StableMath.LogSigmoid(yTrue * rawPrediction).neg().MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override Tensor EntryDerivative(Tensor yTrue, Tensor rawPrediction)
    {
        using var scope = NewDisposeScope();
        return (-yTrue * StableMath.Sigmoid(-(yTrue * rawPrediction))).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override Tensor EntryCurvature(Tensor yTrue, Tensor rawPrediction)
    {
        using var scope = NewDisposeScope();
        var margin = yTrue * rawPrediction;
        return (yTrue.Squared() * StableMath.Sigmoid(margin) * StableMath.Sigmoid(-margin)).MoveToOuterDisposeScope();
    }
}
