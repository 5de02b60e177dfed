using System.Globalization;
using ScottPlot;
using TorchLogistic.Selection;

namespace TorchLogistic.Plotting;

/// <summary>
/// Charts of a regularisation path (<see cref="RegularizationPath"/>) against C on a log scale: every coefficient's
/// value (with L1, where each one leaves zero), and the training and test log loss (where the model starts to overfit).
/// </summary>
public static class RegularizationPathPlot
{
    /// <summary>
    /// One line per coefficient against log₁₀ C. The <paramref name="maxLabels"/> coefficients that become non-zero
    /// first (then the largest) get a colour and a legend entry; the others are thin grey lines.
    /// </summary>
    /// <param name="path">The path, in increasing C.</param>
    /// <param name="featureNames">The names of the d features the model was trained on (e.g. <c>FittedModel.ModelFeatureNames</c>); for K &gt; 1 outputs each is prefixed with its output.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="maxLabels">How many coefficients to label (default 8).</param>
    /// <param name="l1MinC">Optional <see cref="RegularizationPath.L1MinC"/> to mark with a vertical line: below it every coefficient is 0 (default none).</param>
    public static Plot Coefficients(IReadOnlyList<RegularizationPathStep> path, IReadOnlyList<string> featureNames,
        string title = "Coefficient paths", int maxLabels = 8, double? l1MinC = null)
    {
        Check(path);
        int n = path[0].CoefficientCount, d = featureNames.Count;
        if (d == 0 || n % d != 0)
            throw new ArgumentException($"{d} feature names for {n} coefficients: give the names of the features the model was trained on (FittedModel.ModelFeatureNames).");
        string Name(int j) => n == d ? featureNames[j] : $"output {j / d}: {featureNames[j % d]}";
        double[] logC = path.Select(p => Math.Log10(p.C)).ToArray();
        double[][] values = Enumerable.Range(0, n).Select(j => path.Select(p => p.Theta[j]).ToArray()).ToArray();
        int Entry(int j) => Array.FindIndex(values[j], v => v != 0) is var i and >= 0 ? i : int.MaxValue;
        var labelled = Enumerable.Range(0, n).Where(j => Entry(j) != int.MaxValue)
            .OrderBy(Entry).ThenByDescending(j => values[j].Max(Math.Abs)).Take(Math.Max(0, maxLabels)).ToList();

        var plot = new Plot();
        var zero = plot.Add.HorizontalLine(0);
        zero.LinePattern = LinePattern.Dashed;
        zero.Color = Colors.Gray;
        foreach (int j in Enumerable.Range(0, n).Except(labelled))
        {
            var line = plot.Add.Scatter(logC, values[j]);
            line.Color = Colors.Gray.WithAlpha(0.45);
            line.MarkerSize = 0;
            line.LineWidth = 1;
        }
        var palette = new ScottPlot.Palettes.Category10();
        for (int r = 0; r < labelled.Count; r++)
        {
            int j = labelled[r];
            var line = plot.Add.Scatter(logC, values[j]);
            line.Color = palette.GetColor(r);
            line.LegendText = Name(j);
            line.MarkerSize = path.Count > 40 ? 0 : 4;
            line.LineWidth = 2;
        }
        if (l1MinC is double c)
        {
            if (!(c > 0)) throw new ArgumentOutOfRangeException(nameof(l1MinC), c, $"l1_min_c = {c} must be > 0 to be marked on a log axis.");
            var mark = plot.Add.VerticalLine(Math.Log10(c));
            mark.LinePattern = LinePattern.Dotted;
            mark.Color = Colors.Black;
            mark.LegendText = $"l1_min_c = {c.ToString("G3", CultureInfo.InvariantCulture)}";
        }
        LogTicks.Apply(plot.Axes.Bottom);
        plot.Title(title);
        plot.XLabel("C, inverse regularisation strength (log scale)");
        plot.YLabel("coefficient (standardised feature)");
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    /// <summary>Training and (when evaluated) test log loss against log₁₀ C.</summary>
    /// <param name="path">The path, in increasing C.</param>
    /// <param name="title">Chart title.</param>
    public static Plot Losses(IReadOnlyList<RegularizationPathStep> path, string title = "Log loss along the regularisation path")
    {
        Check(path);
        double[] c = path.Select(p => p.C).ToArray();
        var series = new List<LossSeries> { new("training rows", c, path.Select(p => p.Train.LogLoss).ToArray()) };
        if (path.All(p => p.Test != null))
            series.Add(new LossSeries("test rows", c, path.Select(p => p.Test!.LogLoss).ToArray()));
        var plot = LossCurvePlot.Create(series, title, "mean log loss", logScale: false, xLabel: "C, inverse regularisation strength", logX: true);
        plot.ShowLegend(Alignment.UpperCenter);
        return plot;
    }

    private static void Check(IReadOnlyList<RegularizationPathStep> path)
    {
        if (path.Count == 0) throw new ArgumentException("The regularisation path is empty: fit it at one C or more (RegularizationPath.fit).");
    }
}
