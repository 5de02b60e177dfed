using System.Globalization;
using ScottPlot;
using TorchLogistic.Selection;

namespace TorchLogistic.Plotting;

/// <summary>
/// Permutation importances as horizontal bars, most important at the top: each bar the mean drop of the score over
/// the repeats, its error bar ±1 standard deviation, and a line at 0 (a feature whose permutation does not change the
/// score). A bar whose error bar crosses 0 is a feature indistinguishable from noise at this number of repeats.
/// </summary>
public static class PermutationImportancePlot
{
    /// <summary>The most bars drawn (the top ones by mean); the rest are named in the title's count only.</summary>
    public const int MaxBars = 40;

    /// <summary>Builds the chart; the caller disposes it.</summary>
    /// <param name="result">Importances from <see cref="PermutationImportance"/>.</param>
    /// <param name="title">Chart title.</param>
    public static Plot Create(PermutationImportanceResult result, string title = "Permutation importance")
    {
        if (result.Features.Count == 0) throw new ArgumentException("An importance chart needs at least one feature.");
        var c = CultureInfo.InvariantCulture;
        var ranked = result.Ranked.Take(MaxBars).ToList();
        int n = ranked.Count;
        var plot = new Plot();
        var color = Colors.Category10[0];
        var bars = ranked.Select((f, i) => new Bar
        {
            Position = n - 1 - i,
            Value = f.Mean,
            Error = f.StandardDeviation,
            FillColor = color,
        }).ToList();
        var series = plot.Add.Bars(bars);
        series.Horizontal = true;
        var zero = plot.Add.VerticalLine(0);
        zero.LinePattern = LinePattern.Dashed;
        zero.Color = Colors.Gray;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, n).Select(i => (double)(n - 1 - i)).ToArray(),
            ranked.Select(f => f.Name).ToArray());
        plot.Grid.YAxisStyle.IsVisible = false;
        string shown = result.Features.Count > n ? $", top {n} of {result.Features.Count} features" : "";
        plot.Title($"{title} ({result.Repeats} repeats{shown})");
        string scale = FoldScore.LowerIsBetter(result.Scoring) ? "rise of" : "drop of";
        plot.XLabel(string.Create(c, $"{scale} {FoldScore.NameOf(result.Scoring)} when permuted (mean ± sd; baseline {result.BaselineScore:G4})"));
        return plot;
    }
}
