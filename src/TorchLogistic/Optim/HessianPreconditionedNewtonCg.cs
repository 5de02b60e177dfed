using TorchLogistic.Native;
using static TorchSharp.torch;

namespace TorchLogistic.Optim;

/// <summary>
/// Truncated Newton whose conjugate gradients are preconditioned by the Cholesky factor of an exact Hessian taken
/// at an earlier iterate (<c>newton-hcg</c>): the first step factors <c>∇²f(θ₀)</c> (so it is Newton's step, one
/// product), and later steps reuse that factor while CG converges within <see cref="RefreshAfter"/> products; a
/// step that needs more refactors at the next iterate. Near the optimum the Hessian changes little between Newton
/// steps, so each later step needs a handful of Hessian-vector products (each one pass over the data) instead of
/// the hundreds plain CG needs on an ill-conditioned problem (<c>newton-cg</c> on digits at C = 1e4: 170 per step),
/// and far fewer Hessians than <c>newton</c>, which factors one per step. CG stops at the residual
/// <c>ηₖ‖∇f‖</c> with the forcing term of <see cref="NewtonCg"/>, <c>ηₖ = min(0.5, √‖∇f‖)</c>, or at non-positive
/// curvature; then a backtracking Armijo line search from t = 1. Softmax's flat directions
/// (<see cref="Objectives.IObjective.NullDirections"/>) enter the factored matrix with a positive weight, as in
/// <see cref="Newton"/>, and a damping μI is added when the factorisation fails. Forms the n × n Hessian: for
/// small and medium n (the cross-validation of C picks it for its fold fits up to a few thousand parameters). Smooth objectives only.
/// Criterion: ‖∇f‖∞. <see cref="Solver.HessianEvaluations"/> counts the Hessian-vector products,
/// <see cref="Factorizations"/> the Hessians.
/// </summary>
public sealed class HessianPreconditionedNewtonCg : Solver
{
    /// <summary>Default <see cref="RefreshAfter"/>.</summary>
    public const int DefaultRefreshAfter = 8;

    private double[] _gradient = Array.Empty<double>();
    private IReadOnlyList<double[]> _nulls = Array.Empty<double[]>();
    private double[]? _lower;   // L, (n × n) row-major: M = L Lᵀ
    private bool _refresh;

    /// <summary>Creates the solver.</summary>
    /// <param name="refreshAfter">CG products in one step above which the next step refactors the Hessian (default <see cref="DefaultRefreshAfter"/>).</param>
    /// <param name="keepFactor">
    /// Whether a new run (<see cref="Solver.Begin"/>) starts from the factor of the previous run (of the same size) instead of
    /// factoring at its start: a path of C warm-started fit after fit, where the Hessian changes little from one fit to the
    /// next (default false). Any symmetric positive definite M is a valid preconditioner, so a stale one costs CG products,
    /// never accuracy.
    /// </param>
    public HessianPreconditionedNewtonCg(int refreshAfter = DefaultRefreshAfter, bool keepFactor = false)
    {
        if (refreshAfter < 1) throw new ArgumentOutOfRangeException(nameof(refreshAfter), refreshAfter, $"refresh_after = {refreshAfter} must be ≥ 1.");
        this.RefreshAfter = refreshAfter;
        this.KeepFactor = keepFactor;
    }

    /// <summary>Whether a new run starts from the previous run's factor.</summary>
    public bool KeepFactor { get; }

    /// <summary>CG products in one Newton step above which the next step refactors the Hessian.</summary>
    public int RefreshAfter { get; }

    /// <summary>Hessians formed and factored so far (over all runs when <see cref="KeepFactor"/>).</summary>
    public int Factorizations { get; private set; }

    /// <summary>The largest damping μ used so far (0 when every Hessian was factorised as it was).</summary>
    public double MaxDamping { get; private set; }

    /// <inheritdoc />
    public override SolverKind Kind => SolverKind.NewtonHcg;

    /// <inheritdoc />
    protected override void Initialize()
    {
        if (!F.IsHessianSupported)
            throw new ArgumentException("Solver 'newton-hcg' needs an objective with Hessians; use lbfgs.");
        _nulls = F.NullDirections;
        if (!KeepFactor || _lower is null || _lower.Length != (long)Theta.Length * Theta.Length)
        {
            _lower = null;
            Factorizations = 0;
            MaxDamping = 0;
        }
        _refresh = _lower is null;
        _gradient = new double[Theta.Length];
        Objective = Evaluate(Theta, _gradient);
        Criterion = Measure(Theta, _gradient);
    }

