using TorchLogistic.Inference;
using TorchLogistic.Plotting;
using TorchLogistic.Tests.Inference;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Plotting;

public class MarginalEffectsPlotTests
{
    [Fact]
    public void The_forest_plot_spans_every_interval_and_zero()
    {
        using var folder = new TempFolder();
        var rows = RobustCovarianceTests.Rows(threeClasses: true);
        var effects = MarginalEffects.Of(LogitInference.Fit(rows).Result, rows, new MarginalEffectsOptions(DiscreteChanges: true));
        using var plot = MarginalEffectsPlot.Create(effects);
        var limits = plot.Axes.GetLimits();
        double lo = effects.Tables.SelectMany(t => t.ConfidenceLower).Min(), hi = effects.Tables.SelectMany(t => t.ConfidenceUpper).Max();
        Assert.True(limits.Left < Math.Min(lo, 0) && limits.Right > Math.Max(hi, 0), $"x limits {limits.Left}..{limits.Right} for [{lo}, {hi}]");
        Assert.True(limits.Top - limits.Bottom >= 9 - 1, "one row per class × feature");
        string path = folder.File("margeff.png");
        PlotImage.SavePng(plot, path, 900, 500);
        PlotTests.AssertDrawn(path, 900, 500);
    }
}
