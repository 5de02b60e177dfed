using TorchLogistic.Distributed;

namespace TorchLogistic.Training;

/// <summary>When a distributed run writes checkpoints, where, and the checkpoint it resumes from.</summary>
/// <param name="Path">The checkpoint file (written by rank 0).</param>
/// <param name="Every">Write after every this many iterations; 0 for never.</param>
/// <param name="ResumeFrom">The checkpoint to start from (every rank gets the same one), or null to start at zero.</param>
public sealed record CheckpointPolicy(string Path, int Every, Checkpoint? ResumeFrom = null);
