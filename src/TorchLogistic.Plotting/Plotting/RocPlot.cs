using ScottPlot;
using TorchLogistic.Data;
using TorchLogistic.Training;

namespace TorchLogistic.Plotting;

/// <summary>One ROC curve: a legend label, its points and its AUC.</summary>
/// <param name="Label">What the curve is, e.g. "test" or a class name.</param>
/// <param name="FalsePositiveRates">False positive rates.</param>
/// <param name="TruePositiveRates">True positive rates.</param>
/// <param name="Auc">Area under the curve, shown in the legend.</param>
/// <param name="OperatingPoint">Optional point to mark: where the model operates at its decision threshold (default none).</param>
public sealed record RocSeries(string Label, double[] FalsePositiveRates, double[] TruePositiveRates, double Auc, OperatingPoint? OperatingPoint = null);

/// <summary>ROC curves (one per model, data split or class) with the AUC in the legend and the chance diagonal.</summary>
public static class RocPlot
{
    /// <summary>
    /// The ROC curve of <paramref name="model"/> on <paramref name="data"/>: class 1's curve with the operating point
    /// at the decision threshold for a binary model, one-vs-rest curves (first 10 classes) for a multiclass one.
    /// Save it with ScottPlot's <c>SavePng(path, width, height)</c>; the caller disposes it.
    /// </summary>
    /// <param name="model">The trained model.</param>
    /// <param name="data">Labelled rows, e.g. the test part of a split (raw features; the model's scaler applies).</param>
    /// <param name="threshold">Binary models: the decision threshold whose operating point is marked (default 0.5).</param>
    /// <param name="title">Chart title (default "ROC curve (N rows)").</param>
    /// <exception cref="ArgumentException">The rows hold a single class.</exception>
    public static Plot From(FittedModel model, Dataset data, double? threshold = null, string? title = null)
    {
        var series = ModelCurves.Of(model, data, threshold).Roc;
        ModelCurves.RequireCurves(series, "ROC");
        return Create(series, title ?? ModelCurves.Title("ROC curve", model, data));
    }

    /// <summary>Builds the chart; the caller disposes it.</summary>
    public static Plot Create(IReadOnlyList<RocSeries> series, string title = "ROC curve")
    {
        var plot = new Plot();
        var chance = plot.Add.Line(0, 0, 1, 1);
        chance.LinePattern = LinePattern.Dashed;
        chance.Color = Colors.Gray;
        chance.LegendText = "chance (AUC = 0.5)";
        for (int i = 0; i < series.Count; i++)
        {
            var s = series[i];
            var line = plot.Add.Scatter(s.FalsePositiveRates, s.TruePositiveRates);
            // The palette's colours from the first, as on the precision–recall chart (the chance line took one).
            line.Color = plot.Add.Palette.GetColor(i);
            line.LegendText = $"{s.Label} (AUC = {s.Auc.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)})";
            line.MarkerSize = 0;
            line.LineWidth = 2;
            if (s.OperatingPoint is { } p) Mark(plot, p, line.Color, p.Legend(s.Label));
        }
        plot.Axes.SetLimits(-0.02, 1.02, -0.02, 1.02);
        plot.Title(title);
        plot.XLabel("false positive rate (1 − specificity)");
        plot.YLabel("true positive rate (recall)");
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    /// <summary>Marks an operating point in the colour of its curve.</summary>
    internal static void Mark(Plot plot, OperatingPoint point, Color color, string legend)
    {
        var marker = plot.Add.Marker(point.X, point.Y, MarkerShape.FilledCircle, 11, color);
        marker.MarkerLineColor = Colors.Black;
        marker.MarkerLineWidth = 1.5f;
        marker.LegendText = legend;
    }
}
