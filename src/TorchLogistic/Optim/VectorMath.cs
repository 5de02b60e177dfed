using System.Numerics;
using System.Runtime.InteropServices;

namespace TorchLogistic.Optim;

/// <summary>Small float64 vector operations the solvers share, over <see cref="Vector{T}"/> lanes (θ has up to tens of thousands of entries: 47,236 on rcv1-like).</summary>
internal static class VectorMath
{
    public static double Dot(double[] a, double[] b)
    {
        var va = MemoryMarshal.Cast<double, Vector<double>>(a.AsSpan());
        var vb = MemoryMarshal.Cast<double, Vector<double>>(b.AsSpan(0, a.Length));
        var lanes = Vector<double>.Zero;
        for (int i = 0; i < va.Length; i++) lanes += va[i] * vb[i];
        double sum = Vector.Sum(lanes);
        for (int i = va.Length * Vector<double>.Count; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>y ← y + α·x.</summary>
    public static void Axpy(double alpha, double[] x, double[] y)
    {
        var vx = MemoryMarshal.Cast<double, Vector<double>>(x.AsSpan());
        var vy = MemoryMarshal.Cast<double, Vector<double>>(y.AsSpan(0, x.Length));
        var a = new Vector<double>(alpha);
        for (int i = 0; i < vx.Length; i++) vy[i] += a * vx[i];
        for (int i = vx.Length * Vector<double>.Count; i < x.Length; i++) y[i] += alpha * x[i];
    }

    /// <summary>y ← x + β·y (the same bits as the scalar loop).</summary>
    public static void AddScaled(double[] x, double beta, double[] y)
    {
        var vx = MemoryMarshal.Cast<double, Vector<double>>(x.AsSpan());
        var vy = MemoryMarshal.Cast<double, Vector<double>>(y.AsSpan(0, x.Length));
        var b = new Vector<double>(beta);
        for (int i = 0; i < vx.Length; i++) vy[i] = vx[i] + b * vy[i];
        for (int i = vx.Length * Vector<double>.Count; i < x.Length; i++) y[i] = x[i] + beta * y[i];
    }

    /// <summary>result ← x + t·d (the same bits as the scalar loop).</summary>
    public static void PointAlong(double[] x, double t, double[] d, double[] result)
    {
        var vx = MemoryMarshal.Cast<double, Vector<double>>(x.AsSpan());
        var vd = MemoryMarshal.Cast<double, Vector<double>>(d.AsSpan(0, x.Length));
        var vr = MemoryMarshal.Cast<double, Vector<double>>(result.AsSpan(0, x.Length));
        var vt = new Vector<double>(t);
        for (int i = 0; i < vx.Length; i++) vr[i] = vx[i] + vt * vd[i];
        for (int i = vx.Length * Vector<double>.Count; i < x.Length; i++) result[i] = x[i] + t * d[i];
    }

    /// <summary>maxⱼ |aⱼ| over the first <paramref name="length"/> entries, NaN when one is NaN (as a loop of <see cref="Math.Max(double, double)"/>), in lanes.</summary>
    public static double MaxAbs(double[] a, int length)
    {
        var va = MemoryMarshal.Cast<double, Vector<double>>(a.AsSpan(0, length));
        var lanes = Vector<double>.Zero;
        var nan = Vector<long>.Zero;
        for (int i = 0; i < va.Length; i++)
        {
            lanes = Vector.Max(lanes, Vector.Abs(va[i]));
            nan |= ~Vector.Equals(va[i], va[i]);
        }
        if (nan != Vector<long>.Zero) return double.NaN;
        double max = 0;
        for (int i = 0; i < Vector<double>.Count; i++) max = Math.Max(max, lanes[i]);
        for (int i = va.Length * Vector<double>.Count; i < length; i++) max = Math.Max(max, Math.Abs(a[i]));
        return max;
    }

    public static double NormInf(double[] a)
    {
        double max = 0;
        foreach (double v in a) max = Math.Max(max, Math.Abs(v));
        return max;
    }

    public static bool AllFinite(double[] a)
    {
        foreach (double v in a)
        {
            if (!double.IsFinite(v)) return false;
        }
        return true;
    }
}