    /// <inheritdoc />
    public override void Step()
    {
        if (_refresh || _lower is null) Factor(F.Hessian(Theta), Theta.Length);
        _gradient = DescendAlong(ConjugateGradient(Theta.Length), _gradient, _nulls);
    }

    /// <summary>L Lᵀ = H + s·Σ uuᵀ (+ μI), s the largest |diagonal|, μ from 0 up until the factorisation succeeds.</summary>
    private void Factor(double[] h, int n)
    {
        double scale = 0;
        for (int i = 0; i < n; i++) scale = Math.Max(scale, Math.Abs(h[(long)i * n + i]));
        if (!(scale > 0)) scale = 1;
        foreach (var u in _nulls)
        {
            for (int i = 0; i < n; i++)
            {
                if (u[i] == 0) continue;
                double su = scale * u[i];
                for (int j = 0; j < n; j++) h[(long)i * n + j] += su * u[j];
            }
        }
        Factorizations++;
        _refresh = false;
        double applied = 0;
        for (double mu = 0; ; mu = mu == 0 ? 1e-12 * scale : mu * 100)
        {
            for (int i = 0; i < n; i++) h[(long)i * n + i] += mu - applied;
            applied = mu;
            using var scope = NewDisposeScope();
            var (factor, info) = linalg.cholesky_ex(tensor(h, new long[] { n, n }, ScalarType.Float64));
            if (info.item<int>() == 0)
            {
                MaxDamping = Math.Max(MaxDamping, mu);
                _lower = factor.contiguous().data<double>().ToArray();
                return;
            }
            if (mu > 1e6 * scale)
                throw new InvalidOperationException("The Hessian could not be factorised even with heavy damping; the objective has NaN or infinite curvature.");
        }
    }

    /// <summary>z = M⁻¹ r by the two triangular solves, null directions projected out.</summary>
    private double[] Preconditioned(double[] r)
    {
        int n = r.Length;
        var y = new double[n];
        var lower = _lower!;
        for (int i = 0; i < n; i++)
        {
            double s = r[i] - SpanMath.Dot(lower.AsSpan(i * n, i), y.AsSpan(0, i));
            y[i] = s / lower[(long)i * n + i];
        }
        // Lᵀ x = y by columns of Lᵀ, that is rows of L: x_i = y_i / L_ii, then y_j −= L_ij x_i for j < i.
        for (int i = n - 1; i >= 0; i--)
        {
            y[i] /= lower[(long)i * n + i];
            SpanMath.Axpy(-y[i], lower.AsSpan(i * n, i), y.AsSpan(0, i));
        }
        NullSpace.ProjectOut(y, _nulls);
        return y;
    }

    private double[] ConjugateGradient(int n)
    {
        var d = new double[n];
        var r = _gradient.Select(v => -v).ToArray();
        NullSpace.ProjectOut(r, _nulls);
        var z = Preconditioned(r);
        var p = (double[])z.Clone();
        var hp = new double[n];
        double rz = VectorMath.Dot(r, z);
        double gNorm = Math.Sqrt(VectorMath.Dot(r, r));
        double target = Math.Min(0.5, Math.Sqrt(gNorm)) * gNorm;
        int limit = Math.Max(n, 50);
        int products = 0;
        for (int i = 0; i < limit; i++)
        {
            F.HessianVectorProduct(Theta, p, hp);
            HessianEvaluations++;
            products++;
            double curvature = VectorMath.Dot(p, hp);
            if (!(curvature > 0))
            {
                // Negative or zero curvature: stop; the first iteration falls back to the preconditioned gradient.
                if (i == 0) d = z;
                break;
            }
            double alpha = rz / curvature;
            VectorMath.Axpy(alpha, p, d);
            VectorMath.Axpy(-alpha, hp, r);
            if (Math.Sqrt(VectorMath.Dot(r, r)) <= target) break;
            z = Preconditioned(r);
            double rzNew = VectorMath.Dot(r, z);
            double beta = rzNew / rz;
            rz = rzNew;
            for (int j = 0; j < n; j++) p[j] = z[j] + beta * p[j];
        }
        if (products > RefreshAfter) _refresh = true;
        return d;
    }
}
