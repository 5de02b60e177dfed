using TorchLogistic.Objectives;

namespace TorchLogistic.Optim;

/// <summary>
/// Limited-memory BFGS with a strong-Wolfe line search (TorchSharp's <c>optim.LBFGS</c> has none). Keeps the
/// last <see cref="history_size"/> correction pairs (s, y), skipping pairs with <c>yᵀs ≤ 1e-10·‖s‖‖y‖</c> (relative, because the objective is a mean and steps near the optimum are tiny) that would
/// break positive definiteness; the direction is the two-loop recursion scaled by <c>γ = sᵀy/yᵀy</c>. The
/// first step is <c>min(1, 1/‖∇f‖₁)</c>, later ones start at 1. Criterion: ‖∇f‖∞.
/// <para>
/// Preconditioned (<c>lbfgs-precond</c>), on an <see cref="IPreconditionedObjective"/>, the recursion starts from
/// H₀ = γM⁻¹ with γ = sᵀy/yᵀM⁻¹y — for linear models M is Böhning's curvature bound (see
/// <see cref="CurvatureBoundPreconditioner"/>) — and the first step is 1. That is the same iteration in the
/// coordinates where M is the identity: what raw pixels or unscaled columns cost plain L-BFGS is paid once, up front.
/// On an objective that offers no preconditioner (autograd gradients) it is plain L-BFGS (with 30 pairs by default).
/// </para>
/// </summary>
public sealed class Lbfgs : Solver
{
    private readonly StrongWolfeLineSearch lineSearch = new();
    private LbfgsMemory memory;
    private double[] gradient = Array.Empty<double>();
    private double[]? previousGradient;
    private double[]? previousStep;

    /// <summary>Creates the solver.</summary>
    /// <param name="history_size">Number of correction pairs kept, ≥ 1 (default <see cref="SolverDefaults.history_size"/>).</param>
    /// <param name="preconditioned">Start the recursion from the objective's M⁻¹ when it offers one (default false).</param>
    public Lbfgs(int history_size = SolverDefaults.history_size, bool preconditioned = false)
    {
        this.preconditioned = preconditioned;
        if (history_size < 1)
            throw new ArgumentOutOfRangeException(nameof(history_size), history_size, $"L-BFGS history size {history_size} must be ≥ 1 (try 10).");
        this.history_size = history_size;
        memory = new LbfgsMemory(history_size);
    }

    /// <summary>Number of correction pairs kept.</summary>
    public int history_size { get; }

    /// <summary>Whether the recursion starts from the objective's preconditioner.</summary>
    public bool preconditioned { get; }

    /// <inheritdoc />
    public override SolverKind kind => preconditioned ? SolverKind.LbfgsPrecond : SolverKind.Lbfgs;

    private Action<double[], double[]>? initial_inverse => preconditioned && f is IPreconditionedObjective p ? p.precondition : null;

    /// <inheritdoc />
    protected override void initialize()
    {
        memory = new LbfgsMemory(history_size, initial_inverse);
        previousGradient = null;
        previousStep = null;
        gradient = new double[theta.Length];
        objective = evaluate(theta, gradient);
        criterion = VectorMath.norm_inf(gradient);
    }

    /// <inheritdoc />
    public override void step()
    {
        int n = theta.Length;
        if (previousGradient != null && previousStep != null)
        {
            var y = new double[n];
            for (int i = 0; i < n; i++) y[i] = gradient[i] - previousGradient[i];
            memory.add(previousStep, y);
        }

        var d = memory.negative_product(gradient);
        double gtd = VectorMath.dot(gradient, d);
        if (!(gtd < 0))
        {
            // Not a descent direction (rounding in a flat region): restart from steepest descent.
            memory.clear();
            d = memory.negative_product(gradient);
            gtd = VectorMath.dot(gradient, d);
            if (!(gtd < 0))
            {
                stalled = "the gradient is zero to machine precision";
                return;
            }
        }
        double t0 = previousStep == null && initial_inverse is null ? Math.Min(1, 1 / gradient.Sum(Math.Abs)) : 1;
        var result = lineSearch.search(evaluate, theta, t0, d, objective, gradient, gtd);
        if (result.Step == 0 || !(result.Value <= objective + 8 * Math.Abs(objective) * 2.220446049250313e-16))
        {
            stalled = "the line search found no step that decreases the objective (it is flat to machine precision here)";
            return;
        }
        previousGradient = gradient;
        previousStep = new double[n];
        for (int i = 0; i < n; i++)
        {
            previousStep[i] = result.Step * d[i];
            theta[i] += previousStep[i];
        }
        gradient = result.Gradient;
        objective = result.Value;
        criterion = VectorMath.norm_inf(gradient);
    }
}
