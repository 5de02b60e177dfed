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
    private double[] gradient = Array.Empty<double>();
    private double[] y = Array.Empty<double>();
    private double[] gy = Array.Empty<double>();
    private double fy;
    private double smooth;
    private double momentum = 1;

    /// <inheritdoc />
    public override SolverKind kind => SolverKind.Fista;

    /// <inheritdoc />
    public override bool supports_l1 => true;

    /// <summary>The Lipschitz estimate L in use; the step is 1/L.</summary>
    public double lipschitz { get; private set; }

    /// <summary>Momentum restarts so far.</summary>
    public int restarts { get; private set; }

    /// <inheritdoc />
    protected override void initialize()
    {
        lipschitz = f.lipschitz_bound();
        if (!(lipschitz > 0) || !double.IsFinite(lipschitz))
            throw new InvalidOperationException($"The objective's Lipschitz bound is {lipschitz}; it must be a finite number > 0.");
        restarts = 0;
        momentum = 1;
        gradient = new double[theta.Length];
        smooth = evaluate(theta, gradient);
        objective = composite(smooth, theta);
        criterion = measure(theta, gradient);
        y = (double[])theta.Clone();
        gy = (double[])gradient.Clone();
        fy = smooth;
    }

    /// <inheritdoc />
    public override void step()
    {
        int n = theta.Length;
        var next = new double[n];
        var gNext = new double[n];
        for (int attempt = 0; attempt < 120; attempt++)
        {
            Proximal.gradient_step(y, gy, 1 / lipschitz, l1, n_penalized, next);
            double fNext = evaluate(next, gNext);
            if (!DescentLemma.holds(y, next, fy, gy, fNext, lipschitz))
            {
                lipschitz *= 2;
                continue;
            }
            double fNextComposite = composite(fNext, next);
            if (fNextComposite > objective + rounding_slack(objective) && momentum > 1)
            {
                // Function restart: drop the momentum and take a plain prox-gradient step from θ, which cannot increase F.
                restarts++;
                momentum = 1;
                Array.Copy(theta, y, n);
                Array.Copy(gradient, gy, n);
                fy = smooth;
                continue;
            }
            double nextMomentum = (1 + Math.Sqrt(1 + 4 * momentum * momentum)) / 2;
            double beta = (momentum - 1) / nextMomentum;
            momentum = nextMomentum;
            for (int j = 0; j < n; j++) y[j] = next[j] + beta * (next[j] - theta[j]);
            theta = next;
            gradient = gNext;
            smooth = fNext;
            objective = fNextComposite;
            criterion = measure(theta, gradient);
            if (beta == 0)
            {
                Array.Copy(gradient, gy, n);
                fy = smooth;
            }
            else
            {
                fy = evaluate(y, gy);
            }
            return;
        }
        stalled = "the backtracking on L failed 120 times in a row";
    }
}
