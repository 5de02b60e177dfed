namespace TorchLogistic.Training;

/// <summary>The state after one iteration of the training loop.</summary>
/// <param name="Iteration">Iteration number; 0 is the start point.</param>
/// <param name="Objective">F(θ), the training objective.</param>
/// <param name="Criterion">The solver's convergence measure (e.g. ‖∇f‖∞).</param>
/// <param name="FunctionEvaluations">Objective evaluations so far.</param>
/// <param name="Seconds">Wall time since training started.</param>
/// <param name="TestLoss">Mean log loss on the test rows, when there are any and it was computed.</param>
public sealed record IterationRecord(int Iteration, double Objective, double Criterion, int FunctionEvaluations, double Seconds, double? TestLoss = null);
