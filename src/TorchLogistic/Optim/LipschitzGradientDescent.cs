namespace TorchLogistic.Optim;

/// <summary>
/// Gradient descent with the step 1/L, L an upper bound on the Lipschitz constant of ∇f computed from the data
/// (<see cref="Objectives.IObjective.LipschitzBound"/>: for binary cross-entropy λmax(X̃ᵀSX̃)/(4m) + λ₂, for
/// softmax λmax(X̃ᵀSX̃)/(2m) + λ₂, λmax by power iteration) — the LipschitzLR idea of Yedida &amp; Saha: no
/// learning rate to tune, and no divergence whatever the scale of the features. With an L1 term the step is
/// proximal (ISTA). By the descent lemma every step satisfies
/// <c>f(θ⁺) ≤ f(θ) + ∇f(θ)ᵀ(θ⁺ − θ) + L/2‖θ⁺ − θ‖²</c>, so F never increases; should a step ever violate that
/// (only if the power iteration had underestimated λmax), L is doubled and the step retried, which keeps the
/// guarantee unconditional. Criterion: the prox-gradient mapping, ‖∇f‖∞ without L1.
/// </summary>
public sealed class LipschitzGradientDescent : Solver
{
    private double[] _gradient = Array.Empty<double>();
    private double[] _candidateGradient = Array.Empty<double>();
    private double[] _candidate = Array.Empty<double>();
    private double _smooth;

    /// <inheritdoc />
    public override SolverKind Kind => SolverKind.GdLipschitz;

    /// <inheritdoc />
    public override bool SupportsL1 => true;

    /// <summary>The Lipschitz bound L in use; the step is 1/L.</summary>
    public double Lipschitz { get; private set; }

    /// <summary>How many times L had to be doubled (0 when the bound holds, as it should).</summary>
    public int Doublings { get; private set; }

    /// <inheritdoc />
    protected override void Initialize()
    {
        Lipschitz = F.LipschitzBound();
        if (!(Lipschitz > 0) || !double.IsFinite(Lipschitz))
            throw new InvalidOperationException($"The objective's Lipschitz bound is {Lipschitz}; it must be a finite number > 0.");
        Doublings = 0;
        _gradient = new double[Theta.Length];
        _candidateGradient = new double[Theta.Length];
        _candidate = new double[Theta.Length];
        _smooth = Evaluate(Theta, _gradient);
        Objective = Composite(_smooth, Theta);
        Criterion = Measure(Theta, _gradient);
    }

    /// <inheritdoc />
    protected override void SaveState(IDictionary<string, double[]> entries)
    {
        entries["lipschitz"] = new double[] { Lipschitz };
        entries["doublings"] = new double[] { Doublings };
    }

    /// <inheritdoc />
    protected override void RestoreState(SolverState state)
    {
        Lipschitz = state.Scalar("lipschitz");
        Doublings = checked((int)state.Scalar("doublings"));
    }

    /// <inheritdoc />
    public override void Step()
    {
        for (int attempt = 0; attempt < 60; attempt++)
        {
            Proximal.GradientStep(Theta, _gradient, 1 / Lipschitz, L1, PenalizedCount, _candidate);
            double value = Evaluate(_candidate, _candidateGradient);
            if (DescentLemma.Holds(Theta, _candidate, _smooth, _gradient, value, Lipschitz))
            {
                (Theta, _candidate) = (_candidate, Theta);
                (_gradient, _candidateGradient) = (_candidateGradient, _gradient);
                _smooth = value;
                Objective = Composite(_smooth, Theta);
                Criterion = Measure(Theta, _gradient);
                return;
            }
            Lipschitz *= 2;
            Doublings++;
        }
        Stalled = "the descent-lemma check failed 60 times in a row";
    }
}

/// <summary>The sufficient-decrease test of proximal gradient methods with step 1/L.</summary>
internal static class DescentLemma
{
    /// <summary>
    /// Whether <c>f(θ⁺) ≤ f(y) + ∇f(y)ᵀ(θ⁺ − y) + L/2‖θ⁺ − y‖²</c>, up to a few ulps of f (rounding near the optimum).
    /// </summary>
    public static bool Holds(double[] y, double[] next, double fy, double[] gy, double fNext, double lipschitz)
    {
        double linear = 0, square = 0;
        for (int j = 0; j < y.Length; j++)
        {
            double delta = next[j] - y[j];
            linear += gy[j] * delta;
            square += delta * delta;
        }
        return fNext - fy - linear <= 0.5 * lipschitz * square + 8 * Math.Abs(fy) * 2.220446049250313e-16;
    }
}
