using System.Diagnostics;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;

namespace TorchLogistic.Training;

/// <summary>
/// The one training loop of every model and solver: start the solver, then step it until the criterion is
/// at most <c>tol</c>, the iteration limit is reached, or the solver stalls. It stops at once, with the
/// iteration, when the objective or θ stops being finite or the objective grows beyond
/// <see cref="DivergenceFactor"/> times its start value (only a fixed step that is too large does that) —
/// a result with <see cref="StopReason.Diverged"/>, not an exception — and between iterations when cancelled.
/// </summary>
public static class TrainingLoop
{
    /// <summary>Most iteration records kept; longer runs keep every k-th, k doubling as needed.</summary>
    public const int MaxHistory = 2048;

    /// <summary>An objective above this multiple of max(F(θ₀), 1) counts as divergence.</summary>
    public const double DivergenceFactor = 1e4;

    /// <summary>Minimises <paramref name="objective"/> from <paramref name="theta0"/> with <paramref name="solver"/>.</summary>
    /// <param name="objective">The objective.</param>
    /// <param name="solver">The strategy.</param>
    /// <param name="theta0">Start point.</param>
    /// <param name="maxIterations">Iteration limit, ≥ 1.</param>
    /// <param name="tolerance">Tolerance on the solver's criterion, &gt; 0.</param>
    /// <param name="testLoss">Optional θ → test loss, computed for each kept record.</param>
    /// <param name="onIteration">Called after every iteration (progress display); not thinned.</param>
    /// <param name="cancellation">Checked between iterations; cancelling throws <see cref="OperationCanceledException"/>.</param>
    /// <param name="onParameters">Called after every iteration with its number and θ (checkpoints); θ must not be kept or changed.</param>
    /// <param name="resumeState">The solver's state at <paramref name="theta0"/> (<see cref="Solver.CaptureState"/> of an earlier run), to continue its iterates; null to start afresh.</param>
    /// <returns>The run; check <see cref="TrainingResult.Stop"/>: after <see cref="StopReason.Diverged"/> θ is unusable.</returns>
    public static TrainingResult Run(IObjective objective, Solver solver, double[] theta0, int maxIterations, double tolerance,
        Func<double[], double>? testLoss = null, Action<IterationRecord>? onIteration = null, CancellationToken cancellation = default,
        Action<int, double[]>? onParameters = null, SolverState? resumeState = null)
    {
        if (maxIterations < 1) throw new ArgumentOutOfRangeException(nameof(maxIterations), maxIterations, $"max_iter = {maxIterations} must be ≥ 1.");
        if (!(tolerance > 0)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, $"tol = {tolerance} must be > 0 (try 1e-6).");
        var clock = Stopwatch.StartNew();
        var history = new List<IterationRecord>();
        int stride = 1;

        IterationRecord Record(int iteration, bool keep)
        {
            double? test = keep && testLoss != null ? testLoss(solver.Theta) : null;
            var r = new IterationRecord(iteration, solver.Objective, solver.Criterion, solver.FunctionEvaluations, clock.Elapsed.TotalSeconds, test);
            if (keep)
            {
                history.Add(r);
                if (history.Count >= MaxHistory)
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
        if (resumeState is null) solver.Begin(objective, theta0);
        else solver.Resume(objective, theta0, resumeState);
        double limit = DivergenceFactor * Math.Max(solver.Objective, 1);
        // Recorded whether or not anyone listens: `on_iteration?.Invoke(record(...))` would skip the call, and the start point with it.
        var start = Record(0, keep: true);
        onIteration?.Invoke(start);

        int iteration = 0;
        string reason;
        var stop = StopReason.Converged;
        string? diverged = Divergence(solver, double.PositiveInfinity);
        while (true)
        {
            if (diverged != null)
            {
                stop = StopReason.Diverged;
                reason = $"diverged: {diverged}";
                break;
            }
            if (solver.Criterion <= tolerance)
            {
                double before = solver.Objective;
                solver.Polish();
                // The polish refines θ without an iteration: the record of this iteration shows where it ended.
                if (solver.Objective != before && history[^1].Iteration == iteration) history.RemoveAt(history.Count - 1);
                reason = $"converged: criterion {solver.Criterion:g3} ≤ tol {tolerance:g3}";
                break;
            }
            if (iteration >= maxIterations)
            {
                stop = StopReason.MaxIterations;
                reason = $"reached max_iter = {maxIterations} with criterion {solver.Criterion:g3} > tol {tolerance:g3}";
                break;
            }
            cancellation.ThrowIfCancellationRequested();
            solver.Step();
            if (solver.Stalled != null)
            {
                stop = StopReason.Stalled;
                reason = $"stopped: {solver.Stalled} (criterion {solver.Criterion:g3})";
                break;
            }
            iteration++;
            diverged = Divergence(solver, limit);
            if (diverged != null) continue;
            var r = Record(iteration, keep: iteration % stride == 0 || solver.Criterion <= tolerance || iteration >= maxIterations);
            onIteration?.Invoke(r);
            onParameters?.Invoke(iteration, solver.Theta);
        }
        if (stop != StopReason.Diverged && history[^1].Iteration != iteration) Record(iteration, keep: true);
        return new TrainingResult(solver.Kind, (double[])solver.Theta.Clone(), solver.Objective, solver.Criterion, iteration, stop == StopReason.Converged, stop, reason,
            solver.FunctionEvaluations, clock.Elapsed.TotalSeconds, history);
    }

    /// <summary>What shows that the solver diverged, or null when its state is finite and below <paramref name="limit"/>.</summary>
    private static string? Divergence(Solver solver, double limit) =>
        !double.IsFinite(solver.Objective) || !double.IsFinite(solver.Criterion) || !VectorMath.AllFinite(solver.Theta)
            ? "the objective or the parameters became NaN or infinite"
            : solver.Objective > limit ? $"the objective grew to {solver.Objective:g3}, over {DivergenceFactor:g0} times its start value"
            : null;
}
