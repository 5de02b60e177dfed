using static TorchSharp.torch;

namespace TorchLogistic.Performance;

/// <summary>One solver's run in <see cref="SolverBenchmark"/>.</summary>
/// <param name="Problem">Problem name.</param>
/// <param name="Solver">Solver name.</param>
/// <param name="DType">Compute dtype.</param>
/// <param name="Target">The objective value to reach.</param>
/// <param name="Reached">Whether an iterate's float64 objective reached the target.</param>
/// <param name="Evaluations">Value-and-gradient evaluations, up to the target when reached (θ = 0 included).</param>
/// <param name="HessianProducts">Hessian-vector products (newton-cg) or full Hessians (newton), likewise.</param>
/// <param name="Iterations">Iterations, likewise.</param>
/// <param name="DataPasses">Passes over all rows (values, gradients, Hessian-vector products; <see cref="Objectives.LinearModelObjective.DataPasses"/>), likewise.</param>
/// <param name="PassSeconds">Seconds of <paramref name="TimedSeconds"/> spent inside those passes, likewise.</param>
/// <param name="TimedSeconds">Seconds on the clock (passes and the solver's own work), up to the target when reached.</param>
/// <param name="SecondsToTarget">Seconds from the start to the first iterate within the target, or null.</param>
/// <param name="FinalObjective">F in float64 at the last iterate (at the target's crossing when reached).</param>
/// <param name="Float64Checks">Float64 evaluations made, off the clock, to verify a float32 run's crossing.</param>
/// <param name="PeakBytes">Peak resident memory of the process during the run (from a reset at its start), or null off Linux.</param>
/// <param name="BaselineBytes">Resident memory when the run started (data already loaded), or null off Linux.</param>
/// <param name="Threads">libtorch intra-op threads.</param>
/// <param name="StopDescription">Why the run ended.</param>
/// <param name="Theta">The last iterate.</param>
/// <param name="RefreshSeconds">Of the own work, seconds refreshing the subspace preconditioner (its basis and H_r), up to the target when reached.</param>
/// <param name="ApplySeconds">Of the own work, seconds applying a preconditioner (a curvature bound built on its first use included), likewise.</param>
/// <param name="Applications">Preconditioner applications, likewise.</param>
public sealed record SolverBenchmarkResult(string Problem, Optim.SolverKind Solver, ScalarType DType, double Target, bool Reached, int Evaluations,
    int HessianProducts, int Iterations, double DataPasses, double PassSeconds, double TimedSeconds, double? SecondsToTarget, double FinalObjective, int Float64Checks,
    long? PeakBytes, long? BaselineBytes, int Threads, string StopDescription, double[] Theta, double RefreshSeconds = 0, double ApplySeconds = 0, int Applications = 0)
{
    /// <summary>The solver's own seconds outside refreshes and applications (CG and L-BFGS vectors, line searches, bookkeeping).</summary>
    public double OtherOwnSeconds => Math.Max(0, TimedSeconds - PassSeconds - RefreshSeconds - ApplySeconds);

    /// <summary>Milliseconds per pass over the data, all solver work included: <c>timed_seconds / passes</c>.</summary>
    public double MsPerEvaluation => 1000 * TimedSeconds / Math.Max(1, DataPasses);

    /// <summary>Milliseconds inside one pass: <c>pass_seconds / passes</c>.</summary>
    public double MsInPass => 1000 * PassSeconds / Math.Max(1, DataPasses);

    /// <summary>The solver's own milliseconds per pass (outside the passes): <c>(timed − pass seconds) / passes</c>.</summary>
    public double OwnMsPerPass => 1000 * (TimedSeconds - PassSeconds) / Math.Max(1, DataPasses);

    /// <summary>The time to the target (or the timed seconds) in floor-evaluations of <paramref name="floorMs"/>.</summary>
    public double FloorEvaluations(double floorMs) => 1000 * (SecondsToTarget ?? TimedSeconds) / floorMs;
}
