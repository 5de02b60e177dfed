namespace TorchLogistic.Optim;

/// <summary>
/// OWL-QN (Andrew &amp; Gao 2007): L-BFGS for <c>f + λ₁‖W‖₁</c>. It works on the pseudo-gradient ◇F (the
/// minimum-norm subgradient), takes the L-BFGS direction <c>d = −H·◇F</c> with the pairs (s, y) built from the
/// smooth gradients, zeroes the entries of d whose sign disagrees with −◇F, and searches along d by
/// backtracking while projecting onto the orthant of the current point (an entry that would cross zero is
/// set to exactly 0 — which is how the zeros appear). The test is
/// <c>F(θ⁺) ≤ F(θ) + c₁·◇Fᵀ(θ⁺ − θ)</c>, and where F changes by less than its rounding error, the approximate
/// (slope) form of it. Without an L1 term it is L-BFGS with a backtracking line search.
/// Criterion: the prox-gradient mapping, ‖∇f‖∞ without L1.
/// </summary>
public sealed class OwlQn : Solver
{
    private LbfgsMemory memory = null!;
    private double[] gradient = Array.Empty<double>();
    private double[] pseudo = Array.Empty<double>();
    private bool first;

    /// <summary>Creates the solver.</summary>
    /// <param name="history_size">Number of correction pairs kept, ≥ 1 (default <see cref="SolverDefaults.history_size"/>).</param>
    public OwlQn(int history_size = SolverDefaults.history_size)
    {
        if (history_size < 1)
            throw new ArgumentOutOfRangeException(nameof(history_size), history_size, $"OWL-QN history size {history_size} must be ≥ 1 (try 10).");
        this.history_size = history_size;
    }

    /// <summary>Number of correction pairs kept.</summary>
    public int history_size { get; }

    /// <inheritdoc />
    public override SolverKind kind => SolverKind.OwlQn;

    /// <inheritdoc />
    public override bool supports_l1 => true;

    /// <inheritdoc />
    protected override void initialize()
    {
        memory = new LbfgsMemory(history_size);
        gradient = new double[theta.Length];
        pseudo = new double[theta.Length];
        first = true;
        objective = composite(evaluate(theta, gradient), theta);
        criterion = measure(theta, gradient);
    }

    /// <inheritdoc />
    public override void step()
    {
        int n = theta.Length;
        Proximal.pseudo_gradient(theta, gradient, l1, n_penalized, pseudo);
        var d = memory.negative_product(pseudo);
        if (l1 > 0)
        {
            for (int j = 0; j < n_penalized; j++)
            {
                if (d[j] * pseudo[j] >= 0) d[j] = 0;
            }
        }
        double descent = VectorMath.dot(pseudo, d);
        if (!(descent < 0))
        {
            memory.clear();
            d = pseudo.Select(v => -v).ToArray();
            descent = VectorMath.dot(pseudo, d);
            if (!(descent < 0))
            {
                stalled = "the pseudo-gradient is zero to machine precision";
                return;
            }
        }
        // The orthant of the search: the sign of θⱼ, or for θⱼ = 0 the sign a descent step would give it.
        var orthant = new double[n_penalized];
        for (int j = 0; j < n_penalized; j++) orthant[j] = theta[j] != 0 ? Math.Sign(theta[j]) : Math.Sign(-pseudo[j]);

        double slack = rounding_slack(objective);
        bool flat = -descent <= 64 * slack;
        double t = first ? Math.Min(1, 1 / pseudo.Sum(Math.Abs)) : 1;
        var next = new double[n];
        var gNext = new double[n];
        var slope = new double[n];
        for (int attempt = 0; attempt < 60; attempt++, t *= 0.5)
        {
            for (int j = 0; j < n; j++)
            {
                double v = theta[j] + t * d[j];
                next[j] = j < n_penalized && l1 > 0 && Math.Sign(v) != orthant[j] ? 0 : v;
            }
            double fNext = evaluate(next, gNext);
            double value = composite(fNext, next);
            double predicted = 0;
            for (int j = 0; j < n; j++) predicted += pseudo[j] * (next[j] - theta[j]);
            if (!double.IsFinite(value) || value > objective + 1e-4 * predicted + slack) continue;
            if (flat)
            {
                // F cannot resolve the decrease here: test the slopes (approximate Armijo, as in BacktrackingLineSearch).
                Proximal.pseudo_gradient(next, gNext, l1, n_penalized, slope);
                double end = 0;
                for (int j = 0; j < n; j++) end += slope[j] * (next[j] - theta[j]);
                if (end > (1 - 2e-4) * -predicted) continue;
            }
            var s = new double[n];
            var y = new double[n];
            for (int j = 0; j < n; j++)
            {
                s[j] = next[j] - theta[j];
                y[j] = gNext[j] - gradient[j];
            }
            memory.add(s, y);
            theta = next;
            gradient = gNext;
            objective = value;
            criterion = measure(theta, gradient);
            first = false;
            return;
        }
        stalled = "the line search found no step that decreases the objective (it is flat to machine precision here)";
    }
}
