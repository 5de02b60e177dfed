namespace TorchLogistic.Optim;

/// <summary>
/// The last correction pairs (s, y) of a limited-memory quasi-Newton method and the two-loop recursion. With an
/// initial inverse M⁻¹ (preconditioned L-BFGS) it applies M⁻¹ once per iteration, to the gradient: it keeps
/// hᵢ = M⁻¹yᵢ as the difference of consecutive M⁻¹g (M⁻¹ is linear), so the middle step M⁻¹q = −M⁻¹g − Σαᵢhᵢ and
/// the scaling γ = sᵀy/yᵀM⁻¹y need no further products.
/// </summary>
internal sealed class LbfgsMemory
{
    private readonly int size;
    private readonly List<double[]> s = new();
    private readonly List<double[]> y = new();
    private readonly List<double[]> h = new();
    private readonly List<double> rho = new();
    private double gamma = 1;
    private readonly Action<double[], double[]>? h0;
    private double[]? previousPreconditioned;
    private (double[] Step, double[] Change, double Ys)? pending;

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
        h.Clear();
        rho.Clear();
        gamma = 1;
        previousPreconditioned = null;
        pending = null;
    }

    /// <summary>
    /// Adds the pair unless <c>yᵀs ≤ 1e-10·‖s‖‖y‖</c> (it would break positive definiteness). With M⁻¹, y must be
    /// the change between the gradients of the last and the next <see cref="negative_product"/>; the pair is
    /// completed there.
    /// </summary>
    public void add(double[] step, double[] gradientChange)
    {
        double ys = VectorMath.dot(gradientChange, step);
        double yy = VectorMath.dot(gradientChange, gradientChange);
        if (!(ys > 1e-10 * Math.Sqrt(VectorMath.dot(step, step) * yy))) return;
        if (h0 is not null)
        {
            pending = (step, gradientChange, ys);
            return;
        }
        push(step, gradientChange, null, ys);
        gamma = ys / yy;
    }

    /// <summary>−H·g for the current gradient g, H the inverse-Hessian approximation (two-loop recursion, H₀ = γI with γ = sᵀy/yᵀy, or γM⁻¹ with γ = sᵀy/yᵀM⁻¹y).</summary>
    public double[] negative_product(double[] g)
    {
        int n = g.Length;
        double[]? hg = null;
        if (h0 is not null)
        {
            hg = new double[n];
            h0(g, hg);
            if (pending is { } p && previousPreconditioned is not null)
            {
                var hy = new double[n];
                for (int i = 0; i < n; i++) hy[i] = hg[i] - previousPreconditioned[i];
                double yHy = VectorMath.dot(p.Change, hy);
                if (yHy > 0)
                {
                    push(p.Step, p.Change, hy, p.Ys);
                    gamma = p.Ys / yHy;
                }
            }
            pending = null;
            previousPreconditioned = hg;
        }
        int k = s.Count;
        var q = new double[n];
        for (int i = 0; i < n; i++) q[i] = -g[i];
        var alpha = new double[k];
        for (int i = k - 1; i >= 0; i--)
        {
            alpha[i] = rho[i] * VectorMath.dot(s[i], q);
            VectorMath.axpy(-alpha[i], y[i], q);
        }
        if (hg is not null)
        {
            // M⁻¹q with q = −g − Σ αᵢyᵢ
            for (int i = 0; i < n; i++) q[i] = -hg[i];
            for (int i = 0; i < k; i++) VectorMath.axpy(-alpha[i], h[i], q);
        }
        for (int i = 0; i < n; i++) q[i] *= gamma;
        for (int i = 0; i < k; i++)
        {
            double beta = rho[i] * VectorMath.dot(y[i], q);
            VectorMath.axpy(alpha[i] - beta, s[i], q);
        }
        return q;
    }

    private void push(double[] step, double[] change, double[]? preconditioned, double ys)
    {
        if (s.Count == size)
        {
            s.RemoveAt(0);
            y.RemoveAt(0);
            rho.RemoveAt(0);
            if (h.Count > 0) h.RemoveAt(0);
        }
        s.Add(step);
        y.Add(change);
        rho.Add(1 / ys);
        if (preconditioned is not null) h.Add(preconditioned);
    }
}
