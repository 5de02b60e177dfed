using static TorchSharp.torch;

namespace TorchLogistic.Performance;

/// <summary>One solver's run in <see cref="SolverBenchmark"/>.</summary>
/// <param name="problem">Problem name.</param>
/// <param name="solver">Solver name.</param>
/// <param name="dtype">Compute dtype.</param>
/// <param name="target">The objective value to reach.</param>
/// <param name="reached">Whether an iterate's float64 objective reached the target.</param>
/// <param name="evaluations">Value-and-gradient evaluations, up to the target when reached (θ = 0 included).</param>
/// <param name="hessian_products">Hessian-vector products (newton-cg) or full Hessians (newton), likewise.</param>
/// <param name="iterations">Iterations, likewise.</param>
/// <param name="timed_seconds">Seconds on the clock (the solver's own work), up to the target when reached.</param>
/// <param name="seconds_to_target">Seconds from the start to the first iterate within the target, or null.</param>
/// <param name="final_objective">F in float64 at the last iterate (at the target's crossing when reached).</param>
/// <param name="float64_checks">Float64 evaluations made, off the clock, to verify a float32 run's crossing.</param>
/// <param name="peak_bytes">Peak resident memory of the process during the run (from a reset at its start), or null off Linux.</param>
/// <param name="baseline_bytes">Resident memory when the run started (data already loaded), or null off Linux.</param>
/// <param name="threads">libtorch intra-op threads.</param>
/// <param name="stop_reason">Why the run ended.</param>
/// <param name="theta">The last iterate.</param>
public sealed record SolverBenchmarkResult(string problem, Optim.SolverKind solver, ScalarType dtype, double target, bool reached, int evaluations,
    int hessian_products, int iterations, double timed_seconds, double? seconds_to_target, double final_objective, int float64_checks,
    long? peak_bytes, long? baseline_bytes, int threads, string stop_reason, double[] theta)
{
    /// <summary>
    /// Passes over the data: evaluations plus Hessian-vector products for newton-cg (each reads X twice, as a gradient
    /// does). A full Hessian (newton) is not one pass, so it is not counted.
    /// </summary>
    public int passes => evaluations + (solver == Optim.SolverKind.NewtonCg ? hessian_products : 0);

    /// <summary>Milliseconds per pass over the data: <c>timed_seconds / passes</c>.</summary>
    public double ms_per_evaluation => 1000 * timed_seconds / Math.Max(1, passes);
}
