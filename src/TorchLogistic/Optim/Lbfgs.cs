using TorchLogistic.Objectives;

namespace TorchLogistic.Optim;

/// <summary>
/// Limited-memory BFGS with a strong-Wolfe line search (TorchSharp's <c>optim.LBFGS</c> has none). Keeps the
/// last <see cref="HistorySize"/> correction pairs (s, y), skipping pairs with <c>yᵀs ≤ 1e-10·‖s‖‖y‖</c> (relative, because the objective is a mean and steps near the optimum are tiny) that would
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
    private readonly StrongWolfeLineSearch _lineSearch = new();
    private LbfgsMemory _memory;
    private double[] _gradient = Array.Empty<double>();
    private double[]? _previousGradient;
    private double[]? _previousStep;

    /// <summary>Creates the solver.</summary>
    /// <param name="historySize">Number of correction pairs kept, ≥ 1 (default <see cref="SolverDefaults.HistorySize"/>).</param>
    /// <param name="preconditioned">Start the recursion from the objective's M⁻¹ when it offers one (default false).</param>
    public Lbfgs(int historySize = SolverDefaults.HistorySize, bool preconditioned = false)
    {
        this.Preconditioned = preconditioned;
        if (historySize < 1)
            throw new ArgumentOutOfRangeException(nameof(historySize), historySize, $"L-BFGS history size {historySize} must be ≥ 1 (try 10).");
        this.HistorySize = historySize;
        _memory = new LbfgsMemory(historySize);
    }

    /// <summary>Number of correction pairs kept.</summary>
    public int HistorySize { get; }

    /// <summary>Whether the recursion starts from the objective's preconditioner.</summary>
    public bool Preconditioned { get; }

    /// <inheritdoc />
    public override SolverKind Kind => Preconditioned ? SolverKind.LbfgsPrecond : SolverKind.Lbfgs;

    private Action<double[], double[]>? InitialInverse => Preconditioned && F is IPreconditionedObjective p ? p.Precondition : null;

    /// <inheritdoc />
    protected override void Initialize()
    {
        _memory = new LbfgsMemory(HistorySize, InitialInverse);
        _previousGradient = null;
        _previousStep = null;
        _gradient = new double[Theta.Length];
        Objective = Evaluate(Theta, _gradient);
        Criterion = VectorMath.NormInf(_gradient);
    }

    /// <inheritdoc />
    protected override void SaveState(IDictionary<string, double[]> entries)
    {
        _memory.Save(entries, "memory.");
        if (_previousGradient != null) entries["previousGradient"] = (double[])_previousGradient.Clone();
        if (_previousStep != null) entries["previousStep"] = (double[])_previousStep.Clone();
    }

    /// <inheritdoc />
    protected override void RestoreState(SolverState state)
    {
        _memory.Restore(state, "memory.");
        _previousGradient = state.Optional("previousGradient") is { } g ? (double[])g.Clone() : null;
        _previousStep = state.Optional("previousStep") is { } s ? (double[])s.Clone() : null;
    }

    /// <inheritdoc />
    public override void Step()
    {
        int n = Theta.Length;
        if (_previousGradient != null && _previousStep != null)
        {
            var y = new double[n];
            for (int i = 0; i < n; i++) y[i] = _gradient[i] - _previousGradient[i];
            _memory.Add(_previousStep, y);
        }

        var d = _memory.NegativeProduct(_gradient);
        double gtd = VectorMath.Dot(_gradient, d);
        if (!(gtd < 0))
        {
            // Not a descent direction (rounding in a flat region): restart from steepest descent.
            _memory.Clear();
            d = _memory.NegativeProduct(_gradient);
            gtd = VectorMath.Dot(_gradient, d);
            if (!(gtd < 0))
            {
                Stalled = "the gradient is zero to machine precision";
                return;
            }
        }
        double t0 = _previousStep == null && InitialInverse is null ? Math.Min(1, 1 / _gradient.Sum(Math.Abs)) : 1;
        var result = _lineSearch.Search(Evaluate, Theta, t0, d, Objective, _gradient, gtd);
        if (result.Step == 0 || !(result.Value <= Objective + 8 * Math.Abs(Objective) * 2.220446049250313e-16))
        {
            Stalled = "the line search found no step that decreases the objective (it is flat to machine precision here)";
            return;
        }
        _previousGradient = _gradient;
        _previousStep = new double[n];
        for (int i = 0; i < n; i++)
        {
            _previousStep[i] = result.Step * d[i];
            Theta[i] += _previousStep[i];
        }
        _gradient = result.Gradient;
        Objective = result.Value;
        Criterion = VectorMath.NormInf(_gradient);
    }
}
