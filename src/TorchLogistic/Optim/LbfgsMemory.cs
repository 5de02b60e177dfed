namespace TorchLogistic.Optim;

/// <summary>
/// The last correction pairs (s, y) of a limited-memory quasi-Newton method and the two-loop recursion. With an
/// initial inverse M⁻¹ (preconditioned L-BFGS) it applies M⁻¹ once per iteration, to the gradient: it keeps
/// hᵢ = M⁻¹yᵢ as the difference of consecutive M⁻¹g (M⁻¹ is linear), so the middle step M⁻¹q = −M⁻¹g − Σαᵢhᵢ and
/// the scaling γ = sᵀy/yᵀM⁻¹y need no further products.
/// </summary>
internal sealed class LbfgsMemory
{
    private readonly int _size;
    private readonly List<double[]> _s = new();
    private readonly List<double[]> _y = new();
    private readonly List<double[]> _h = new();
    private readonly List<double> _rho = new();
    private double _gamma = 1;
    private readonly Action<double[], double[]>? _h0;
    private double[]? _previousPreconditioned;
    private (double[] Step, double[] Change, double Ys)? _pending;

    /// <param name="size">Pairs kept.</param>
    /// <param name="initialInverse">M⁻¹ (result = M⁻¹ v): H₀ = γM⁻¹ instead of γI, or null.</param>
    public LbfgsMemory(int size, Action<double[], double[]>? initialInverse = null)
    {
        this._size = size;
        _h0 = initialInverse;
    }

    public int Count => _s.Count;

    public void Clear()
    {
        _s.Clear();
        _y.Clear();
        _h.Clear();
        _rho.Clear();
        _gamma = 1;
        _previousPreconditioned = null;
        _pending = null;
    }

    /// <summary>
    /// Adds the pair unless <c>yᵀs ≤ 1e-10·‖s‖‖y‖</c> (it would break positive definiteness). With M⁻¹, y must be
    /// the change between the gradients of the last and the next <see cref="NegativeProduct"/>; the pair is
    /// completed there.
    /// </summary>
    public void Add(double[] step, double[] gradientChange)
    {
        double ys = VectorMath.Dot(gradientChange, step);
        double yy = VectorMath.Dot(gradientChange, gradientChange);
        if (!(ys > 1e-10 * Math.Sqrt(VectorMath.Dot(step, step) * yy))) return;
        if (_h0 is not null)
        {
            _pending = (step, gradientChange, ys);
            return;
        }
        Push(step, gradientChange, null, ys);
        _gamma = ys / yy;
    }

    /// <summary>−H·g for the current gradient g, H the inverse-Hessian approximation (two-loop recursion, H₀ = γI with γ = sᵀy/yᵀy, or γM⁻¹ with γ = sᵀy/yᵀM⁻¹y).</summary>
    public double[] NegativeProduct(double[] g)
    {
        int n = g.Length;
        double[]? hg = null;
        if (_h0 is not null)
        {
            hg = new double[n];
            _h0(g, hg);
            if (_pending is { } p && _previousPreconditioned is not null)
            {
                var hy = new double[n];
                for (int i = 0; i < n; i++) hy[i] = hg[i] - _previousPreconditioned[i];
                double yHy = VectorMath.Dot(p.Change, hy);
                if (yHy > 0)
                {
                    Push(p.Step, p.Change, hy, p.Ys);
                    _gamma = p.Ys / yHy;
                }
            }
            _pending = null;
            _previousPreconditioned = hg;
        }
        int k = _s.Count;
        var q = new double[n];
        for (int i = 0; i < n; i++) q[i] = -g[i];
        var alpha = new double[k];
        for (int i = k - 1; i >= 0; i--)
        {
            alpha[i] = _rho[i] * VectorMath.Dot(_s[i], q);
            VectorMath.Axpy(-alpha[i], _y[i], q);
        }
        if (hg is not null)
        {
            // M⁻¹q with q = −g − Σ αᵢyᵢ
            for (int i = 0; i < n; i++) q[i] = -hg[i];
            for (int i = 0; i < k; i++) VectorMath.Axpy(-alpha[i], _h[i], q);
        }
        for (int i = 0; i < n; i++) q[i] *= _gamma;
        for (int i = 0; i < k; i++)
        {
            double beta = _rho[i] * VectorMath.Dot(_y[i], q);
            VectorMath.Axpy(alpha[i] - beta, _s[i], q);
        }
        return q;
    }

    /// <summary>Adds the pairs, scaling and pending pair to <paramref name="entries"/> under <paramref name="prefix"/> (copies).</summary>
    public void Save(IDictionary<string, double[]> entries, string prefix)
    {
        entries[prefix + "count"] = new double[] { _s.Count };
        entries[prefix + "gamma"] = new double[] { _gamma };
        entries[prefix + "rho"] = _rho.ToArray();
        for (int i = 0; i < _s.Count; i++)
        {
            entries[$"{prefix}s{i}"] = (double[])_s[i].Clone();
            entries[$"{prefix}y{i}"] = (double[])_y[i].Clone();
            if (i < _h.Count) entries[$"{prefix}h{i}"] = (double[])_h[i].Clone();
        }
        if (_previousPreconditioned is not null) entries[prefix + "previousPreconditioned"] = (double[])_previousPreconditioned.Clone();
        if (_pending is { } p)
        {
            entries[prefix + "pendingStep"] = (double[])p.Step.Clone();
            entries[prefix + "pendingChange"] = (double[])p.Change.Clone();
            entries[prefix + "pendingYs"] = new double[] { p.Ys };
        }
    }

    /// <summary>Replaces the memory by the one <see cref="Save"/> wrote.</summary>
    public void Restore(SolverState state, string prefix)
    {
        Clear();
        int count = checked((int)state.Scalar(prefix + "count"));
        if (count > _size) throw new InvalidDataException($"The saved state holds {count} correction pairs; this solver keeps {_size}. Resume with the same history size.");
        _gamma = state.Scalar(prefix + "gamma");
        var rho = state.Vector(prefix + "rho");
        for (int i = 0; i < count; i++)
        {
            _s.Add((double[])state.Vector($"{prefix}s{i}").Clone());
            _y.Add((double[])state.Vector($"{prefix}y{i}").Clone());
            _rho.Add(rho[i]);
            if (state.Optional($"{prefix}h{i}") is { } h) _h.Add((double[])h.Clone());
        }
        _previousPreconditioned = state.Optional(prefix + "previousPreconditioned") is { } previous ? (double[])previous.Clone() : null;
        if (state.Optional(prefix + "pendingStep") is { } step)
            _pending = ((double[])step.Clone(), (double[])state.Vector(prefix + "pendingChange").Clone(), state.Scalar(prefix + "pendingYs"));
    }

    private void Push(double[] step, double[] change, double[]? preconditioned, double ys)
    {
        if (_s.Count == _size)
        {
            _s.RemoveAt(0);
            _y.RemoveAt(0);
            _rho.RemoveAt(0);
            if (_h.Count > 0) _h.RemoveAt(0);
        }
        _s.Add(step);
        _y.Add(change);
        _rho.Add(1 / ys);
        if (preconditioned is not null) _h.Add(preconditioned);
    }
}
