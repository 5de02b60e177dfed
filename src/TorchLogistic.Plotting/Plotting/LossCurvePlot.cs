using ScottPlot;
using TorchLogistic.IO;
using TorchLogistic.Training;

namespace TorchLogistic.Plotting;

/// <summary>One line of a loss chart: a name and (iteration, value) points.</summary>
/// <param name="label">Legend text, e.g. "training objective" or "L-BFGS".</param>
/// <param name="iterations">x values: iterations, or any other x (seconds, C) with <see cref="LossCurvePlot.create"/>'s <c>x_label</c>.</param>
/// <param name="values">y values.</param>
public sealed record LossSeries(string label, double[] iterations, double[] values);

/// <summary>Loss curves: value against iteration, one line per series, with a log-scale option.</summary>
public static class LossCurvePlot
{
    /// <summary>The training objective and, when recorded, the test log loss of one run.</summary>
    public static IReadOnlyList<LossSeries> series_of(TrainingResult result)
    {
        var list = new List<LossSeries>
        {
            new("training objective (mean log loss + penalty)",
                result.history.Select(r => (double)r.iteration).ToArray(), result.history.Select(r => r.objective).ToArray()),
        };
        var test = result.history.Where(r => r.test_loss.HasValue).ToList();
        if (test.Count > 0)
            list.Add(new LossSeries("test log loss", test.Select(r => (double)r.iteration).ToArray(), test.Select(r => r.test_loss!.Value).ToArray()));
        return list;
    }

    /// <summary>Builds the chart; the caller disposes it.</summary>
    /// <param name="series">Lines to draw.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="y_label">Label of the value axis.</param>
    /// <param name="log_scale">Draw log₁₀ of the values with decade ticks (values must be &gt; 0).</param>
    /// <param name="x_label">Label of the horizontal axis (default "iteration").</param>
    /// <param name="log_x">Draw log₁₀ of the x values with decade ticks; points with x ≤ 0 are left out (default false).</param>
    public static Plot create(IReadOnlyList<LossSeries> series, string title, string y_label = "loss", bool log_scale = false,
        string x_label = "iteration", bool log_x = false)
    {
        var plot = new Plot();
        foreach (var s in series)
        {
            double[] ys = log_scale ? s.values.Select(v => Math.Log10(Math.Max(v, 1e-300))).ToArray() : s.values;
            double[] xs = s.iterations;
            if (log_x) (xs, ys) = LogTicks.points(xs, ys, log_x: true, log_y: false);
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = s.label;
            line.MarkerSize = s.iterations.Length > 50 ? 0 : 4;
            line.LineWidth = 2;
        }
        if (log_scale) LogTicks.apply(plot.Axes.Left);
        if (log_x) LogTicks.apply(plot.Axes.Bottom);
        plot.Title(title);
        plot.XLabel(log_x ? $"{x_label} (log scale)" : x_label);
        plot.YLabel(log_scale ? $"{y_label} (log scale)" : y_label);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>Renders <paramref name="plot"/> to a PNG of <paramref name="width"/> × <paramref name="height"/> pixels, atomically.</summary>
    public static void save_png(Plot plot, string path, int width = 800, int height = 500) =>
        AtomicFile.write_all_bytes(path, plot.GetImageBytes(width, height, ImageFormat.Png));
}
