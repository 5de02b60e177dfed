namespace TorchLogistic.Training;

/// <summary>Why a training loop stopped (<see cref="TrainingResult.stop"/>); the words are in <see cref="TrainingResult.stop_reason"/>.</summary>
public enum StopReason
{
    /// <summary>The criterion reached the tolerance.</summary>
    Converged,
    /// <summary>The iteration limit was reached first.</summary>
    MaxIterations,
    /// <summary>The solver could not make progress (e.g. its line search failed).</summary>
    Stalled,
    /// <summary>
    /// The objective or θ stopped being finite, or the objective grew beyond
    /// <see cref="TrainingLoop.divergence_factor"/> times its start value; θ is the diverged iterate and no model
    /// should be kept.
    /// </summary>
    Diverged,
}
