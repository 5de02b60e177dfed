namespace TorchLogistic.Optim;

/// <summary>
/// FISTA (Beck &amp; Teboulle 2009), the accelerated proximal gradient method: a prox-gradient step of size 1/L
/// from an extrapolated point y, <c>θ⁺ = prox_{λ₁/L‖·‖₁}(y − ∇f(y)/L)</c>, then
/// <c>y = θ⁺ + ((tₖ − 1)/tₖ₊₁)(θ⁺ − θ)</c> with <c>tₖ₊₁ = (1 + √(1 + 4tₖ²))/2</c>. L starts at the objective's
/// Lipschitz bound and doubles if the descent-lemma test fails (backtracking). The momentum is reset whenever
/// F would increase (O'Donoghue &amp; Candès' function restart), which makes F monotone and the convergence
/// linear on strongly convex problems at the accelerated rate √κ. The L1 term enters only through
/// soft-thresholding, so coefficients are exactly 0. Two evaluations per iteration (at θ⁺ and at y).
/// Criterion: the prox-gradient mapping at θ, ‖∇f‖∞ without L1.
/// </summary>
public sealed class Fista : Solver
{
    private double[] _gradient = Array.Empty<double>();
    private double[] _y = Array.Empty<double>();
    private double[] _gy = Array.Empty<double>();
    private double _fy;
    private double _smooth;
    private double _momentum = 1;

    /// <inheritdoc />
    public override SolverKind Kind => SolverKind.Fista;

    /// <inheritdoc />
    public override bool SupportsL1 => true;

    /// <summary>The Lipschitz estimate L in use; the step is 1/L.</summary>
    public double Lipschitz { get; private set; }

    /// <summary>Momentum restarts so far.</summary>
    public int Restarts { get; private set; }

    /// <inheritdoc />
    protected override void Initialize()
    {
        Lipschitz = F.LipschitzBound();
        if (!(Lipschitz > 0) || !double.IsFinite(Lipschitz))
            throw new InvalidOperationException($"The objective's Lipschitz bound is {Lipschitz}; it must be a finite number > 0.");
        Restarts = 0;
        _momentum = 1;
        _gradient = new double[Theta.Length];
        _smooth = Evaluate(Theta, _gradient);
        Objective = Composite(_smooth, Theta);
        Criterion = Measure(Theta, _gradient);
        _y = (double[])Theta.Clone();
        _gy = (double[])_gradient.Clone();
        _fy = _smooth;
    }

    /// <inheritdoc />
    protected override void SaveState(IDictionary<string, double[]> entries)
    {
        entries["lipschitz"] = new double[] { Lipschitz };
        entries["momentum"] = new double[] { _momentum };
        entries["restarts"] = new double[] { Restarts };
        entries["y"] = (double[])_y.Clone();
        entries["gradientAtY"] = (double[])_gy.Clone();
        entries["valueAtY"] = new double[] { _fy };
    }

    /// <inheritdoc />
    protected override void RestoreState(SolverState state)
    {
        Lipschitz = state.Scalar("lipschitz");
        _momentum = state.Scalar("momentum");
        Restarts = checked((int)state.Scalar("restarts"));
        _y = (double[])state.Vector("y").Clone();
        _gy = (double[])state.Vector("gradientAtY").Clone();
        _fy = state.Scalar("valueAtY");
    }

    /// <inheritdoc />
    public override void Step()
    {
        int n = Theta.Length;
        var next = new double[n];
        var gNext = new double[n];
        for (int attempt = 0; attempt < 120; attempt++)
        {
            Proximal.GradientStep(_y, _gy, 1 / Lipschitz, L1, PenalizedCount, next);
            double fNext = Evaluate(next, gNext);
            if (!DescentLemma.Holds(_y, next, _fy, _gy, fNext, Lipschitz))
            {
                Lipschitz *= 2;
                continue;
            }
            double fNextComposite = Composite(fNext, next);
            if (fNextComposite > Objective + RoundingSlack(Objective) && _momentum > 1)
            {
                // Function restart: drop the momentum and take a plain prox-gradient step from θ, which cannot increase F.
                Restarts++;
                _momentum = 1;
                Array.Copy(Theta, _y, n);
                Array.Copy(_gradient, _gy, n);
                _fy = _smooth;
                continue;
            }
            double nextMomentum = (1 + Math.Sqrt(1 + 4 * _momentum * _momentum)) / 2;
            double beta = (_momentum - 1) / nextMomentum;
            _momentum = nextMomentum;
            for (int j = 0; j < n; j++) _y[j] = next[j] + beta * (next[j] - Theta[j]);
            Theta = next;
            _gradient = gNext;
            _smooth = fNext;
            Objective = fNextComposite;
            Criterion = Measure(Theta, _gradient);
            if (beta == 0)
            {
                Array.Copy(_gradient, _gy, n);
                _fy = _smooth;
            }
            else
            {
                _fy = Evaluate(_y, _gy);
            }
            return;
        }
        Stalled = "the backtracking on L failed 120 times in a row";
    }
}
