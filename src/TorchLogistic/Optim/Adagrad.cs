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
    public const double Epsilon = 1e-10;

    private double[] _gradient = Array.Empty<double>();
    private double[] _batchGradient = Array.Empty<double>();
    private double[] _accumulated = Array.Empty<double>();

    /// <summary>Creates the solver.</summary>
    /// <param name="learningRate">Base step size, &gt; 0 (default <see cref="SolverDefaults.LearningRate"/>).</param>
    public Adagrad(double learningRate = SolverDefaults.LearningRate)
    {
        if (!(learningRate > 0) || !double.IsFinite(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, $"Invalid learning rate: {learningRate}. It must be a finite number > 0 (try 0.1).");
        this.LearningRate = learningRate;
    }

    /// <summary>The base step size.</summary>
    public double LearningRate { get; }

    /// <inheritdoc />
    public override SolverKind Kind => SolverKind.Adagrad;

    /// <inheritdoc />
    public override bool SupportsL1 => true;

    /// <inheritdoc />
    protected override void Initialize()
    {
        _gradient = new double[Theta.Length];
        _batchGradient = new double[Theta.Length];
        _accumulated = new double[Theta.Length];
        Objective = Composite(Evaluate(Theta, _gradient), Theta);
        Criterion = Measure(Theta, _gradient);
    }

    /// <inheritdoc />
    public override void Step()
    {
        if (F is IStreamingObjective stream)
        {
            stream.BeginEpoch();
            while (stream.NextBatch(Theta, _batchGradient, out _)) Update(_batchGradient);
            FunctionEvaluations++;
        }
        else
        {
            Update(_gradient);
        }
        Objective = Composite(Evaluate(Theta, _gradient), Theta);
        Criterion = Measure(Theta, _gradient);
    }

    /// <summary>The AdaGrad update of θ with gradient <paramref name="g"/> (proximal with L1).</summary>
    private void Update(double[] g)
    {
        for (int j = 0; j < Theta.Length; j++)
        {
            _accumulated[j] += g[j] * g[j];
            double eta = LearningRate / (Math.Sqrt(_accumulated[j]) + Epsilon);
            double v = Theta[j] - eta * g[j];
            Theta[j] = j < PenalizedCount && L1 > 0 ? Proximal.SoftThreshold(v, eta * L1) : v;
        }
    }
}
