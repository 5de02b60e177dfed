using System.Diagnostics;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;

namespace TorchLogistic.Training;

/// <summary>
/// The one training loop of every model and solver: start the solver, then step it until the criterion is
/// at most <c>tol</c>, the iteration limit is reached, or the solver stalls. It stops at once, with the
/// iteration, when the objective or θ stops being finite or the objective grows beyond
/// <see cref="divergence_factor"/> times its start value (only a fixed step that is too large does that) —
/// a result with <see cref="StopReason.Diverged"/>, not an exception — and between iterations when cancelled.
/// </summary>
public static class TrainingLoop
{
    /// <summary>Most iteration records kept; longer runs keep every k-th, k doubling as needed.</summary>
    public const int max_history = 2048;

    /// <summary>An objective above this multiple of max(F(θ₀), 1) counts as divergence.</summary>
    public const double divergence_factor = 1e4;

    /// <summary>Minimises <paramref name="objective"/> from <paramref name="theta0"/> with <paramref name="solver"/>.</summary>
    /// <param name="objective">The objective.</param>
    /// <param name="solver">The strategy.</param>
    /// <param name="theta0">Start point.</param>
    /// <param name="max_iter">Iteration limit, ≥ 1.</param>
    /// <param name="tol">Tolerance on the solver's criterion, &gt; 0.</param>
    /// <param name="test_loss">Optional θ → test loss, computed for each kept record.</param>
    /// <param name="on_iteration">Called after every iteration (progress display); not thinned.</param>
    /// <param name="cancellation">Checked between iterations; cancelling throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The run; check <see cref="TrainingResult.stop"/>: after <see cref="StopReason.Diverged"/> θ is unusable.</returns>
    public static TrainingResult run(IObjective objective, Solver solver, double[] theta0, int max_iter, double tol,
        Func<double[], double>? test_loss = null, Action<IterationRecord>? on_iteration = null, CancellationToken cancellation = default)
    {
        if (max_iter < 1) throw new ArgumentOutOfRangeException(nameof(max_iter), max_iter, $"max_iter = {max_iter} must be ≥ 1.");
        if (!(tol > 0)) throw new ArgumentOutOfRangeException(nameof(tol), tol, $"tol = {tol} must be > 0 (try 1e-6).");
        var clock = Stopwatch.StartNew();
        var history = new List<IterationRecord>();
        int stride = 1;

        IterationRecord record(int iteration, bool keep)
        {
            double? test = keep && test_loss != null ? test_loss(solver.theta) : null;
            var r = new IterationRecord(iteration, solver.objective, solver.criterion, solver.function_evaluations, clock.Elapsed.TotalSeconds, test);
            if (keep)
            {
                history.Add(r);
                if (history.Count >= max_history)
                {
                    // Keep every other record, the first and the newest included; double the stride.
                    var thinned = history.Where((_, i) => i % 2 == 0 || i == history.Count - 1).ToList();
                    history.Clear();
                    history.AddRange(thinned);
                    stride *= 2;
                }
            }
            return r;
        }

        cancellation.ThrowIfCancellationRequested();
        solver.begin(objective, theta0);
        double limit = divergence_factor * Math.Max(solver.objective, 1);
        // Recorded whether or not anyone listens: `on_iteration?.Invoke(record(...))` would skip the call, and the start point with it.
        var start = record(0, keep: true);
        on_iteration?.Invoke(start);

        int iteration = 0;
        string reason;
        var stop = StopReason.Converged;
        string? diverged = divergence(solver, double.PositiveInfinity);
        while (true)
        {
            if (diverged != null)
            {
                stop = StopReason.Diverged;
                reason = $"diverged: {diverged}";
                break;
            }
            if (solver.criterion <= tol)
            {
                reason = $"converged: criterion {solver.criterion:g3} ≤ tol {tol:g3}";
                break;
            }
            if (iteration >= max_iter)
            {
                stop = StopReason.MaxIterations;
                reason = $"reached max_iter = {max_iter} with criterion {solver.criterion:g3} > tol {tol:g3}";
                break;
            }
            cancellation.ThrowIfCancellationRequested();
            solver.step();
            if (solver.stalled != null)
            {
                stop = StopReason.Stalled;
                reason = $"stopped: {solver.stalled} (criterion {solver.criterion:g3})";
                break;
            }
            iteration++;
            diverged = divergence(solver, limit);
            if (diverged != null) continue;
            var r = record(iteration, keep: iteration % stride == 0 || solver.criterion <= tol || iteration >= max_iter);
            on_iteration?.Invoke(r);
        }
        if (stop != StopReason.Diverged && history[^1].iteration != iteration) record(iteration, keep: true);
        return new TrainingResult(solver.kind, (double[])solver.theta.Clone(), solver.objective, solver.criterion, iteration, stop == StopReason.Converged, stop, reason,
            solver.function_evaluations, clock.Elapsed.TotalSeconds, history);
    }

    /// <summary>What shows that the solver diverged, or null when its state is finite and below <paramref name="limit"/>.</summary>
    private static string? divergence(Solver solver, double limit) =>
        !double.IsFinite(solver.objective) || !double.IsFinite(solver.criterion) || !VectorMath.all_finite(solver.theta)
            ? "the objective or the parameters became NaN or infinite"
            : solver.objective > limit ? $"the objective grew to {solver.objective:g3}, over {divergence_factor:g0} times its start value"
            : null;
}
