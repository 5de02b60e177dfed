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
    /// class 1 in <paramref name="n_bins"/> equal-width bins (<see cref="CalibrationCurve.of"/>). The caller disposes it.
    /// </summary>
    /// <param name="model">A trained binary model.</param>
    /// <param name="data">Labelled rows (raw features; the model's scaler applies).</param>
    /// <param name="n_bins">Bins of [0, 1] (default 10).</param>
    /// <param name="title">Chart title (default "Calibration (N rows, B bins)").</param>
    /// <exception cref="ArgumentException">The model has more than two classes.</exception>
    public static Plot from(FittedModel model, Dataset data, int n_bins = 10, string? title = null)
    {
        if (model.classes.Length != 2)
            throw new ArgumentException($"A reliability diagram is drawn for binary models; this one has {model.classes.Length} classes. Plot one class against the rest with CalibrationPlot.create.");
        var c = CalibrationCurve.of(data.labels, model.predict_proba(data).column(1), n_bins);
        return create(c.prob_pred, c.prob_true, c.counts, c.bin_edges, title ?? $"Calibration ({data.n_samples} rows, {n_bins} bins)", model.classes[1]);
    }

    /// <summary>Builds the chart; the caller disposes it.</summary>
    /// <param name="prob_pred">Mean predicted probability of each non-empty bin.</param>
    /// <param name="prob_true">Observed share of positives of each bin.</param>
    /// <param name="counts">Rows in each bin.</param>
    /// <param name="bin_edges">All bin edges (for the bars' widths).</param>
    /// <param name="title">Chart title.</param>
    /// <param name="positive_class">Name of the positive class, for the axis labels.</param>
    public static Plot create(double[] prob_pred, double[] prob_true, int[] counts, double[] bin_edges, string title = "Calibration (reliability diagram)", string positive_class = "positive")
    {
        if (prob_pred.Length != prob_true.Length || prob_pred.Length != counts.Length)
            throw new ArgumentException($"{prob_pred.Length} predicted, {prob_true.Length} observed and {counts.Length} counts: one of each per bin.");
        var plot = new Plot();
        double total = Math.Max(1, counts.Sum());
        var bars = new List<Bar>();
        for (int b = 0; b < prob_pred.Length; b++)
        {
            // The bin holding the mean of its values: the number of inner edges below it.
            int bin = 0;
            while (bin < bin_edges.Length - 2 && bin_edges[bin + 1] < prob_pred[b]) bin++;
            double lo = bin_edges[bin], hi = bin_edges[bin + 1];
            bars.Add(new Bar { Position = (lo + hi) / 2, Value = counts[b] / total, Size = (hi - lo) * 0.9, FillColor = Colors.LightGray, LineWidth = 0 });
        }
        var barPlot = plot.Add.Bars(bars);
        barPlot.LegendText = "share of rows in the bin";
        var perfect = plot.Add.Line(0, 0, 1, 1);
        perfect.LinePattern = LinePattern.Dashed;
        perfect.Color = Colors.Gray;
        perfect.LegendText = "perfectly calibrated";
        var curve = plot.Add.Scatter(prob_pred, prob_true);
        curve.LegendText = "model";
        curve.LineWidth = 2;
        curve.MarkerSize = 8;
        plot.Axes.SetLimits(-0.02, 1.02, -0.02, 1.02);
        plot.Title(title);
        plot.XLabel($"mean predicted probability of {positive_class}");
        plot.YLabel($"observed share of {positive_class}");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }
}
