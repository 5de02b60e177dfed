namespace TorchLogistic.Training;

/// <summary>The state after one iteration of the training loop.</summary>
/// <param name="iteration">Iteration number; 0 is the start point.</param>
/// <param name="objective">F(θ), the training objective.</param>
/// <param name="criterion">The solver's convergence measure (e.g. ‖∇f‖∞).</param>
/// <param name="function_evaluations">Objective evaluations so far.</param>
/// <param name="seconds">Wall time since training started.</param>
/// <param name="test_loss">Mean log loss on the test rows, when there are any and it was computed.</param>
public sealed record IterationRecord(int iteration, double objective, double criterion, int function_evaluations, double seconds, double? test_loss = null);
