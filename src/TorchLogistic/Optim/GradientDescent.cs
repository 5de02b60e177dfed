namespace TorchLogistic.Optim;

/// <summary>
/// Gradient descent with a fixed step: <c>θ ← θ − lr·∇f(θ)</c>, and with an L1 term the proximal step
/// (ISTA) <c>θ ← prox_{lr·λ₁‖·‖₁}(θ − lr·∇f(θ))</c>, whose soft-thresholding gives exact zeros. Converges for
/// <c>lr &lt; 2/L</c> (L the Lipschitz constant of ∇f); a larger step diverges, which the training loop
/// detects. Criterion: the prox-gradient mapping, ‖∇f‖∞ without L1.
/// </summary>
public sealed class GradientDescent : Solver
{
    private double[] _gradient = Array.Empty<double>();
    private double[] _next = Array.Empty<double>();

    /// <summary>Creates the solver.</summary>
    /// <param name="learningRate">Step size, &gt; 0 (default <see cref="SolverDefaults.LearningRate"/>).</param>
    public GradientDescent(double learningRate = SolverDefaults.LearningRate)
    {
        if (!(learningRate > 0) || !double.IsFinite(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, $"Invalid learning rate: {learningRate}. It must be a finite number > 0 (try 0.1, or solver gd-lipschitz).");
        this.LearningRate = learningRate;
    }

    /// <summary>The step size.</summary>
    public double LearningRate { get; }

    /// <inheritdoc />
    public override SolverKind Kind => SolverKind.Gd;

    /// <inheritdoc />
    public override bool SupportsL1 => true;

    /// <inheritdoc />
    protected override void Initialize()
    {
        _gradient = new double[Theta.Length];
        _next = new double[Theta.Length];
        Objective = Composite(Evaluate(Theta, _gradient), Theta);
        Criterion = Measure(Theta, _gradient);
    }

    /// <inheritdoc />
    public override void Step()
    {
        Proximal.GradientStep(Theta, _gradient, LearningRate, L1, PenalizedCount, _next);
        (Theta, _next) = (_next, Theta);
        Objective = Composite(Evaluate(Theta, _gradient), Theta);
        Criterion = Measure(Theta, _gradient);
    }
}
