namespace TorchLogistic.Optim;

/// <summary>
/// Gradient descent with a fixed step: <c>θ ← θ − lr·∇f(θ)</c>, and with an L1 term the proximal step
/// (ISTA) <c>θ ← prox_{lr·λ₁‖·‖₁}(θ − lr·∇f(θ))</c>, whose soft-thresholding gives exact zeros. Converges for
/// <c>lr &lt; 2/L</c> (L the Lipschitz constant of ∇f); a larger step diverges, which the training loop
/// detects. Criterion: the prox-gradient mapping, ‖∇f‖∞ without L1.
/// </summary>
public sealed class GradientDescent : Solver
{
    private double[] gradient = Array.Empty<double>();
    private double[] next = Array.Empty<double>();

    /// <summary>Creates the solver.</summary>
    /// <param name="lr">Step size, &gt; 0 (default <see cref="SolverDefaults.learning_rate"/>).</param>
    public GradientDescent(double lr = SolverDefaults.learning_rate)
    {
        if (!(lr > 0) || !double.IsFinite(lr))
            throw new ArgumentOutOfRangeException(nameof(lr), lr, $"Invalid learning rate: {lr}. It must be a finite number > 0 (try 0.1, or solver gd-lipschitz).");
        this.lr = lr;
    }

    /// <summary>The step size.</summary>
    public double lr { get; }

    /// <inheritdoc />
    public override SolverKind kind => SolverKind.Gd;

    /// <inheritdoc />
    public override bool supports_l1 => true;

    /// <inheritdoc />
    protected override void initialize()
    {
        gradient = new double[theta.Length];
        next = new double[theta.Length];
        objective = composite(evaluate(theta, gradient), theta);
        criterion = measure(theta, gradient);
    }

    /// <inheritdoc />
    public override void step()
    {
        Proximal.gradient_step(theta, gradient, lr, l1, n_penalized, next);
        (theta, next) = (next, theta);
        objective = composite(evaluate(theta, gradient), theta);
        criterion = measure(theta, gradient);
    }
}
