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
    private LbfgsMemory _memory = null!;
    private double[] _gradient = Array.Empty<double>();
    private double[] _pseudo = Array.Empty<double>();
    private bool _first;

    /// <summary>Creates the solver.</summary>
    /// <param name="historySize">Number of correction pairs kept, ≥ 1 (default <see cref="SolverDefaults.HistorySize"/>).</param>
    public OwlQn(int historySize = SolverDefaults.HistorySize)
    {
        if (historySize < 1)
            throw new ArgumentOutOfRangeException(nameof(historySize), historySize, $"OWL-QN history size {historySize} must be ≥ 1 (try 10).");
        this.HistorySize = historySize;
    }

    /// <summary>Number of correction pairs kept.</summary>
    public int HistorySize { get; }

    /// <inheritdoc />
    public override SolverKind Kind => SolverKind.OwlQn;

    /// <inheritdoc />
    public override bool SupportsL1 => true;

    /// <inheritdoc />
    protected override void Initialize()
    {
        _memory = new LbfgsMemory(HistorySize);
        _gradient = new double[Theta.Length];
        _pseudo = new double[Theta.Length];
        _first = true;
        Objective = Composite(Evaluate(Theta, _gradient), Theta);
        Criterion = Measure(Theta, _gradient);
    }

    /// <inheritdoc />
    public override void Step()
    {
        int n = Theta.Length;
        Proximal.PseudoGradient(Theta, _gradient, L1, PenalizedCount, _pseudo);
        var d = _memory.NegativeProduct(_pseudo);
        if (L1 > 0)
        {
            for (int j = 0; j < PenalizedCount; j++)
            {
                if (d[j] * _pseudo[j] >= 0) d[j] = 0;
            }
        }
        double descent = VectorMath.Dot(_pseudo, d);
        if (!(descent < 0))
        {
            _memory.Clear();
            d = _pseudo.Select(v => -v).ToArray();
            descent = VectorMath.Dot(_pseudo, d);
            if (!(descent < 0))
            {
                Stalled = "the pseudo-gradient is zero to machine precision";
                return;
            }
        }
        // The orthant of the search: the sign of θⱼ, or for θⱼ = 0 the sign a descent step would give it.
        var orthant = new double[PenalizedCount];
        for (int j = 0; j < PenalizedCount; j++) orthant[j] = Theta[j] != 0 ? Math.Sign(Theta[j]) : Math.Sign(-_pseudo[j]);

        double slack = RoundingSlack(Objective);
        bool flat = -descent <= 64 * slack;
        double t = _first ? Math.Min(1, 1 / _pseudo.Sum(Math.Abs)) : 1;
        var next = new double[n];
        var gNext = new double[n];
        var slope = new double[n];
        for (int attempt = 0; attempt < 60; attempt++, t *= 0.5)
        {
            for (int j = 0; j < n; j++)
            {
                double v = Theta[j] + t * d[j];
                next[j] = j < PenalizedCount && L1 > 0 && Math.Sign(v) != orthant[j] ? 0 : v;
            }
            double fNext = Evaluate(next, gNext);
            double value = Composite(fNext, next);
            double predicted = 0;
            for (int j = 0; j < n; j++) predicted += _pseudo[j] * (next[j] - Theta[j]);
            if (!double.IsFinite(value) || value > Objective + 1e-4 * predicted + slack) continue;
            if (flat)
            {
                // F cannot resolve the decrease here: test the slopes (approximate Armijo, as in BacktrackingLineSearch).
                Proximal.PseudoGradient(next, gNext, L1, PenalizedCount, slope);
                double end = 0;
                for (int j = 0; j < n; j++) end += slope[j] * (next[j] - Theta[j]);
                if (end > (1 - 2e-4) * -predicted) continue;
            }
            var s = new double[n];
            var y = new double[n];
            for (int j = 0; j < n; j++)
            {
                s[j] = next[j] - Theta[j];
                y[j] = gNext[j] - _gradient[j];
            }
            _memory.Add(s, y);
            Theta = next;
            _gradient = gNext;
            Objective = value;
            Criterion = Measure(Theta, _gradient);
            _first = false;
            return;
        }
        Stalled = "the line search found no step that decreases the objective (it is flat to machine precision here)";
    }
}
