using System.Numerics;
using System.Runtime.InteropServices;

namespace TorchLogistic.Native;

/// <summary>
/// Dot product and axpy over float64 spans with <see cref="Vector{T}"/> lanes — the one copy the managed kernels and
/// preconditioners share (lane sums first, then the tail: the same bits on every call for the same lengths).
/// </summary>
internal static class SpanMath
{
    /// <summary>Σⱼ aⱼ·bⱼ.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var va = MemoryMarshal.Cast<double, Vector<double>>(a);
        var vb = MemoryMarshal.Cast<double, Vector<double>>(b);
        var lanes = Vector<double>.Zero;
        for (int i = 0; i < va.Length; i++) lanes += va[i] * vb[i];
        double sum = Vector.Sum(lanes);
        for (int i = va.Length * Vector<double>.Count; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>y ← y + α·x.</summary>
    public static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
        var vy = MemoryMarshal.Cast<double, Vector<double>>(y);
        var va = new Vector<double>(alpha);
        for (int i = 0; i < vx.Length; i++) vy[i] += va * vx[i];
        for (int i = vx.Length * Vector<double>.Count; i < x.Length; i++) y[i] += alpha * x[i];
    }
}
