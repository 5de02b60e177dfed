using TorchLogistic.Objectives;

namespace TorchLogistic.Optim;

/// <summary>
/// AdaGrad (Duchi, Hazan &amp; Singer 2011) on full-batch gradients: each parameter gets its own step
/// <c>ηⱼ = lr / (√Gⱼ + ε)</c>, <c>Gⱼ = Σₜ gⱼ,ₜ²</c> the sum of its squared gradients so far, and
/// <c>θⱼ ← θⱼ − ηⱼ·gⱼ</c>. With an L1 term the update is the composite-mirror-descent (proximal) form
/// <c>θⱼ ← soft_threshold(θⱼ − ηⱼgⱼ, ηⱼλ₁)</c>, which gives exact zeros. Near the optimum G stops growing, so
/// the steps settle to a fixed diagonal preconditioning and convergence is linear. Deterministic (all rows
/// each iteration). Criterion: the prox-gradient mapping, ‖∇f‖∞ without L1.
/// <para>
/// On an <see cref="IStreamingObjective"/> (rows streamed from a file) it is the stochastic AdaGrad of the paper: one
/// iteration is an epoch, and every mini-batch of it takes the same update with its batch gradient (an unbiased
/// estimate of ∇f); f, ∇f and the criterion are then evaluated on all rows, as after a full-batch step.
/// </para>
/// </summary>
public sealed class Adagrad : Solver
{
    /// <summary>ε in the step's denominator, as PyTorch's <c>Adagrad</c> (1e-10).</summary>
    public const double epsilon = 1e-10;

    private double[] gradient = Array.Empty<double>();
    private double[] batchGradient = Array.Empty<double>();
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
    public override SolverKind kind => SolverKind.Adagrad;

    /// <inheritdoc />
    public override bool supports_l1 => true;

    /// <inheritdoc />
    protected override void initialize()
    {
        gradient = new double[theta.Length];
        batchGradient = new double[theta.Length];
        accumulated = new double[theta.Length];
        objective = composite(evaluate(theta, gradient), theta);
        criterion = measure(theta, gradient);
    }

    /// <inheritdoc />
    public override void step()
    {
        if (f is IStreamingObjective stream)
        {
            stream.begin_epoch();
            while (stream.next_batch(theta, batchGradient, out _)) update(batchGradient);
            function_evaluations++;
        }
        else
        {
            update(gradient);
        }
        objective = composite(evaluate(theta, gradient), theta);
        criterion = measure(theta, gradient);
    }

    /// <summary>The AdaGrad update of θ with gradient <paramref name="g"/> (proximal with L1).</summary>
    private void update(double[] g)
    {
        for (int j = 0; j < theta.Length; j++)
        {
            accumulated[j] += g[j] * g[j];
            double eta = lr / (Math.Sqrt(accumulated[j]) + epsilon);
            double v = theta[j] - eta * g[j];
            theta[j] = j < n_penalized && l1 > 0 ? Proximal.soft_threshold(v, eta * l1) : v;
        }
    }
}
