using TorchLogistic.Training;

namespace TorchLogistic.Plotting;

/// <summary>What the horizontal axis of a convergence chart counts.</summary>
public enum ConvergenceAxis
{
    /// <summary>Iterations of the solver (one step each, whatever it costs).</summary>
    Iteration,
    /// <summary>Evaluations of f and ∇f so far (line searches included).</summary>
    Evaluations,
    /// <summary>Wall time since the run started.</summary>
    Seconds,
}

/// <summary>One solver run on a convergence chart: its legend text and its iteration records.</summary>
/// <param name="Label">Legend text, e.g. "newton" or "gd, lr 0.1".</param>
/// <param name="History">The run's records (<see cref="TrainingResult.History"/>).</param>
public sealed record ConvergenceRun(string Label, IReadOnlyList<IterationRecord> History);

/// <summary>
/// Solvers compared on one problem: the objective gap F(θₖ) − F* to the optimum F*, on a log scale, against
/// iterations, evaluations or wall time — how fast each one gets how close.
/// </summary>
public static class ConvergencePlot
{
    /// <summary>Gaps below this multiple of |F*| (4 ulps of F: 4·2⁻⁵²) are rounding noise of float64 and are not drawn.</summary>
    public const double Resolution = 8.881784197001252e-16;

    /// <summary>
    /// The gap F(θₖ) − F* of every record of <paramref name="run"/> against the chosen x; records whose gap is at most
    /// <see cref="Resolution"/>·|F*| (the optimum itself, to float64 precision) are left out.
    /// </summary>
    /// <param name="run">The run.</param>
    /// <param name="optimum">F*, the smallest objective value known (e.g. Newton's at a tight tolerance).</param>
    /// <param name="axis">What x counts.</param>
    public static LossSeries GapSeries(ConvergenceRun run, double optimum, ConvergenceAxis axis)
    {
        if (!double.IsFinite(optimum)) throw new ArgumentException($"The optimum F* = {optimum} must be finite; take the best objective of a converged run.");
        double floor = Resolution * Math.Abs(optimum);
        var kept = run.History.Where(r => r.Objective - optimum > floor).ToList();
        double[] x = kept.Select(r => axis switch
        {
            ConvergenceAxis.Iteration => r.Iteration,
            ConvergenceAxis.Evaluations => r.FunctionEvaluations,
            _ => r.Seconds,
        }).ToArray();
        return new LossSeries(run.Label, x, kept.Select(r => r.Objective - optimum).ToArray());
    }

    /// <summary>Builds the chart; the caller disposes it.</summary>
    /// <param name="runs">The runs, one line each.</param>
    /// <param name="optimum">F*, the smallest objective value known.</param>
    /// <param name="axis">What x counts (default iterations).</param>
    /// <param name="title">Chart title.</param>
    /// <param name="logX">Draw x on a log scale too (default true), so that a 10-step and a 10 000-step run are both readable; x = 0 (iteration 0) is then left out.</param>
    public static ScottPlot.Plot Create(IReadOnlyList<ConvergenceRun> runs, double optimum, ConvergenceAxis axis = ConvergenceAxis.Iteration,
        string title = "Objective gap to the optimum", bool logX = true)
    {
        string xLabel = axis switch
        {
            ConvergenceAxis.Iteration => "iteration",
            ConvergenceAxis.Evaluations => "evaluations of f and ∇f",
            _ => "wall time (s)",
        };
        var plot = LossCurvePlot.Create(runs.Select(r => GapSeries(r, optimum, axis)).ToList(), title, "F(θ) − F*", logScale: true, xLabel: xLabel, logX: logX);
        // The lines fall from the upper left; the lower left stays free.
        plot.ShowLegend(ScottPlot.Alignment.LowerLeft);
        return plot;
    }
}
