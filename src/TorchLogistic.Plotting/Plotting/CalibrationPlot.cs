using ScottPlot;
using TorchLogistic.Data;
using TorchLogistic.Metrics;
using TorchLogistic.Training;

namespace TorchLogistic.Plotting;

/// <summary>
/// A reliability diagram: observed share of positives against mean predicted probability per bin, the diagonal of
/// perfect calibration, and bars showing the share of rows in each bin.
/// </summary>
public static class CalibrationPlot
{
    /// <summary>
    /// The reliability diagram of a binary <paramref name="model"/> on <paramref name="data"/>: its probability of
    /// class 1 in <paramref name="nBins"/> equal-width bins (<see cref="CalibrationCurve.Of"/>). The caller disposes it.
    /// </summary>
    /// <param name="model">A trained binary model.</param>
    /// <param name="data">Labelled rows (raw features; the model's scaler applies).</param>
    /// <param name="nBins">Bins of [0, 1] (default 10).</param>
    /// <param name="title">Chart title (default "Calibration (N rows, B bins)").</param>
    /// <exception cref="ArgumentException">The model has more than two classes.</exception>
    public static Plot From(FittedModel model, Dataset data, int nBins = 10, string? title = null)
    {
        if (model.Classes.Length != 2)
            throw new ArgumentException($"A reliability diagram is drawn for binary models; this one has {model.Classes.Length} classes. Plot one class against the rest with CalibrationPlot.create.");
        var c = CalibrationCurve.Of(data.Labels, model.PredictProbabilities(data).Column(1), nBins);
        return Create(c.PredictedProbabilities, c.TrueProbabilities, c.Counts, c.BinEdges, title ?? $"Calibration ({data.SampleCount} rows, {nBins} bins)", model.Classes[1]);
    }

    /// <summary>Builds the chart; the caller disposes it.</summary>
    /// <param name="predictedProbabilities">Mean predicted probability of each non-empty bin.</param>
    /// <param name="trueProbabilities">Observed share of positives of each bin.</param>
    /// <param name="counts">Rows in each bin.</param>
    /// <param name="binEdges">All bin edges (for the bars' widths).</param>
    /// <param name="title">Chart title.</param>
    /// <param name="positiveClass">Name of the positive class, for the axis labels.</param>
    public static Plot Create(double[] predictedProbabilities, double[] trueProbabilities, int[] counts, double[] binEdges, string title = "Calibration (reliability diagram)", string positiveClass = "positive")
    {
        if (predictedProbabilities.Length != trueProbabilities.Length || predictedProbabilities.Length != counts.Length)
            throw new ArgumentException($"{predictedProbabilities.Length} predicted, {trueProbabilities.Length} observed and {counts.Length} counts: one of each per bin.");
        var plot = new Plot();
        double total = Math.Max(1, counts.Sum());
        var bars = new List<Bar>();
        for (int b = 0; b < predictedProbabilities.Length; b++)
        {
            // The bin holding the mean of its values: the number of inner edges below it.
            int bin = 0;
            while (bin < binEdges.Length - 2 && binEdges[bin + 1] < predictedProbabilities[b]) bin++;
            double lo = binEdges[bin], hi = binEdges[bin + 1];
            bars.Add(new Bar { Position = (lo + hi) / 2, Value = counts[b] / total, Size = (hi - lo) * 0.9, FillColor = Colors.LightGray, LineWidth = 0 });
        }
        var barPlot = plot.Add.Bars(bars);
        barPlot.LegendText = "share of rows in the bin";
        var perfect = plot.Add.Line(0, 0, 1, 1);
        perfect.LinePattern = LinePattern.Dashed;
        perfect.Color = Colors.Gray;
        perfect.LegendText = "perfectly calibrated";
        var curve = plot.Add.Scatter(predictedProbabilities, trueProbabilities);
        curve.LegendText = "model";
        curve.LineWidth = 2;
        curve.MarkerSize = 8;
        plot.Axes.SetLimits(-0.02, 1.02, -0.02, 1.02);
        plot.Title(title);
        plot.XLabel($"mean predicted probability of {positiveClass}");
        plot.YLabel($"observed share of {positiveClass}");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    /// <summary>
    /// One reliability diagram with two curves: the probabilities before calibration and after it, on the same rows (the
    /// bars: the share of rows in each bin after calibration). The caller disposes it.
    /// </summary>
    /// <param name="before">The uncalibrated probabilities' bins.</param>
    /// <param name="after">The calibrated probabilities' bins.</param>
    /// <param name="afterName">Legend of the calibrated curve (e.g. "calibrated (sigmoid)").</param>
    /// <param name="title">Chart title.</param>
    /// <param name="positiveClass">Name of the positive class, for the axis labels.</param>
    public static Plot Compare(CalibrationCurve before, CalibrationCurve after, string afterName, string title, string positiveClass = "positive")
    {
        var plot = Create(after.PredictedProbabilities, after.TrueProbabilities, after.Counts, after.BinEdges, title, positiveClass);
        plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Single(s => s.LegendText == "model").LegendText = afterName;
        var uncalibrated = plot.Add.Scatter(before.PredictedProbabilities, before.TrueProbabilities);
        uncalibrated.LegendText = "uncalibrated";
        uncalibrated.LineWidth = 2;
        uncalibrated.MarkerSize = 6;
        uncalibrated.LinePattern = LinePattern.Dotted;
        return plot;
    }
}
