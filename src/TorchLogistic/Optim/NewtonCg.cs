namespace TorchLogistic.Optim;

/// <summary>
/// Truncated Newton (Newton-CG, Nocedal &amp; Wright Algorithm 7.1): the Newton system <c>∇²f·d = −∇f</c> is solved
/// approximately by conjugate gradients using only Hessian-vector products (never forming the Hessian), stopping
/// when the residual is below <c>ηₖ‖∇f‖</c> with the forcing term <c>ηₖ = min(0.5, √‖∇f‖)</c> (superlinear
/// convergence) or at negative curvature; then a backtracking Armijo line search from t = 1. Memory is O(n), so
/// it suits problems whose Hessian is too large to store. Smooth objectives only. Criterion: ‖∇f‖∞.
/// <see cref="Solver.HessianEvaluations"/> counts the Hessian-vector products.
/// </summary>
public sealed class NewtonCg : Solver
{
    private double[] _gradient = Array.Empty<double>();
    private IReadOnlyList<double[]> _nulls = Array.Empty<double[]>();

    /// <summary>Creates the solver.</summary>
    /// <param name="maxConjugateGradientIterations">CG iterations per Newton step at most (default 0: max(n, 50), n the number of parameters — in exact arithmetic CG solves an n × n system in n iterations).</param>
    public NewtonCg(int maxConjugateGradientIterations = 0)
    {
        if (maxConjugateGradientIterations < 0) throw new ArgumentOutOfRangeException(nameof(maxConjugateGradientIterations), maxConjugateGradientIterations, $"max_cg = {maxConjugateGradientIterations} must be ≥ 0 (0 chooses automatically).");
        this.MaxConjugateGradientIterations = maxConjugateGradientIterations;
    }

    /// <summary>CG iterations per Newton step at most (0: max(n, 50)).</summary>
    public int MaxConjugateGradientIterations { get; }

    /// <inheritdoc />
    public override SolverKind Kind => SolverKind.NewtonCg;

    /// <inheritdoc />
    protected override void Initialize()
    {
        if (!F.IsHessianSupported)
            throw new ArgumentException("Solver 'newton-cg' needs Hessian-vector products; use lbfgs.");
        _nulls = F.NullDirections;
        _gradient = new double[Theta.Length];
        Objective = Evaluate(Theta, _gradient);
        Criterion = Measure(Theta, _gradient);
    }

    /// <inheritdoc />
    public override void Step()
    {
        _gradient = DescendAlong(ConjugateGradient(Theta.Length), _gradient, _nulls);
    }

    private double[] ConjugateGradient(int n)
    {
        var d = new double[n];
        var r = _gradient.Select(v => -v).ToArray();
        NullSpace.ProjectOut(r, _nulls);
        var p = (double[])r.Clone();
        var hp = new double[n];
        double rr = VectorMath.Dot(r, r);
        double gNorm = Math.Sqrt(rr);
        double target = Math.Min(0.5, Math.Sqrt(gNorm)) * gNorm;
        int limit = MaxConjugateGradientIterations > 0 ? MaxConjugateGradientIterations : Math.Max(n, 50);
        for (int i = 0; i < limit && Math.Sqrt(rr) > target; i++)
        {
            F.HessianVectorProduct(Theta, p, hp);
            HessianEvaluations++;
            double curvature = VectorMath.Dot(p, hp);
            if (!(curvature > 0))
            {
                // Negative or zero curvature: stop; the first iteration falls back to steepest descent.
                if (i == 0) return _gradient.Select(v => -v).ToArray();
                break;
            }
            double alpha = rr / curvature;
            VectorMath.Axpy(alpha, p, d);
            VectorMath.Axpy(-alpha, hp, r);
            double rrNew = VectorMath.Dot(r, r);
            double beta = rrNew / rr;
            rr = rrNew;
            for (int j = 0; j < n; j++) p[j] = r[j] + beta * p[j];
        }
        return d;
    }
}
