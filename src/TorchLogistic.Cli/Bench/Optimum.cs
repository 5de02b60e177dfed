namespace TorchLogistic.Performance;

/// <summary>
/// The minimum F* of a benchmark problem's objective and the point θ* where it was found, with the certificate of how
/// it was found: the solver, its tolerance on ‖∇F‖∞, and the ‖∇F(θ*)‖∞ it reached, all in float64.
/// </summary>
/// <param name="Problem">Problem name.</param>
/// <param name="C">Inverse regularisation strength.</param>
/// <param name="DataSha256">The problem's <see cref="BenchmarkProblem.DataSha256"/>.</param>
/// <param name="Objective">F* = F(θ*).</param>
/// <param name="Solver">Solver that found it.</param>
/// <param name="Tolerance">Its tolerance on ‖∇F‖∞.</param>
/// <param name="GradientInfNorm">‖∇F(θ*)‖∞ at the end.</param>
/// <param name="Iterations">Iterations the solver took.</param>
/// <param name="Seconds">Wall time of the search.</param>
/// <param name="Start">Where the search started: <c>zeros</c>, or <c>warm: …</c> naming the start point.</param>
/// <param name="Theta">θ* = [vec(W); b].</param>
public sealed record Optimum(string Problem, double C, string DataSha256, double Objective, Optim.SolverKind Solver, double Tolerance,
    double GradientInfNorm, int Iterations, double Seconds, string Start, double[] Theta)
{
    /// <summary>The target of the benchmark: F*·(1 + <paramref name="relative"/>).</summary>
    public double Target(double relative) => Objective + relative * Math.Abs(Objective);

    /// <summary>One line: F*, solver, tolerance, ‖∇F‖∞, iterations and start.</summary>
    public string Certificate() => FormattableString.Invariant(
        $"F* = {Objective:F15} ({Optim.SolverRegistry.NameOf(Solver)}, float64, tol {Tolerance:0.#e+0}, final ‖∇F‖∞ = {GradientInfNorm:0.0e+0}, {Iterations} iterations from {Start})");
}
