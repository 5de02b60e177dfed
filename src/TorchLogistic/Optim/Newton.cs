using TorchLogistic.Native;
using static TorchSharp.torch;

namespace TorchLogistic.Optim;

/// <summary>
/// Newton–Raphson (for logistic regression: IRLS) with the exact Hessian: solve <c>∇²f(θ)·d = −∇f(θ)</c> by a
/// Cholesky factorisation (<c>torch.linalg.cholesky</c>, float64), then a backtracking Armijo line search from
/// t = 1, so convergence is global and quadratic near the optimum. Softmax's f is flat along known directions
/// (a common shift of the classes' logits, <see cref="Objectives.IObjective.NullDirections"/>); those are added
/// to the Hessian with a positive weight, which does not change the step on the rest of θ-space because ∇f is
/// orthogonal to them. If the factorisation still fails (e.g. unpenalised separable or collinear data), a
/// damping μI is added, μ growing from 1e-12·max diag ×100 until it succeeds. Forms the
/// <c>(K(d+1))²</c> Hessian: use <c>newton-cg</c> when that is too large. Smooth objectives only.
/// Criterion: ‖∇f‖∞.
/// </summary>
public sealed class Newton : Solver
{
    private double[] _gradient = Array.Empty<double>();
    private IReadOnlyList<double[]> _nulls = Array.Empty<double[]>();

    /// <inheritdoc />
    public override SolverKind Kind => SolverKind.Newton;

    /// <summary>The largest damping μ used so far (0 when every Hessian was factorised as it was).</summary>
    public double MaxDamping { get; private set; }

    /// <inheritdoc />
    protected override void Initialize()
    {
        if (!F.IsHessianSupported)
            throw new ArgumentException("Solver 'newton' needs an objective with Hessians; use lbfgs.");
        _nulls = F.NullDirections;
        MaxDamping = 0;
        _gradient = new double[Theta.Length];
        Objective = Evaluate(Theta, _gradient);
        Criterion = Measure(Theta, _gradient);
    }

    /// <inheritdoc />
    public override void Step()
    {
        int n = Theta.Length;
        double[] h = F.Hessian(Theta);
        HessianEvaluations++;
        var d = Solve(h, _gradient, n);
        NullSpace.ProjectOut(d, _nulls);
        double gtd = VectorMath.Dot(_gradient, d);
        if (!(gtd < 0))
        {
            Stalled = "the Newton direction is not a descent direction (the gradient is zero to machine precision)";
            return;
        }
        _gradient = BacktrackAlong(d, _gradient, gtd) ?? _gradient;
    }

    /// <summary>d = −(H + gauge + μI)⁻¹ g by Cholesky, increasing μ from 0 until the factorisation succeeds.</summary>
    private double[] Solve(double[] h, double[] g, int n)
    {
        using var scope = NewDisposeScope();
        var hessian = tensor(h, new long[] { n, n }, ScalarType.Float64);
        double scale = hessian.diagonal().abs().max().item<double>();
        if (!(scale > 0)) scale = 1;
        foreach (var u in _nulls)
        {
            var ut = tensor(u, ScalarType.Float64);
            hessian = hessian.Plus(ut.outer(ut).Times(scale));
        }
        var rhs = tensor(g, new long[] { n, 1 }, ScalarType.Float64).neg();
        var identity = eye(n, dtype: ScalarType.Float64);
        for (double mu = 0; ; mu = mu == 0 ? 1e-12 * scale : mu * 100)
        {
            var (factor, info) = linalg.cholesky_ex(mu == 0 ? hessian : hessian.Plus(identity.Times(mu)));
            if (info.item<int>() == 0)
            {
                MaxDamping = Math.Max(MaxDamping, mu);
                var solution = cholesky_solve(rhs, factor);
                return solution.flatten().contiguous().data<double>().ToArray();
            }
            if (mu > 1e6 * scale)
                throw new InvalidOperationException("The Hessian could not be factorised even with heavy damping; the objective has NaN or infinite curvature.");
        }
    }
}

/// <summary>Removes the components along known flat directions of f from a step.</summary>
internal static class NullSpace
{
    /// <summary>v ← v − Σ (uᵀv) u for orthonormal u.</summary>
    public static void ProjectOut(double[] v, IReadOnlyList<double[]> directions)
    {
        foreach (var u in directions) VectorMath.Axpy(-VectorMath.Dot(u, v), u, v);
    }
}
