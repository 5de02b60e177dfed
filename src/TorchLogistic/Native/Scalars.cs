using TorchSharp;

namespace TorchLogistic.Native;

/// <summary>
/// TorchSharp <see cref="Scalar"/>s that no garbage collection can free while libtorch reads them. TorchSharp 0.107's
/// <see cref="Scalar"/> owns a native <c>c10::Scalar</c> and frees it in its finalizer, and its tensor methods pass
/// <c>scalar.Handle</c> to native code without <c>GC.KeepAlive</c>: a Scalar made by an implicit conversion
/// (<c>1 - p</c>, <c>t * 0.5</c>, <c>masked_fill(mask, 0)</c>, or the alpha <c>1</c> inside <c>a + b</c>) is
/// unreachable once its handle is read, so a collection started by another thread can finalize it while the native
/// op still runs, and libtorch then reads a freed <c>c10::Scalar</c> ("Expected false to be true"). These constants
/// are held by static fields for the life of the process, so they are never finalized; the native values are only
/// read, so one instance serves every thread. Never dispose them. A value that is not a constant here is made with
/// <c>using var s = Scalars.Of(value);</c> (the <c>using</c> keeps it alive past the native call), or through
/// <see cref="ScalarArithmetic"/>. Core code makes no implicit Scalar: tests/TorchLogistic.Tests/Architecture/
/// ImplicitScalarTests.cs fails on any.
/// </summary>
internal static class Scalars
{
    /// <summary>0 (an integer Scalar, as TorchSharp's own literal 0: it keeps an integer tensor's dtype).</summary>
    public static readonly Scalar Zero = 0.ToScalar();

    /// <summary>1 (integer): the alpha of <c>a + b</c>, as TorchSharp's <c>add(Tensor)</c> passes it.</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>2 (integer): the exponent of <c>square()</c>, which TorchSharp writes as <c>pow(2)</c>.</summary>
    public static readonly Scalar Two = 2.ToScalar();

    /// <summary>A new integer Scalar of <paramref name="value"/>; the caller disposes it after the op: <c>using var s = Scalars.Of(k);</c>.</summary>
    /// <param name="value">The value.</param>
    public static Scalar Of(long value) => value.ToScalar();

    /// <summary>A new floating-point Scalar of <paramref name="value"/>; the caller disposes it after the op: <c>using var s = Scalars.Of(x);</c>.</summary>
    /// <param name="value">The value.</param>
    public static Scalar Of(double value) => value.ToScalar();
}
