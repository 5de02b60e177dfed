using System.Globalization;
using ScottPlot;
using TorchLogistic.Selection;

namespace TorchLogistic.Plotting;

/// <summary>The cross-validation curve, as R's <c>plot(cv.glmnet)</c>: the mean fold score ± one standard error against log₁₀ C, the best and the one-SE C marked.</summary>
public static class CrossValidationPlot
{
    /// <summary>The curve of the best l1_ratio of <paramref name="result"/>.</summary>
    /// <param name="result">The search.</param>
    /// <param name="title">Chart title.</param>
    public static Plot Curve(CrossValidationResult result, string title = "Cross-validation")
    {
        int r = result.BestRatioIndex;
        double[] logC = result.Cs.Select(Math.Log10).ToArray();
        double[] mean = result.Mean[r], se = result.StandardError[r];
        var plot = new Plot();
        var bars = plot.Add.ErrorBar(logC, mean, se);
        bars.Color = Colors.Gray;
        var line = plot.Add.Scatter(logC, mean);
        line.Color = Colors.Red;
        line.MarkerSize = 6;
        line.LegendText = $"mean {FoldScore.NameOf(result.Scoring)} ± SE over {result.FoldCount} folds";
        var best = plot.Add.VerticalLine(Math.Log10(result.BestC));
        best.LinePattern = LinePattern.Dotted;
        best.Color = Colors.Black;
        best.LegendText = $"best C = {result.BestC.ToString("G3", CultureInfo.InvariantCulture)}";
        var oneSe = plot.Add.VerticalLine(Math.Log10(result.OneStandardErrorC));
        oneSe.LinePattern = LinePattern.Dashed;
        oneSe.Color = Colors.Blue;
        oneSe.LegendText = $"one-SE C = {result.OneStandardErrorC.ToString("G3", CultureInfo.InvariantCulture)}";
        if (result.Cs.Length > 1) LogTicks.Apply(plot.Axes.Bottom);
        plot.Title(result.L1Ratios.Length > 1 ? $"{title} (l1_ratio = {result.BestL1Ratio.ToString("G3", CultureInfo.InvariantCulture)})" : title);
        plot.XLabel("C, inverse regularisation strength (log scale)");
        plot.YLabel(FoldScore.LowerIsBetter(result.Scoring) ? $"{FoldScore.NameOf(result.Scoring)} (lower is better)" : $"{FoldScore.NameOf(result.Scoring)} (higher is better)");
        plot.ShowLegend(Edge.Right);
        return plot;
    }
}
