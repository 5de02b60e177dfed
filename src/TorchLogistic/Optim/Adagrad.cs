namespace TorchLogistic.Optim;

/// <summary>
/// AdaGrad (Duchi, Hazan &amp; Singer 2011) on full-batch gradients: each parameter gets its own step
/// <c>ηⱼ = lr / (√Gⱼ + ε)</c>, <c>Gⱼ = Σₜ gⱼ,ₜ²</c> the sum of its squared gradients so far, and
/// <c>θⱼ ← θⱼ − ηⱼ·gⱼ</c>. With an L1 term the update is the composite-mirror-descent (proximal) form
/// <c>θⱼ ← soft_threshold(θⱼ − ηⱼgⱼ, ηⱼλ₁)</c>, which gives exact zeros. Near the optimum G stops growing, so
/// the steps settle to a fixed diagonal preconditioning and convergence is linear. Deterministic (all rows
/// each iteration). Criterion: the prox-gradient mapping, ‖∇f‖∞ without L1.
/// </summary>
public sealed class Adagrad : Solver
{
    /// <summary>ε in the step's denominator, as PyTorch's <c>Adagrad</c> (1e-10).</summary>
    public const double epsilon = 1e-10;

    private double[] gradient = Array.Empty<double>();
    private double[] accumulated = Array.Empty<double>();

    /// <summary>Creates the solver.</summary>
    /// <param name="lr">Base step size, &gt; 0 (default <see cref="SolverDefaults.learning_rate"/>).</param>
    public Adagrad(double lr = SolverDefaults.learning_rate)
    {
        if (!(lr > 0) || !double.IsFinite(lr))
            throw new ArgumentOutOfRangeException(nameof(lr), lr, $"Invalid learning rate: {lr}. It must be a finite number > 0 (try 0.1).");
        this.lr = lr;
    }

    /// <summary>The base step size.</summary>
    public double lr { get; }

    /// <inheritdoc />
    public override string name => "adagrad";

    /// <inheritdoc />
    public override bool supports_l1 => true;

    /// <inheritdoc />
    protected override void initialize()
    {
        gradient = new double[theta.Length];
        accumulated = new double[theta.Length];
        objective = composite(evaluate(theta, gradient), theta);
        criterion = measure(theta, gradient);
    }

    /// <inheritdoc />
    public override void step()
    {
        for (int j = 0; j < theta.Length; j++)
        {
            double g = gradient[j];
            accumulated[j] += g * g;
            double eta = lr / (Math.Sqrt(accumulated[j]) + epsilon);
            double v = theta[j] - eta * g;
            theta[j] = j < n_penalized && l1 > 0 ? Proximal.soft_threshold(v, eta * l1) : v;
        }
        objective = composite(evaluate(theta, gradient), theta);
        criterion = measure(theta, gradient);
    }
}
