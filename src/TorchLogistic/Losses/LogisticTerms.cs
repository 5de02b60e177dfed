using TorchLogistic.Native;
using static TorchSharp.torch;

namespace TorchLogistic.Losses;

/// <summary>
/// The weighted logistic term <c>e(z) = −[a·y·log σ(z) + b·(1 − y)·log σ(−z)]</c> shared by binary cross-entropy
/// (a = α₁·pos_weight, b = α₀) and the multi-label soft margin (a = b = w_c / C), with its first two derivatives
/// <c>e′ = b(1 − y)σ(z) − a·y·σ(−z)</c> and <c>e″ = (a·y + b(1 − y))·σ(z)σ(−z)</c>. σ(−z) is computed directly,
/// never as 1 − σ(z), so nothing cancels at large |z|.
/// </summary>
internal static class LogisticTerms
{
    public static Tensor Value(Tensor y, Tensor z, Tensor? a, Tensor? b)
    {
        using var scope = NewDisposeScope();
        var positive = y * StableMath.LogSigmoid(z);
        var negative = y.SubtractedFrom(1) * StableMath.LogSigmoid(-z);
        if (a is not null) positive = a * positive;
        if (b is not null) negative = b * negative;
        return (-positive.Plus(negative)).MoveToOuterDisposeScope();
    }

    public static Tensor Derivative(Tensor y, Tensor z, Tensor? a, Tensor? b)
    {
        using var scope = NewDisposeScope();
        var negative = y.SubtractedFrom(1) * StableMath.Sigmoid(z);
        var positive = y * StableMath.Sigmoid(-z);
        if (a is not null) positive = a * positive;
        if (b is not null) negative = b * negative;
        return (negative - positive).MoveToOuterDisposeScope();
    }

    /// <summary><see cref="Value"/> and <see cref="Derivative"/> together, sharing 1 − y and −z (the same operations, so the same bits).</summary>
    public static (Tensor value, Tensor derivative) ValueAndDerivative(Tensor y, Tensor z, Tensor? a, Tensor? b)
    {
        using var scope = NewDisposeScope();
        var notY = y.SubtractedFrom(1);
        var minusZ = -z;
        var positive = y * StableMath.LogSigmoid(z);
        var negative = notY * StableMath.LogSigmoid(minusZ);
        var negativeSlope = notY * StableMath.Sigmoid(z);
        var positiveSlope = y * StableMath.Sigmoid(minusZ);
        if (a is not null)
        {
            positive = a * positive;
            positiveSlope = a * positiveSlope;
        }
        if (b is not null)
        {
            negative = b * negative;
            negativeSlope = b * negativeSlope;
        }
        return ((-positive.Plus(negative)).MoveToOuterDisposeScope(), (negativeSlope - positiveSlope).MoveToOuterDisposeScope());
    }

    public static Tensor Curvature(Tensor y, Tensor z, Tensor? a, Tensor? b)
    {
        using var scope = NewDisposeScope();
        var weight = (a is null ? y : a * y).Plus(b is null ? y.SubtractedFrom(1) : b * y.SubtractedFrom(1));
        return (weight * StableMath.Sigmoid(z) * StableMath.Sigmoid(-z)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <see cref="ValueAndDerivative"/> for targets that are all 0 or 1 with a = b = null, given u = 1 − 2y: e = −log σ(−u·z)
    /// and e′ = u·σ(u·z). Each term of the general form is then multiplied by exactly 1 or 0, so the values are the same
    /// bits (up to the sign of a zero derivative) from six operations instead of thirteen.
    /// </summary>
    public static (Tensor value, Tensor derivative) HardLabelValueAndDerivative(Tensor sign, Tensor z)
    {
        using var scope = NewDisposeScope();
        var v = sign * z;
        var value = StableMath.LogSigmoid(-v).neg_();
        var derivative = sign * StableMath.Sigmoid(v);
        return (value.MoveToOuterDisposeScope(), derivative.MoveToOuterDisposeScope());
    }

    /// <summary>The value part of <see cref="HardLabelValueAndDerivative"/>: −log σ(−u·z).</summary>
    public static Tensor HardLabelValue(Tensor sign, Tensor z)
    {
        using var scope = NewDisposeScope();
        return StableMath.LogSigmoid(-(sign * z)).neg_().MoveToOuterDisposeScope();
    }

    /// <summary>The derivative part of <see cref="HardLabelValueAndDerivative"/>: u·σ(u·z).</summary>
    public static Tensor HardLabelDerivative(Tensor sign, Tensor z)
    {
        using var scope = NewDisposeScope();
        return (sign * StableMath.Sigmoid(sign * z)).MoveToOuterDisposeScope();
    }

    /// <summary><see cref="Curvature"/> for targets that are all 0 or 1 with a = b = null: σ(z)·σ(−z) (the weight y + (1 − y) is exactly 1).</summary>
    public static Tensor HardLabelCurvature(Tensor z)
    {
        using var scope = NewDisposeScope();
        return (StableMath.Sigmoid(z) * StableMath.Sigmoid(-z)).MoveToOuterDisposeScope();
    }
}
