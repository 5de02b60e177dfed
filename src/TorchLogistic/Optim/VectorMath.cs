using System.Numerics;
using System.Runtime.InteropServices;

namespace TorchLogistic.Optim;

/// <summary>Small float64 vector operations the solvers share (θ is a few thousand entries at most).</summary>
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
