namespace TorchLogistic.Performance;

/// <summary>
/// The minimum F* of a benchmark problem's objective and the point θ* where it was found, with the certificate of how
/// it was found: the solver, its tolerance on ‖∇F‖∞, and the ‖∇F(θ*)‖∞ it reached, all in float64.
/// </summary>
/// <param name="problem">Problem name.</param>
/// <param name="C">Inverse regularisation strength.</param>
/// <param name="data_sha256">The problem's <see cref="BenchmarkProblem.data_sha256"/>.</param>
/// <param name="objective">F* = F(θ*).</param>
/// <param name="solver">Solver that found it.</param>
/// <param name="tol">Its tolerance on ‖∇F‖∞.</param>
/// <param name="gradient_inf_norm">‖∇F(θ*)‖∞ at the end.</param>
/// <param name="iterations">Iterations the solver took.</param>
/// <param name="seconds">Wall time of the search.</param>
/// <param name="start">Where the search started: <c>zeros</c>, or <c>warm: …</c> naming the start point.</param>
/// <param name="theta">θ* = [vec(W); b].</param>
public sealed record Optimum(string problem, double C, string data_sha256, double objective, Optim.SolverKind solver, double tol,
    double gradient_inf_norm, int iterations, double seconds, string start, double[] theta)
{
    /// <summary>The target of the benchmark: F*·(1 + <paramref name="relative"/>).</summary>
    public double target(double relative) => objective + relative * Math.Abs(objective);

    /// <summary>One line: F*, solver, tolerance, ‖∇F‖∞, iterations and start.</summary>
    public string certificate() => FormattableString.Invariant(
        $"F* = {objective:F15} ({Optim.SolverRegistry.name_of(solver)}, float64, tol {tol:0.#e+0}, final ‖∇F‖∞ = {gradient_inf_norm:0.0e+0}, {iterations} iterations from {start})");
}
