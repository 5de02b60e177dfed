using ScottPlot;

namespace TorchLogistic.Plotting;

/// <summary>One ROC curve: a legend label, its points and its AUC.</summary>
/// <param name="label">What the curve is, e.g. "test" or a class name.</param>
/// <param name="fpr">False positive rates.</param>
/// <param name="tpr">True positive rates.</param>
/// <param name="auc">Area under the curve, shown in the legend.</param>
public sealed record RocSeries(string label, double[] fpr, double[] tpr, double auc);

/// <summary>ROC curves (one per model, data split or class) with the AUC in the legend and the chance diagonal.</summary>
public static class RocPlot
{
    /// <summary>Builds the chart; the caller disposes it.</summary>
    public static Plot create(IReadOnlyList<RocSeries> series, string title = "ROC curve")
    {
        var plot = new Plot();
        var chance = plot.Add.Line(0, 0, 1, 1);
        chance.LinePattern = LinePattern.Dashed;
        chance.Color = Colors.Gray;
        chance.LegendText = "chance (AUC = 0.5)";
        foreach (var s in series)
        {
            var line = plot.Add.Scatter(s.fpr, s.tpr);
            line.LegendText = $"{s.label} (AUC = {s.auc.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)})";
            line.MarkerSize = 0;
            line.LineWidth = 2;
        }
        plot.Axes.SetLimits(-0.02, 1.02, -0.02, 1.02);
        plot.Title(title);
        plot.XLabel("false positive rate (1 − specificity)");
        plot.YLabel("true positive rate (recall)");
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }
}
