using TorchLogistic.Objectives;

namespace TorchLogistic.Optim;

/// <summary>
/// A minimisation strategy plugged into the training loop (<c>TrainingLoop</c>, one layer up): <see cref="Begin"/> once, then
/// <see cref="Step"/> once per iteration. The loop, not the solver, decides when to stop, so every solver is
/// stopped by the same rules. After each call, <see cref="Theta"/>, <see cref="Objective"/> and
/// <see cref="Criterion"/> describe the current iterate.
/// </summary>
public abstract class Solver
{
    /// <summary>Which solver this is.</summary>
    public abstract SolverKind Kind { get; }

    /// <summary>The solver's name (<see cref="SolverRegistry.NameOf"/>).</summary>
    public string Name => SolverRegistry.NameOf(Kind);

    /// <summary>Whether the solver handles an L1 term (λ₁ &gt; 0) exactly.</summary>
    public virtual bool SupportsL1 => false;

    /// <summary>The current parameters θ.</summary>
    public double[] Theta { get; protected set; } = Array.Empty<double>();

    /// <summary>F(θ): the smooth part plus the L1 term, at <see cref="Theta"/>.</summary>
    public double Objective { get; protected set; }

    /// <summary>
    /// The convergence measure at <see cref="Theta"/>, compared with the tolerance. Every solver uses the same one:
    /// ‖G(θ)‖∞ with <c>G(θ) = θ − prox_{λ₁‖·‖₁}(θ − ∇f(θ))</c>, the prox-gradient mapping with unit step, which is
    /// ‖∇f(θ)‖∞ for a smooth objective (λ₁ = 0) and is zero exactly at the optimum of an L1 or elastic-net one.
    /// <c>sgd</c> evaluates it on all rows once per epoch.
    /// </summary>
    public double Criterion { get; protected set; }

    /// <summary>Full Hessians (<c>newton</c>) or Hessian-vector products (<c>newton-cg</c>) evaluated so far.</summary>
    public int HessianEvaluations { get; protected set; }

    /// <summary>Objective (value and gradient) evaluations so far.</summary>
    public int FunctionEvaluations { get; protected set; }

    /// <summary>Set by a solver that cannot make further progress (e.g. a failed line search), with the reason.</summary>
    public string? Stalled { get; protected set; }

    /// <summary>The objective being minimised.</summary>
    protected IObjective F { get; private set; } = null!;

    /// <summary>Starts minimising <paramref name="objectiveFunction"/> from a copy of <paramref name="theta0"/>.</summary>
    public void Begin(IObjective objectiveFunction, double[] theta0)
    {
        if (theta0.Length != objectiveFunction.ParameterCount)
            throw new ArgumentException($"Initial θ has {theta0.Length} entries; the objective has {objectiveFunction.ParameterCount}.");
        if (objectiveFunction.L1Strength > 0 && !SupportsL1)
            throw new ArgumentException($"Solver '{Name}' cannot minimise an L1 or elastic-net penalty exactly. Use a solver that supports L1, or penalty l2.");
        F = objectiveFunction;
        Theta = (double[])theta0.Clone();
        FunctionEvaluations = 0;
        HessianEvaluations = 0;
        Stalled = null;
        Initialize();
    }

    /// <summary>Evaluates the start point: sets <see cref="Objective"/>, <see cref="Criterion"/> and any state.</summary>
    protected abstract void Initialize();

    /// <summary>
    /// Starts from <paramref name="theta"/> with the state <paramref name="state"/> captured there (by
    /// <see cref="CaptureState"/>, on the same objective): the following iterates are those the captured run would
    /// have taken. θ is evaluated once, as <see cref="Begin"/> does (the objective is deterministic, so ∇f is the
    /// one the captured run held).
    /// </summary>
    public void Resume(IObjective objectiveFunction, double[] theta, SolverState state)
    {
        if (state.Solver != Kind)
            throw new ArgumentException($"The saved state is of solver '{SolverRegistry.NameOf(state.Solver)}'; this solver is '{Name}'.", nameof(state));
        Begin(objectiveFunction, theta);
        RestoreState(state);
    }

    /// <summary>
    /// Called by the training loop once the criterion has reached the tolerance: a solver may refine θ there (without
    /// counting an iteration), keeping <see cref="Theta"/>, <see cref="Objective"/> and <see cref="Criterion"/>
    /// consistent and never making F or the criterion worse. Nothing by default; OWL-QN takes Newton steps on its
    /// non-zero coefficients.
    /// </summary>
    public virtual void Polish()
    {
    }

    /// <summary>The state this solver carries to its next iteration (copies); none for a solver that carries only θ.</summary>
    public SolverState CaptureState()
    {
        var entries = new Dictionary<string, double[]>(StringComparer.Ordinal);
        SaveState(entries);
        return new SolverState(Kind, entries);
    }

    /// <summary>Adds the solver's state to <paramref name="entries"/> (copies of its arrays); nothing by default.</summary>
    protected virtual void SaveState(IDictionary<string, double[]> entries)
    {
    }

