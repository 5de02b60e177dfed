namespace TorchLogistic.Training;

/// <summary>How a training run ended.</summary>
/// <param name="solver">The solver (its name: <see cref="Optim.SolverRegistry.name_of"/>).</param>
/// <param name="theta">Final parameters θ = [vec(W); b].</param>
/// <param name="objective">Final training objective F(θ).</param>
/// <param name="criterion">Final value of the convergence measure.</param>
/// <param name="iterations">Iterations performed.</param>
/// <param name="converged">Whether the criterion reached the tolerance.</param>
/// <param name="stop">Why the loop stopped; <see cref="StopReason.Diverged"/> means θ is unusable.</param>
/// <param name="stop_reason">Why the loop stopped, in words (for divergence: "diverged: " and what was seen).</param>
/// <param name="function_evaluations">Objective evaluations.</param>
/// <param name="fit_seconds">Wall time of the loop.</param>
/// <param name="history">Iteration records: every iteration of short runs; long runs are thinned evenly to at most a few thousand.</param>
public sealed record TrainingResult(
    Optim.SolverKind solver,
    double[] theta,
    double objective,
    double criterion,
    int iterations,
    bool converged,
    StopReason stop,
    string stop_reason,
    int function_evaluations,
    double fit_seconds,
    IReadOnlyList<IterationRecord> history)
{
    /// <summary>
    /// For a diverged run, "Training diverged at iteration i (solver s): what was seen." — else null.
    /// </summary>
    public string? divergence_message => stop == StopReason.Diverged
        ? $"Training diverged at iteration {iterations} (solver {Optim.SolverRegistry.name_of(solver)}): {stop_reason[(stop_reason.IndexOf(':') + 2)..]}."
        : null;
}
