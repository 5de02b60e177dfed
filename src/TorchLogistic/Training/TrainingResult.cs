namespace TorchLogistic.Training;

/// <summary>How a training run ended.</summary>
/// <param name="Solver">The solver (its name: <see cref="Optim.SolverRegistry.NameOf"/>).</param>
/// <param name="Theta">Final parameters θ = [vec(W); b].</param>
/// <param name="Objective">Final training objective F(θ).</param>
/// <param name="Criterion">Final value of the convergence measure.</param>
/// <param name="Iterations">Iterations performed.</param>
/// <param name="Converged">Whether the criterion reached the tolerance.</param>
/// <param name="Stop">Why the loop stopped; <see cref="StopReason.Diverged"/> means θ is unusable.</param>
/// <param name="StopDescription">Why the loop stopped, in words (for divergence: "diverged: " and what was seen).</param>
/// <param name="FunctionEvaluations">Objective evaluations.</param>
/// <param name="FitSeconds">Wall time of the loop.</param>
/// <param name="History">Iteration records: every iteration of short runs; long runs are thinned evenly to at most a few thousand.</param>
public sealed record TrainingResult(
    Optim.SolverKind Solver,
    double[] Theta,
    double Objective,
    double Criterion,
    int Iterations,
    bool Converged,
    StopReason Stop,
    string StopDescription,
    int FunctionEvaluations,
    double FitSeconds,
    IReadOnlyList<IterationRecord> History)
{
    /// <summary>
    /// For a diverged run, "Training diverged at iteration i (solver s): what was seen." — else null.
    /// </summary>
    public string? DivergenceMessage => Stop == StopReason.Diverged
        ? $"Training diverged at iteration {Iterations} (solver {Optim.SolverRegistry.NameOf(Solver)}): {StopDescription[(StopDescription.IndexOf(':') + 2)..]}."
        : null;
}