    /// <summary>Sets the state saved by <see cref="SaveState"/>, after <see cref="Initialize"/> evaluated θ; nothing by default.</summary>
    protected virtual void RestoreState(SolverState state)
    {
    }

    /// <summary>Performs one iteration from the current <see cref="Theta"/>.</summary>
    public abstract void Step();

    /// <summary>Evaluates f and ∇f, counting the evaluation.</summary>
    protected double Evaluate(double[] at, double[] gradient)
    {
        FunctionEvaluations++;
        return F.ValueAndGradient(at, gradient);
    }

    /// <summary>Unit roundoff of float64.</summary>
    protected const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>
    /// Tolerance of a comparison of objective values near <paramref name="value"/>: a few ulps. Near the optimum F
    /// changes by less than its rounding error while the gradient is still informative.
    /// </summary>
    protected static double RoundingSlack(double value) => 8 * Math.Abs(value) * MachineEpsilon;

    /// <summary>λ₁, the weight of the L1 term.</summary>
    protected double L1 => F.L1Strength;

    /// <summary>Number of leading, penalised entries of θ.</summary>
    protected int PenalizedCount => F.PenalizedCount;

    /// <summary>F = f + λ₁‖θ[0..PenalizedCount)‖₁ from the smooth part <paramref name="smooth"/> at <paramref name="at"/>.</summary>
    protected double Composite(double smooth, double[] at) => L1 == 0 ? smooth : smooth + L1 * Proximal.L1Norm(at, PenalizedCount);

    /// <summary>The convergence measure (see <see cref="Criterion"/>) at <paramref name="at"/> with ∇f = <paramref name="gradient"/>.</summary>
    protected double Measure(double[] at, double[] gradient) => Proximal.GradientMappingNorm(at, gradient, L1, PenalizedCount);

    /// <summary>
    /// The truncated-Newton step: projects the null directions out of <paramref name="d"/>, falls back to steepest
    /// descent when d is not a descent direction, and backtracks along it (<see cref="BacktrackAlong"/>). Returns ∇f at
    /// the new θ, or <paramref name="gradient"/> unchanged with <see cref="Stalled"/> set when no step is possible.
    /// </summary>
    /// <param name="d">The direction (its null directions are projected out in place).</param>
    /// <param name="gradient">∇f at <see cref="Theta"/>.</param>
    /// <param name="nullDirections">Directions along which f is flat.</param>
    /// <param name="spareGradient">An array of θ's length the line search may write its trial gradients into (then returned as ∇f at the new θ), or null for a new one.</param>
    protected double[] DescendAlong(double[] d, double[] gradient, IReadOnlyList<double[]> nullDirections, double[]? spareGradient = null)
    {
        NullSpace.ProjectOut(d, nullDirections);
        double gtd = VectorMath.Dot(gradient, d);
        if (!(gtd < 0))
        {
            d = gradient.Select(v => -v).ToArray();
            gtd = VectorMath.Dot(gradient, d);
            if (!(gtd < 0))
            {
                Stalled = "the gradient is zero to machine precision";
                return gradient;
            }
        }
        return BacktrackAlong(d, gradient, gtd, spareGradient) ?? gradient;
    }

    private double[]? _trialPoint;   // the line search's trial θ, reused (objectives copy what they keep of θ)

    /// <summary>
    /// Moves θ along the descent direction <paramref name="d"/> by a backtracking Armijo search from t = 1 (the
    /// Newton-type solvers' step), updating <see cref="Objective"/> and <see cref="Criterion"/>. Returns ∇f at the
    /// new θ, or null with <see cref="Stalled"/> set when no step decreases the objective.
    /// </summary>
    /// <param name="d">The descent direction.</param>
    /// <param name="gradient">∇f at <see cref="Theta"/>.</param>
    /// <param name="gtd">∇fᵀd &lt; 0.</param>
    /// <param name="spareGradient">An array of θ's length for the trial gradients (the returned ∇f is then this array), or null for a new one.</param>
    protected double[]? BacktrackAlong(double[] d, double[] gradient, double gtd, double[]? spareGradient = null)
    {
        if (_trialPoint is null || _trialPoint.Length != Theta.Length) _trialPoint = new double[Theta.Length];
        if (spareGradient is not null && (spareGradient.Length != Theta.Length || ReferenceEquals(spareGradient, gradient))) spareGradient = null;
        var result = BacktrackingLineSearch.Search(Evaluate, Theta, d, Objective, gradient, gtd, point: _trialPoint, trialGradient: spareGradient);
        if (!result.Found)
        {
            Stalled = "the line search found no step that decreases the objective (it is flat to machine precision here)";
            return null;
        }
        VectorMath.Axpy(result.Step, d, Theta);
        Objective = result.Value;
        Criterion = Measure(Theta, result.Gradient);
        return result.Gradient;
    }
}
