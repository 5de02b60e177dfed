namespace TorchLogistic.Optim;

/// <summary>The last correction pairs (s, y) of a limited-memory quasi-Newton method and the two-loop recursion.</summary>
internal sealed class LbfgsMemory
{
    private readonly int size;
    private readonly List<double[]> s = new();
    private readonly List<double[]> y = new();
    private readonly List<double> rho = new();
    private double gamma = 1;
    private readonly Action<double[], double[]>? h0;
    private double[] scratch = Array.Empty<double>();

    /// <param name="size">Pairs kept.</param>
    /// <param name="initial_inverse">M⁻¹ (result = M⁻¹ v): H₀ = γM⁻¹ instead of γI, or null.</param>
    public LbfgsMemory(int size, Action<double[], double[]>? initial_inverse = null)
    {
        this.size = size;
        h0 = initial_inverse;
    }

    public int count => s.Count;

    public void clear()
    {
        s.Clear();
        y.Clear();
        rho.Clear();
        gamma = 1;
    }

    /// <summary>Adds the pair unless <c>yᵀs ≤ 1e-10·‖s‖‖y‖</c> (it would break positive definiteness).</summary>
    public void add(double[] step, double[] gradientChange)
    {
        double ys = VectorMath.dot(gradientChange, step);
        double yy = VectorMath.dot(gradientChange, gradientChange);
        if (!(ys > 1e-10 * Math.Sqrt(VectorMath.dot(step, step) * yy))) return;
        double yHy = yy;
        if (h0 is not null)
        {
            var hy = new double[gradientChange.Length];
            h0(gradientChange, hy);
            yHy = VectorMath.dot(gradientChange, hy);
            if (!(yHy > 0)) return;
        }
        if (s.Count == size)
        {
            s.RemoveAt(0);
            y.RemoveAt(0);
            rho.RemoveAt(0);
        }
        s.Add(step);
        y.Add(gradientChange);
        rho.Add(1 / ys);
        gamma = ys / yHy;
    }

    /// <summary>−H·v, H the inverse-Hessian approximation (two-loop recursion, H₀ = γI with γ = sᵀy/yᵀy, or γM⁻¹ with γ = sᵀy/yᵀM⁻¹y).</summary>
    public double[] negative_product(double[] v)
    {
        int n = v.Length, k = s.Count;
        var q = v.Select(x => -x).ToArray();
        var alpha = new double[k];
        for (int i = k - 1; i >= 0; i--)
        {
            alpha[i] = rho[i] * VectorMath.dot(s[i], q);
            VectorMath.axpy(-alpha[i], y[i], q);
        }
        if (h0 is not null)
        {
            if (scratch.Length != n) scratch = new double[n];
            h0(q, scratch);
            Array.Copy(scratch, q, n);
        }
        for (int i = 0; i < n; i++) q[i] *= gamma;
        for (int i = 0; i < k; i++)
        {
            double beta = rho[i] * VectorMath.dot(y[i], q);
            VectorMath.axpy(alpha[i] - beta, s[i], q);
        }
        return q;
    }
}
