namespace TorchLogistic.Optim;

/// <summary>
/// Truncated Newton (Newton-CG, Nocedal &amp; Wright Algorithm 7.1): the Newton system <c>∇²f·d = −∇f</c> is solved
/// approximately by conjugate gradients using only Hessian-vector products (never forming the Hessian), stopping
/// when the residual is below <c>ηₖ‖∇f‖</c> with the forcing term <c>ηₖ = min(0.5, √‖∇f‖)</c> (superlinear
/// convergence) or at negative curvature; then a backtracking Armijo line search from t = 1. Memory is O(n), so
/// it suits problems whose Hessian is too large to store. Smooth objectives only. Criterion: ‖∇f‖∞.
/// <see cref="Solver.hessian_evaluations"/> counts the Hessian-vector products.
/// </summary>
public sealed class NewtonCg : Solver
{
    private double[] gradient = Array.Empty<double>();
    private IReadOnlyList<double[]> nulls = Array.Empty<double[]>();

    /// <summary>Creates the solver.</summary>
    /// <param name="max_cg">CG iterations per Newton step at most (default 0: max(n, 50), n the number of parameters — in exact arithmetic CG solves an n × n system in n iterations).</param>
    public NewtonCg(int max_cg = 0)
    {
        if (max_cg < 0) throw new ArgumentOutOfRangeException(nameof(max_cg), max_cg, $"max_cg = {max_cg} must be ≥ 0 (0 chooses automatically).");
        this.max_cg = max_cg;
    }

    /// <summary>CG iterations per Newton step at most (0: max(n, 50)).</summary>
    public int max_cg { get; }

    /// <inheritdoc />
    public override SolverKind kind => SolverKind.NewtonCg;

    /// <inheritdoc />
    protected override void initialize()
    {
        if (!f.is_hessian_supported)
            throw new ArgumentException("Solver 'newton-cg' needs Hessian-vector products; use lbfgs.");
        nulls = f.null_directions;
        gradient = new double[theta.Length];
        objective = evaluate(theta, gradient);
        criterion = measure(theta, gradient);
    }

    /// <inheritdoc />
    public override void step()
    {
        int n = theta.Length;
        var d = conjugate_gradient(n);
        NullSpace.project_out(d, nulls);
        double gtd = VectorMath.dot(gradient, d);
        if (!(gtd < 0))
        {
            d = gradient.Select(v => -v).ToArray();
            gtd = VectorMath.dot(gradient, d);
            if (!(gtd < 0))
            {
                stalled = "the gradient is zero to machine precision";
                return;
            }
        }
        gradient = backtrack_along(d, gradient, gtd) ?? gradient;
    }

    private double[] conjugate_gradient(int n)
    {
        var d = new double[n];
        var r = gradient.Select(v => -v).ToArray();
        NullSpace.project_out(r, nulls);
        var p = (double[])r.Clone();
        var hp = new double[n];
        double rr = VectorMath.dot(r, r);
        double gNorm = Math.Sqrt(rr);
        double target = Math.Min(0.5, Math.Sqrt(gNorm)) * gNorm;
        int limit = max_cg > 0 ? max_cg : Math.Max(n, 50);
        for (int i = 0; i < limit && Math.Sqrt(rr) > target; i++)
        {
            f.hessian_vector_product(theta, p, hp);
            hessian_evaluations++;
            double curvature = VectorMath.dot(p, hp);
            if (!(curvature > 0))
            {
                // Negative or zero curvature: stop; the first iteration falls back to steepest descent.
                if (i == 0) return gradient.Select(v => -v).ToArray();
                break;
            }
            double alpha = rr / curvature;
            VectorMath.axpy(alpha, p, d);
            VectorMath.axpy(-alpha, hp, r);
            double rrNew = VectorMath.dot(r, r);
            double beta = rrNew / rr;
            rr = rrNew;
            for (int j = 0; j < n; j++) p[j] = r[j] + beta * p[j];
        }
        return d;
    }
}
