namespace TorchLogistic.Optim;

/// <summary>
/// Limited-memory BFGS with a strong-Wolfe line search (TorchSharp's <c>optim.LBFGS</c> has none). Keeps the
/// last <see cref="history_size"/> correction pairs (s, y), skipping pairs with <c>yᵀs ≤ 1e-10·‖s‖‖y‖</c> (relative, because the objective is a mean and steps near the optimum are tiny) that would
/// break positive definiteness; the direction is the two-loop recursion scaled by <c>γ = sᵀy/yᵀy</c>. The
/// first step is <c>min(1, 1/‖∇f‖₁)</c>, later ones start at 1. Criterion: ‖∇f‖∞.
/// </summary>
public sealed class Lbfgs : Solver
{
    private readonly StrongWolfeLineSearch lineSearch = new();
    private readonly List<double[]> sHistory = new();
    private readonly List<double[]> yHistory = new();
    private readonly List<double> rho = new();
    private double[] gradient = Array.Empty<double>();
    private double[]? previousGradient;
    private double[]? previousStep;
    private double gamma = 1;

    /// <summary>Creates the solver.</summary>
    /// <param name="history_size">Number of correction pairs kept, ≥ 1 (default <see cref="SolverDefaults.history_size"/>).</param>
    public Lbfgs(int history_size = SolverDefaults.history_size)
    {
        if (history_size < 1)
            throw new ArgumentOutOfRangeException(nameof(history_size), history_size, $"L-BFGS history size {history_size} must be ≥ 1 (try 10).");
        this.history_size = history_size;
    }

    /// <summary>Number of correction pairs kept.</summary>
    public int history_size { get; }

    /// <inheritdoc />
    public override string name => "lbfgs";

    /// <inheritdoc />
    protected override void initialize()
    {
        sHistory.Clear();
        yHistory.Clear();
        rho.Clear();
        previousGradient = null;
        previousStep = null;
        gamma = 1;
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
            double ys = VectorMath.dot(y, previousStep);
            if (ys > 1e-10 * Math.Sqrt(VectorMath.dot(previousStep, previousStep) * VectorMath.dot(y, y)))
            {
                if (sHistory.Count == history_size)
                {
                    sHistory.RemoveAt(0);
                    yHistory.RemoveAt(0);
                    rho.RemoveAt(0);
                }
                sHistory.Add(previousStep);
                yHistory.Add(y);
                rho.Add(1 / ys);
                gamma = ys / VectorMath.dot(y, y);
            }
        }

        var d = direction();
        double gtd = VectorMath.dot(gradient, d);
        if (!(gtd < 0))
        {
            // Not a descent direction (rounding in a flat region): restart from steepest descent.
            sHistory.Clear(); yHistory.Clear(); rho.Clear(); gamma = 1;
            d = gradient.Select(v => -v).ToArray();
            gtd = VectorMath.dot(gradient, d);
            if (!(gtd < 0))
            {
                stalled = "the gradient is zero to machine precision";
                return;
            }
        }
        double t0 = previousStep == null ? Math.Min(1, 1 / gradient.Sum(Math.Abs)) : 1;
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

    private double[] direction()
    {
        int n = theta.Length, count = sHistory.Count;
        var q = gradient.Select(v => -v).ToArray();
        var alpha = new double[count];
        for (int i = count - 1; i >= 0; i--)
        {
            alpha[i] = rho[i] * VectorMath.dot(sHistory[i], q);
            VectorMath.axpy(-alpha[i], yHistory[i], q);
        }
        for (int i = 0; i < n; i++) q[i] *= gamma;
        for (int i = 0; i < count; i++)
        {
            double beta = rho[i] * VectorMath.dot(yHistory[i], q);
            VectorMath.axpy(alpha[i] - beta, sHistory[i], q);
        }
        return q;
    }
}
