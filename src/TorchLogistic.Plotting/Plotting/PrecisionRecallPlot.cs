using ScottPlot;
using TorchLogistic.Data;
using TorchLogistic.Training;

namespace TorchLogistic.Plotting;

/// <summary>One precision–recall curve with its average precision and the positive rate of its data.</summary>
/// <param name="Label">What the curve is.</param>
/// <param name="Recall">Recall at each threshold.</param>
/// <param name="Precision">Precision at each threshold.</param>
/// <param name="AveragePrecision">Average precision, shown in the legend.</param>
/// <param name="Prevalence">Share of positive rows: the precision of a random classifier.</param>
/// <param name="OperatingPoint">Optional point to mark: where the model operates at its decision threshold (default none).</param>
public sealed record PrecisionRecallSeries(string Label, double[] Recall, double[] Precision, double AveragePrecision, double Prevalence,
    OperatingPoint? OperatingPoint = null);

/// <summary>Precision–recall curves drawn as steps (as average precision integrates them), with the chance level when all curves share it.</summary>
public static class PrecisionRecallPlot
{
    /// <summary>
    /// The precision–recall curve of <paramref name="model"/> on <paramref name="data"/>: class 1's curve with the
    /// operating point at the decision threshold for a binary model, one-vs-rest curves (first 10 classes) for a
    /// multiclass one. Save it with ScottPlot's <c>SavePng(path, width, height)</c>; the caller disposes it.
    /// </summary>
    /// <param name="model">The trained model.</param>
    /// <param name="data">Labelled rows (raw features; the model's scaler applies).</param>
    /// <param name="threshold">Binary models: the decision threshold whose operating point is marked (default 0.5).</param>
    /// <param name="title">Chart title (default "Precision–recall curve (N rows)").</param>
    /// <exception cref="ArgumentException">The rows hold a single class.</exception>
    public static Plot From(FittedModel model, Dataset data, double? threshold = null, string? title = null)
    {
        var series = ModelCurves.Of(model, data, threshold).PrecisionRecall;
        ModelCurves.RequireCurves(series, "precision–recall");
        return Create(series, title ?? ModelCurves.Title("Precision–recall curve", model, data));
    }

    /// <summary>Builds the chart; the caller disposes it.</summary>
    public static Plot Create(IReadOnlyList<PrecisionRecallSeries> series, string title = "Precision–recall curve")
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var plot = new Plot();
        foreach (var s in series)
        {
            var line = plot.Add.Scatter(s.Recall, s.Precision);
            line.ConnectStyle = ConnectStyle.StepVertical;
            line.LegendText = $"{s.Label} (AP = {s.AveragePrecision.ToString("F3", c)})";
            line.MarkerSize = 0;
            line.LineWidth = 2;
            if (s.OperatingPoint is { } p) RocPlot.Mark(plot, p, line.Color, p.Legend(s.Label));
        }
        // The chance level when every curve has the same one (one curve, or several models on the same rows); with
        // several (one-vs-rest classes) they would crowd the legend.
        if (series.Count > 0 && series.All(s => s.Prevalence == series[0].Prevalence))
        {
            var baseline = plot.Add.HorizontalLine(series[0].Prevalence);
            baseline.LinePattern = LinePattern.Dashed;
            baseline.Color = Colors.Gray;
            string whose = series.Count == 1 ? $"{series[0].Label} " : "";
            baseline.LegendText = $"chance: {whose}positive rate {series[0].Prevalence.ToString("F3", c)}";
        }
        plot.Axes.SetLimits(-0.02, 1.02, -0.02, 1.05);
        plot.Title(title);
        plot.XLabel("recall (true positive rate)");
        plot.YLabel("precision (positive predictive value)");
        plot.ShowLegend(Alignment.LowerLeft);
        return plot;
    }
}
