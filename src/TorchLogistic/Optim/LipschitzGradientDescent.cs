namespace TorchLogistic.Optim;

/// <summary>
/// Gradient descent with the step 1/L, L an upper bound on the Lipschitz constant of ∇f computed from the data
/// (<see cref="Objectives.IObjective.lipschitz_bound"/>: for binary cross-entropy λmax(X̃ᵀSX̃)/(4m) + λ₂, for
/// softmax λmax(X̃ᵀSX̃)/(2m) + λ₂, λmax by power iteration) — the LipschitzLR idea of Yedida &amp; Saha: no
/// learning rate to tune, and no divergence whatever the scale of the features. With an L1 term the step is
/// proximal (ISTA). By the descent lemma every step satisfies
/// <c>f(θ⁺) ≤ f(θ) + ∇f(θ)ᵀ(θ⁺ − θ) + L/2‖θ⁺ − θ‖²</c>, so F never increases; should a step ever violate that
/// (only if the power iteration had underestimated λmax), L is doubled and the step retried, which keeps the
/// guarantee unconditional. Criterion: the prox-gradient mapping, ‖∇f‖∞ without L1.
/// </summary>
public sealed class LipschitzGradientDescent : Solver
{
    private double[] gradient = Array.Empty<double>();
    private double[] candidateGradient = Array.Empty<double>();
    private double[] candidate = Array.Empty<double>();
    private double smooth;

    /// <inheritdoc />
    public override SolverKind kind => SolverKind.GdLipschitz;

    /// <inheritdoc />
    public override bool supports_l1 => true;

    /// <summary>The Lipschitz bound L in use; the step is 1/L.</summary>
    public double lipschitz { get; private set; }

    /// <summary>How many times L had to be doubled (0 when the bound holds, as it should).</summary>
    public int doublings { get; private set; }

    /// <inheritdoc />
    protected override void initialize()
    {
        lipschitz = f.lipschitz_bound();
        if (!(lipschitz > 0) || !double.IsFinite(lipschitz))
            throw new InvalidOperationException($"The objective's Lipschitz bound is {lipschitz}; it must be a finite number > 0.");
        doublings = 0;
        gradient = new double[theta.Length];
        candidateGradient = new double[theta.Length];
        candidate = new double[theta.Length];
        smooth = evaluate(theta, gradient);
        objective = composite(smooth, theta);
        criterion = measure(theta, gradient);
    }

    /// <inheritdoc />
    public override void step()
    {
        for (int attempt = 0; attempt < 60; attempt++)
        {
            Proximal.gradient_step(theta, gradient, 1 / lipschitz, l1, n_penalized, candidate);
            double value = evaluate(candidate, candidateGradient);
            if (DescentLemma.holds(theta, candidate, smooth, gradient, value, lipschitz))
            {
                (theta, candidate) = (candidate, theta);
                (gradient, candidateGradient) = (candidateGradient, gradient);
                smooth = value;
                objective = composite(smooth, theta);
                criterion = measure(theta, gradient);
                return;
            }
            lipschitz *= 2;
            doublings++;
        }
        stalled = "the descent-lemma check failed 60 times in a row";
    }
}

/// <summary>The sufficient-decrease test of proximal gradient methods with step 1/L.</summary>
internal static class DescentLemma
{
    /// <summary>
    /// Whether <c>f(θ⁺) ≤ f(y) + ∇f(y)ᵀ(θ⁺ − y) + L/2‖θ⁺ − y‖²</c>, up to a few ulps of f (rounding near the optimum).
    /// </summary>
    public static bool holds(double[] y, double[] next, double fy, double[] gy, double fNext, double lipschitz)
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
