namespace TorchLogistic.Optim;

/// <summary>Small float64 vector operations the solvers share (θ is a few thousand entries at most).</summary>
internal static class VectorMath
{
    public static double dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>y ← y + α·x.</summary>
    public static void axpy(double alpha, double[] x, double[] y)
    {
        for (int i = 0; i < x.Length; i++) y[i] += alpha * x[i];
    }

    public static double norm_inf(double[] a)
    {
        double max = 0;
        foreach (double v in a) max = Math.Max(max, Math.Abs(v));
        return max;
    }

    public static bool all_finite(double[] a)
    {
        foreach (double v in a)
        {
            if (!double.IsFinite(v)) return false;
        }
        return true;
    }
}
