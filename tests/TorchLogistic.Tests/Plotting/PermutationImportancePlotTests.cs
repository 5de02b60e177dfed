using ScottPlot.Plottables;
using TorchLogistic.Plotting;
using TorchLogistic.Selection;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Plotting;

public class PermutationImportancePlotTests
{
    // Importances per repeat chosen so that mean and population sd are exact: (1, 3) → 2 ± 1, (0, 1) → ½ ± ½, (−1, 1) → 0 ± 1.
    private static PermutationImportanceResult Result(int features) => new(CrossValidationScoring.LogLoss, 0.3,
        Enumerable.Range(0, features).Select(j => j switch
        {
            0 => new FeatureImportance("weak", new[] { 0 }, new[] { 0.0, 1.0 }),
            1 => new FeatureImportance("strong", new[] { 1, 2 }, new[] { 1.0, 3.0 }),
            2 => new FeatureImportance("noise", new[] { 3 }, new[] { -1.0, 1.0 }),
            _ => new FeatureImportance($"f{j}", new[] { j + 1 }, new[] { 1e-3 * j, 1e-3 * j }),
        }).ToList(), 2, 100, false);

    [Fact]
    public void Bars_are_the_means_with_sd_error_bars_most_important_at_the_top()
    {
        using var folder = new TempFolder();
        using var plot = PermutationImportancePlot.Create(Result(3), "three");
        var bars = plot.GetPlottables().OfType<BarPlot>().Single();
        // Top (highest position) first: strong, weak, noise.
        var byPosition = bars.Bars.OrderByDescending(b => b.Position).ToList();
        Assert.Equal(new[] { 2.0, 0.5, 0.0 }, byPosition.Select(b => b.Value));
        Assert.Equal(new[] { 1.0, 0.5, 1.0 }, byPosition.Select(b => b.Error));
        string path = folder.File("importance.png");
        PlotImage.SavePng(plot, path, 800, 400);
        PlotTests.AssertDrawn(path, 800, 400);
    }

    [Fact]
    public void Only_the_top_bars_are_drawn_and_the_title_says_how_many()
    {
        using var plot = PermutationImportancePlot.Create(Result(PermutationImportancePlot.MaxBars + 5), "many");
        var bars = plot.GetPlottables().OfType<BarPlot>().Single();
        Assert.Equal(PermutationImportancePlot.MaxBars, bars.Bars.Count);
        Assert.Contains($"top {PermutationImportancePlot.MaxBars} of {PermutationImportancePlot.MaxBars + 5} features", plot.Axes.Title.Label.Text);
        // Drawn: strong, weak and f44 … f7 (means 0.044 … 0.007); left out: f6 … f3 and noise (mean 0).
        Close.Equal(0.007, bars.Bars.Min(b => b.Value), 1e-12);
        Assert.DoesNotContain(bars.Bars, b => b.Value == 0);
    }
}
