using TorchLogistic.Objectives;

namespace TorchLogistic.Optim;

/// <summary>
/// A minimisation strategy plugged into the training loop (<c>TrainingLoop</c>, one layer up): <see cref="begin"/> once, then
/// <see cref="step"/> once per iteration. The loop, not the solver, decides when to stop, so every solver is
/// stopped by the same rules. After each call, <see cref="theta"/>, <see cref="objective"/> and
/// <see cref="criterion"/> describe the current iterate.
/// </summary>
public abstract class Solver
{
    /// <summary>Which solver this is.</summary>
    public abstract SolverKind kind { get; }

    /// <summary>The solver's name (<see cref="SolverRegistry.name_of"/>).</summary>
    public string name => SolverRegistry.name_of(kind);

    /// <summary>Whether the solver handles an L1 term (λ₁ &gt; 0) exactly.</summary>
    public virtual bool supports_l1 => false;

    /// <summary>The current parameters θ.</summary>
    public double[] theta { get; protected set; } = Array.Empty<double>();

    /// <summary>F(θ): the smooth part plus the L1 term, at <see cref="theta"/>.</summary>
    public double objective { get; protected set; }

    /// <summary>
    /// The convergence measure at <see cref="theta"/>, compared with the tolerance. Every solver uses the same one:
    /// ‖G(θ)‖∞ with <c>G(θ) = θ − prox_{λ₁‖·‖₁}(θ − ∇f(θ))</c>, the prox-gradient mapping with unit step, which is
    /// ‖∇f(θ)‖∞ for a smooth objective (λ₁ = 0) and is zero exactly at the optimum of an L1 or elastic-net one.
    /// <c>sgd</c> evaluates it on all rows once per epoch.
    /// </summary>
    public double criterion { get; protected set; }

    /// <summary>Full Hessians (<c>newton</c>) or Hessian-vector products (<c>newton-cg</c>) evaluated so far.</summary>
    public int hessian_evaluations { get; protected set; }

    /// <summary>Objective (value and gradient) evaluations so far.</summary>
    public int function_evaluations { get; protected set; }

    /// <summary>Set by a solver that cannot make further progress (e.g. a failed line search), with the reason.</summary>
    public string? stalled { get; protected set; }

    /// <summary>The objective being minimised.</summary>
    protected IObjective f { get; private set; } = null!;

    /// <summary>Starts minimising <paramref name="objective_function"/> from a copy of <paramref name="theta0"/>.</summary>
    public void begin(IObjective objective_function, double[] theta0)
    {
        if (theta0.Length != objective_function.n_parameters)
            throw new ArgumentException($"Initial θ has {theta0.Length} entries; the objective has {objective_function.n_parameters}.");
        if (objective_function.l1_strength > 0 && !supports_l1)
            throw new ArgumentException($"Solver '{name}' cannot minimise an L1 or elastic-net penalty exactly. Use a solver that supports L1, or penalty l2.");
        f = objective_function;
        theta = (double[])theta0.Clone();
        function_evaluations = 0;
        hessian_evaluations = 0;
        stalled = null;
        initialize();
    }

    /// <summary>Evaluates the start point: sets <see cref="objective"/>, <see cref="criterion"/> and any state.</summary>
    protected abstract void initialize();

    /// <summary>Performs one iteration from the current <see cref="theta"/>.</summary>
    public abstract void step();

    /// <summary>Evaluates f and ∇f, counting the evaluation.</summary>
    protected double evaluate(double[] at, double[] gradient)
    {
        function_evaluations++;
        return f.value_and_gradient(at, gradient);
    }

    /// <summary>Unit roundoff of float64.</summary>
    protected const double machine_epsilon = 2.220446049250313e-16;

    /// <summary>
    /// Tolerance of a comparison of objective values near <paramref name="value"/>: a few ulps. Near the optimum F
    /// changes by less than its rounding error while the gradient is still informative.
    /// </summary>
    protected static double rounding_slack(double value) => 8 * Math.Abs(value) * machine_epsilon;

    /// <summary>λ₁, the weight of the L1 term.</summary>
    protected double l1 => f.l1_strength;

    /// <summary>Number of leading, penalised entries of θ.</summary>
    protected int n_penalized => f.n_penalized;

    /// <summary>F = f + λ₁‖θ[0..n_penalized)‖₁ from the smooth part <paramref name="smooth"/> at <paramref name="at"/>.</summary>
    protected double composite(double smooth, double[] at) => l1 == 0 ? smooth : smooth + l1 * Proximal.l1_norm(at, n_penalized);

    /// <summary>The convergence measure (see <see cref="criterion"/>) at <paramref name="at"/> with ∇f = <paramref name="gradient"/>.</summary>
    protected double measure(double[] at, double[] gradient) => Proximal.gradient_mapping_norm(at, gradient, l1, n_penalized);

    /// <summary>
    /// Moves θ along the descent direction <paramref name="d"/> by a backtracking Armijo search from t = 1 (the
    /// Newton-type solvers' step), updating <see cref="objective"/> and <see cref="criterion"/>. Returns ∇f at the
    /// new θ, or null with <see cref="stalled"/> set when no step decreases the objective.
    /// </summary>
    protected double[]? backtrack_along(double[] d, double[] gradient, double gtd)
    {
        var result = BacktrackingLineSearch.search(evaluate, theta, d, objective, gradient, gtd);
        if (!result.Found)
        {
            stalled = "the line search found no step that decreases the objective (it is flat to machine precision here)";
            return null;
        }
        for (int j = 0; j < theta.Length; j++) theta[j] += result.Step * d[j];
        objective = result.Value;
        criterion = measure(theta, result.Gradient);
        return result.Gradient;
    }
}
