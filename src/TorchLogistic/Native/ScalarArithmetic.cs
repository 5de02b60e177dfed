using TorchSharp;
using static TorchSharp.torch;

namespace TorchLogistic.Native;

/// <summary>
/// Tensor arithmetic with a number, and tensor addition, with every <see cref="Scalar"/> kept alive until libtorch
/// has finished with it (see <see cref="Scalars"/> for why TorchSharp's operators cannot be used on threads that run
/// at once). Each method calls the same libtorch op, with the same Scalar type, as the TorchSharp operator it
/// replaces, so the results are bit-for-bit the same: <c>long</c> overloads keep an integer tensor's dtype as
/// <c>t * 2</c> does, <c>double</c> ones are <c>t * 0.5</c>.
/// </summary>
internal static class ScalarArithmetic
{
    /// <summary><c>a + b</c> for tensors: <c>add(b, alpha: 1)</c> with a constant alpha.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, Scalars.One);

    /// <summary><c>a += b</c> in place: <c>add_(b, alpha: 1)</c>.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, Scalars.One);

    /// <summary><c>t + c</c>.</summary>
    public static Tensor Plus(this Tensor t, double c)
    {
        using var s = c.ToScalar();
        return t.add(s, Scalars.One);
    }

    /// <summary><c>t − c</c>.</summary>
    public static Tensor Minus(this Tensor t, double c)
    {
        using var s = c.ToScalar();
        return t.sub(s);
    }

    /// <summary><c>c − t</c>, as TorchSharp's <c>c - t</c>: <c>(−t) + c</c>.</summary>
    public static Tensor SubtractedFrom(this Tensor t, long c)
    {
        using var s = c.ToScalar();
        using var negative = t.negative();
        return negative.add(s, Scalars.One);
    }

    /// <inheritdoc cref="SubtractedFrom(Tensor, long)"/>
    public static Tensor SubtractedFrom(this Tensor t, double c)
    {
        using var s = c.ToScalar();
        using var negative = t.negative();
        return negative.add(s, Scalars.One);
    }

    /// <summary><c>t · c</c> (an integer tensor stays integer).</summary>
    public static Tensor Times(this Tensor t, long c)
    {
        using var s = c.ToScalar();
        return t.mul(s);
    }

    /// <summary><c>t · c</c>.</summary>
    public static Tensor Times(this Tensor t, double c)
    {
        using var s = c.ToScalar();
        return t.mul(s);
    }

    /// <summary><c>t / c</c> (true division).</summary>
    public static Tensor DividedBy(this Tensor t, long c)
    {
        using var s = c.ToScalar();
        return t.div(s);
    }

    /// <summary><c>t / c</c>.</summary>
    public static Tensor DividedBy(this Tensor t, double c)
    {
        using var s = c.ToScalar();
        return t.div(s);
    }

    /// <summary><c>c / t</c>, as TorchSharp's <c>c / t</c>: <c>(1/t) · c</c>.</summary>
    public static Tensor DividedInto(this Tensor t, double c)
    {
        using var s = c.ToScalar();
        using var reciprocal = t.reciprocal();
        return reciprocal.mul(s);
    }

    /// <summary><c>t²</c>, as TorchSharp's <c>square()</c>: <c>pow(2)</c>.</summary>
    public static Tensor Squared(this Tensor t) => t.pow(Scalars.Two);
}
