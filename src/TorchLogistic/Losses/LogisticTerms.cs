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
    public static Tensor value(Tensor y, Tensor z, Tensor? a, Tensor? b)
    {
        using var scope = NewDisposeScope();
        var positive = y * StableMath.log_sigmoid(z);
        var negative = (1 - y) * StableMath.log_sigmoid(-z);
        if (a is not null) positive = a * positive;
        if (b is not null) negative = b * negative;
        return (-(positive + negative)).MoveToOuterDisposeScope();
    }

    public static Tensor derivative(Tensor y, Tensor z, Tensor? a, Tensor? b)
    {
        using var scope = NewDisposeScope();
        var negative = (1 - y) * StableMath.sigmoid(z);
        var positive = y * StableMath.sigmoid(-z);
        if (a is not null) positive = a * positive;
        if (b is not null) negative = b * negative;
        return (negative - positive).MoveToOuterDisposeScope();
    }

    /// <summary><see cref="value"/> and <see cref="derivative"/> together, sharing 1 − y and −z (the same operations, so the same bits).</summary>
    public static (Tensor value, Tensor derivative) value_and_derivative(Tensor y, Tensor z, Tensor? a, Tensor? b)
    {
        using var scope = NewDisposeScope();
        var notY = 1 - y;
        var minusZ = -z;
        var positive = y * StableMath.log_sigmoid(z);
        var negative = notY * StableMath.log_sigmoid(minusZ);
        var negativeSlope = notY * StableMath.sigmoid(z);
        var positiveSlope = y * StableMath.sigmoid(minusZ);
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
        return ((-(positive + negative)).MoveToOuterDisposeScope(), (negativeSlope - positiveSlope).MoveToOuterDisposeScope());
    }

    public static Tensor curvature(Tensor y, Tensor z, Tensor? a, Tensor? b)
    {
        using var scope = NewDisposeScope();
        var weight = (a is null ? y : a * y) + (b is null ? 1 - y : b * (1 - y));
        return (weight * StableMath.sigmoid(z) * StableMath.sigmoid(-z)).MoveToOuterDisposeScope();
    }
}
