using ScottPlot;
using TorchLogistic.IO;
using TorchLogistic.Training;

namespace TorchLogistic.Plotting;

/// <summary>One line of a loss chart: a name and (iteration, value) points.</summary>
/// <param name="Label">Legend text, e.g. "training objective" or "L-BFGS".</param>
/// <param name="Iterations">x values: iterations, or any other x (seconds, C) with <see cref="LossCurvePlot.Create"/>'s <c>x_label</c>.</param>
/// <param name="Values">y values.</param>
public sealed record LossSeries(string Label, double[] Iterations, double[] Values);

/// <summary>Loss curves: value against iteration, one line per series, with a log-scale option.</summary>
public static class LossCurvePlot
{
    /// <summary>The training objective and, when recorded, the test log loss of one run.</summary>
    public static IReadOnlyList<LossSeries> SeriesOf(TrainingResult result)
    {
        var list = new List<LossSeries>
        {
            new("training objective (mean log loss + penalty)",
                result.History.Select(r => (double)r.Iteration).ToArray(), result.History.Select(r => r.Objective).ToArray()),
        };
        var test = result.History.Where(r => r.TestLoss.HasValue).ToList();
        if (test.Count > 0)
            list.Add(new LossSeries("test log loss", test.Select(r => (double)r.Iteration).ToArray(), test.Select(r => r.TestLoss!.Value).ToArray()));
        return list;
    }

    /// <summary>Builds the chart; the caller disposes it.</summary>
    /// <param name="series">Lines to draw.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="yLabel">Label of the value axis.</param>
    /// <param name="logScale">Draw log₁₀ of the values with decade ticks (values must be &gt; 0).</param>
    /// <param name="xLabel">Label of the horizontal axis (default "iteration").</param>
    /// <param name="logX">Draw log₁₀ of the x values with decade ticks; points with x ≤ 0 are left out (default false).</param>
    public static Plot Create(IReadOnlyList<LossSeries> series, string title, string yLabel = "loss", bool logScale = false,
        string xLabel = "iteration", bool logX = false)
    {
        var plot = new Plot();
        foreach (var s in series)
        {
            double[] ys = logScale ? s.Values.Select(v => Math.Log10(Math.Max(v, 1e-300))).ToArray() : s.Values;
            double[] xs = s.Iterations;
            if (logX) (xs, ys) = LogTicks.Points(xs, ys, logX: true, logY: false);
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = s.Label;
            line.MarkerSize = s.Iterations.Length > 50 ? 0 : 4;
            line.LineWidth = 2;
        }
        if (logScale) LogTicks.Apply(plot.Axes.Left);
        if (logX) LogTicks.Apply(plot.Axes.Bottom);
        plot.Title(title);
        plot.XLabel(logX ? $"{xLabel} (log scale)" : xLabel);
        plot.YLabel(logScale ? $"{yLabel} (log scale)" : yLabel);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>Renders <paramref name="plot"/> to a PNG of <paramref name="width"/> × <paramref name="height"/> pixels, atomically.</summary>
    public static void SavePng(Plot plot, string path, int width = 800, int height = 500) =>
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(width, height, ImageFormat.Png));
}
