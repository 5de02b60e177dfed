namespace TorchLogistic.Optim;

/// <summary>
/// Gradient descent with a fixed step: <c>θ ← θ − lr·∇f(θ)</c>. Converges for <c>lr &lt; 2/L</c> (L the Lipschitz
/// constant of ∇f); a larger step diverges, which the training loop detects. Criterion: ‖∇f‖∞.
/// </summary>
public sealed class GradientDescent : Solver
{
    private double[] gradient = Array.Empty<double>();

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
    public override string name => "gd";

    /// <inheritdoc />
    protected override void initialize()
    {
        gradient = new double[theta.Length];
        objective = evaluate(theta, gradient);
        criterion = VectorMath.norm_inf(gradient);
    }

    /// <inheritdoc />
    public override void step()
    {
        VectorMath.axpy(-lr, gradient, theta);
        objective = evaluate(theta, gradient);
        criterion = VectorMath.norm_inf(gradient);
    }
}
