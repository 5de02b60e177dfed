using TorchLogistic.Objectives;

namespace TorchLogistic.Optim;

/// <summary>
/// Mini-batch stochastic gradient descent. One iteration is one epoch: the rows are shuffled (a seeded
/// <see cref="Random"/>, so runs repeat exactly; or kept in order with <c>shuffle: false</c>), cut into batches of
/// <see cref="BatchSize"/>, and each batch B takes a step <c>θ ← θ − ηₜ·∇f_B(θ)</c> with f_B the batch mean (an
/// unbiased estimate of f). On an <see cref="IStreamingObjective"/> (rows streamed from a file) the batches are the
/// stream's, in the stream's order, and take the same steps. The schedule is
/// the inverse-time decay of Bottou's "optimal" rate, <c>ηₜ = lr / (1 + lr·λ₂·t)</c> with t the number of steps so
/// far and λ₂ the L2 strength (the strong-convexity constant the penalty guarantees), which for large t is the
/// 1/(μt) step of the O(1/t) convergence theory; without an L2 term it is <c>ηₜ = lr / √(1 + t/n_batches)</c>,
/// the 1/√t decay for convex problems. After each epoch f, ∇f and the criterion (‖∇f‖∞) are evaluated on all
/// rows. <see cref="Solver.FunctionEvaluations"/> counts passes over the data: one per epoch of mini-batches
/// plus one for that full evaluation. Its noise keeps it around 1e-3 relative from the optimum in budgets
/// where the deterministic solvers reach 1e-10; use it for large data, not for exact answers.
/// </summary>
public sealed class StochasticGradientDescent : Solver
{
    private double[] _gradient = Array.Empty<double>();
    private double[] _batchGradient = Array.Empty<double>();
    private int[] _order = Array.Empty<int>();
    private Random _random = new(0);
    private IStochasticObjective? _stochastic;
    private IStreamingObjective? _streaming;
    private long _steps;

    /// <summary>Creates the solver.</summary>
    /// <param name="learningRate">Initial step size η₀, &gt; 0 (default <see cref="SolverDefaults.LearningRate"/>).</param>
    /// <param name="batchSize">Rows per mini-batch, ≥ 1 (default <see cref="SolverDefaults.BatchSize"/>); the last batch of an epoch may be smaller.</param>
    /// <param name="seed">Seed of the shuffles (default 0).</param>
    /// <param name="shuffle">Shuffle the rows before each epoch (default true); false visits them in order, epoch after epoch.</param>
    public StochasticGradientDescent(double learningRate = SolverDefaults.LearningRate, int batchSize = SolverDefaults.BatchSize, int seed = 0, bool shuffle = true)
    {
        if (!(learningRate > 0) || !double.IsFinite(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, $"Invalid learning rate: {learningRate}. It must be a finite number > 0 (try 0.1).");
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"Batch size {batchSize} must be ≥ 1 (try 32).");
        this.LearningRate = learningRate;
        this.BatchSize = batchSize;
        this.Seed = seed;
        this.Shuffle = shuffle;
    }

    /// <summary>Initial step size η₀.</summary>
    public double LearningRate { get; }

    /// <summary>Rows per mini-batch.</summary>
    public int BatchSize { get; }

    /// <summary>Seed of the shuffles.</summary>
    public int Seed { get; }

    /// <summary>Whether the rows are shuffled before each epoch (in-memory objectives; a stream has its own order).</summary>
    public bool Shuffle { get; }

    /// <summary>λ₂ of the objective being minimised, used by the schedule.</summary>
    public double L2Strength { get; private set; }

    /// <inheritdoc />
    public override SolverKind Kind => SolverKind.Sgd;

    /// <summary>The step size of step <paramref name="t"/> (0-based) with <paramref name="batchCount"/> batches per epoch.</summary>
    public double StepSize(long t, long batchCount) =>
        L2Strength > 0 ? LearningRate / (1 + LearningRate * L2Strength * t) : LearningRate / Math.Sqrt(1 + (double)t / batchCount);

    /// <inheritdoc />
    protected override void Initialize()
    {
        _streaming = F as IStreamingObjective;
        _stochastic = _streaming == null
            ? F as IStochasticObjective ?? throw new ArgumentException("Solver 'sgd' needs an objective that can evaluate mini-batches (IStochasticObjective or IStreamingObjective).")
            : null;
        L2Strength = F.L2Strength;
        _random = new Random(Seed);
        _order = _stochastic == null ? Array.Empty<int>() : Enumerable.Range(0, checked((int)_stochastic.SampleCount)).ToArray();
        _steps = 0;
        _gradient = new double[Theta.Length];
        _batchGradient = new double[Theta.Length];
        Objective = Evaluate(Theta, _gradient);
        Criterion = Measure(Theta, _gradient);
    }

    /// <inheritdoc />
    public override void Step()
    {
        if (_streaming != null)
        {
            _streaming.BeginEpoch();
            while (_streaming.NextBatch(Theta, _batchGradient, out _)) TakeStep(_streaming.BatchCount);
        }
        else
        {
            if (Shuffle) _random.Shuffle(_order);
            int m = _order.Length;
            long batches = (m + BatchSize - 1) / BatchSize;
            for (int start = 0; start < m; start += BatchSize)
            {
                int count = Math.Min(BatchSize, m - start);
                var rows = new long[count];
                for (int i = 0; i < count; i++) rows[i] = _order[start + i];
                _stochastic!.ValueAndGradient(Theta, _batchGradient, rows);
                TakeStep(batches);
            }
        }
        FunctionEvaluations++;
        Objective = Evaluate(Theta, _gradient);
        Criterion = Measure(Theta, _gradient);
    }

    /// <summary>The step on the batch gradient just computed: θ ← θ − ηₜ·∇f_B, t counting the steps so far.</summary>
    private void TakeStep(long batchCount)
    {
        VectorMath.Axpy(-StepSize(_steps, batchCount), _batchGradient, Theta);
        _steps++;
    }
}
