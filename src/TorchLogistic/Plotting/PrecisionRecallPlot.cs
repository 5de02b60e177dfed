using ScottPlot;

namespace TorchLogistic.Plotting;

/// <summary>One precision–recall curve with its average precision and the positive rate of its data.</summary>
/// <param name="label">What the curve is.</param>
/// <param name="recall">Recall at each threshold.</param>
/// <param name="precision">Precision at each threshold.</param>
/// <param name="average_precision">Average precision, shown in the legend.</param>
/// <param name="prevalence">Share of positive rows: the precision of a random classifier.</param>
public sealed record PrecisionRecallSeries(string label, double[] recall, double[] precision, double average_precision, double prevalence);

/// <summary>Precision–recall curves drawn as steps (as average precision integrates them), with the chance level of a single curve.</summary>
public static class PrecisionRecallPlot
{
    /// <summary>Builds the chart; the caller disposes it.</summary>
    public static Plot create(IReadOnlyList<PrecisionRecallSeries> series, string title = "Precision–recall curve")
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var plot = new Plot();
        foreach (var s in series)
        {
            var line = plot.Add.Scatter(s.recall, s.precision);
            line.ConnectStyle = ConnectStyle.StepVertical;
            line.LegendText = $"{s.label} (AP = {s.average_precision.ToString("F3", c)})";
            line.MarkerSize = 0;
            line.LineWidth = 2;
        }
        // The chance level of a single curve; with several (one-vs-rest) they would crowd the legend.
        foreach (var s in series.Count == 1 ? series : Array.Empty<PrecisionRecallSeries>())
        {
            var baseline = plot.Add.HorizontalLine(s.prevalence);
            baseline.LinePattern = LinePattern.Dashed;
            baseline.Color = Colors.Gray;
            baseline.LegendText = $"chance: {s.label} positive rate {s.prevalence.ToString("F3", c)}";
        }
        plot.Axes.SetLimits(-0.02, 1.02, -0.02, 1.05);
        plot.Title(title);
        plot.XLabel("recall (true positive rate)");
        plot.YLabel("precision (positive predictive value)");
        plot.ShowLegend(Alignment.LowerLeft);
        return plot;
    }
}
