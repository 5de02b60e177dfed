namespace TorchLogistic.Training;

/// <summary>Why a training loop stopped (<see cref="TrainingResult.Stop"/>); the words are in <see cref="TrainingResult.StopDescription"/>.</summary>
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
    /// <see cref="TrainingLoop.DivergenceFactor"/> times its start value; θ is the diverged iterate and no model
    /// should be kept.
    /// </summary>
    Diverged,
}
