using TorchLogistic.Objectives;

namespace TorchLogistic.Optim;

/// <summary>
/// Mini-batch stochastic gradient descent. One iteration is one epoch: the rows are shuffled (a seeded
/// <see cref="Random"/>, so runs repeat exactly; or kept in order with <c>shuffle: false</c>), cut into batches of
/// <see cref="batch_size"/>, and each batch B takes a step <c>θ ← θ − ηₜ·∇f_B(θ)</c> with f_B the batch mean (an
/// unbiased estimate of f). On an <see cref="IStreamingObjective"/> (rows streamed from a file) the batches are the
/// stream's, in the stream's order, and take the same steps. The schedule is
/// the inverse-time decay of Bottou's "optimal" rate, <c>ηₜ = lr / (1 + lr·λ₂·t)</c> with t the number of steps so
/// far and λ₂ the L2 strength (the strong-convexity constant the penalty guarantees), which for large t is the
/// 1/(μt) step of the O(1/t) convergence theory; without an L2 term it is <c>ηₜ = lr / √(1 + t/n_batches)</c>,
/// the 1/√t decay for convex problems. After each epoch f, ∇f and the criterion (‖∇f‖∞) are evaluated on all
/// rows. <see cref="Solver.function_evaluations"/> counts passes over the data: one per epoch of mini-batches
/// plus one for that full evaluation. Its noise keeps it around 1e-3 relative from the optimum in budgets
/// where the deterministic solvers reach 1e-10; use it for large data, not for exact answers.
/// </summary>
public sealed class StochasticGradientDescent : Solver
{
    private double[] gradient = Array.Empty<double>();
    private double[] batchGradient = Array.Empty<double>();
    private int[] order = Array.Empty<int>();
    private Random random = new(0);
    private IStochasticObjective? stochastic;
    private IStreamingObjective? streaming;
    private long steps;

    /// <summary>Creates the solver.</summary>
    /// <param name="lr">Initial step size η₀, &gt; 0 (default <see cref="SolverDefaults.learning_rate"/>).</param>
    /// <param name="batch_size">Rows per mini-batch, ≥ 1 (default <see cref="SolverDefaults.batch_size"/>); the last batch of an epoch may be smaller.</param>
    /// <param name="seed">Seed of the shuffles (default 0).</param>
    /// <param name="shuffle">Shuffle the rows before each epoch (default true); false visits them in order, epoch after epoch.</param>
    public StochasticGradientDescent(double lr = SolverDefaults.learning_rate, int batch_size = SolverDefaults.batch_size, int seed = 0, bool shuffle = true)
    {
        if (!(lr > 0) || !double.IsFinite(lr))
            throw new ArgumentOutOfRangeException(nameof(lr), lr, $"Invalid learning rate: {lr}. It must be a finite number > 0 (try 0.1).");
        if (batch_size < 1)
            throw new ArgumentOutOfRangeException(nameof(batch_size), batch_size, $"Batch size {batch_size} must be ≥ 1 (try 32).");
        this.lr = lr;
        this.batch_size = batch_size;
        this.seed = seed;
        this.shuffle = shuffle;
    }

    /// <summary>Initial step size η₀.</summary>
    public double lr { get; }

    /// <summary>Rows per mini-batch.</summary>
    public int batch_size { get; }

    /// <summary>Seed of the shuffles.</summary>
    public int seed { get; }

    /// <summary>Whether the rows are shuffled before each epoch (in-memory objectives; a stream has its own order).</summary>
    public bool shuffle { get; }

    /// <summary>λ₂ of the objective being minimised, used by the schedule.</summary>
    public double l2_strength { get; private set; }

    /// <inheritdoc />
    public override SolverKind kind => SolverKind.Sgd;

    /// <summary>The step size of step <paramref name="t"/> (0-based) with <paramref name="n_batches"/> batches per epoch.</summary>
    public double step_size(long t, long n_batches) =>
        l2_strength > 0 ? lr / (1 + lr * l2_strength * t) : lr / Math.Sqrt(1 + (double)t / n_batches);

    /// <inheritdoc />
    protected override void initialize()
    {
        streaming = f as IStreamingObjective;
        stochastic = streaming == null
            ? f as IStochasticObjective ?? throw new ArgumentException("Solver 'sgd' needs an objective that can evaluate mini-batches (IStochasticObjective or IStreamingObjective).")
            : null;
        l2_strength = f.l2_strength;
        random = new Random(seed);
        order = stochastic == null ? Array.Empty<int>() : Enumerable.Range(0, checked((int)stochastic.n_samples)).ToArray();
        steps = 0;
        gradient = new double[theta.Length];
        batchGradient = new double[theta.Length];
        objective = evaluate(theta, gradient);
        criterion = measure(theta, gradient);
    }

    /// <inheritdoc />
    public override void step()
    {
        if (streaming != null)
        {
            streaming.begin_epoch();
            while (streaming.next_batch(theta, batchGradient, out _)) take_step(streaming.n_batches);
        }
        else
        {
            if (shuffle) random.Shuffle(order);
            int m = order.Length;
            long batches = (m + batch_size - 1) / batch_size;
            for (int start = 0; start < m; start += batch_size)
            {
                int count = Math.Min(batch_size, m - start);
                var rows = new long[count];
                for (int i = 0; i < count; i++) rows[i] = order[start + i];
                stochastic!.value_and_gradient(theta, batchGradient, rows);
                take_step(batches);
            }
        }
        function_evaluations++;
        objective = evaluate(theta, gradient);
        criterion = measure(theta, gradient);
    }

    /// <summary>The step on the batch gradient just computed: θ ← θ − ηₜ·∇f_B, t counting the steps so far.</summary>
    private void take_step(long n_batches)
    {
        VectorMath.axpy(-step_size(steps, n_batches), batchGradient, theta);
        steps++;
    }
}
