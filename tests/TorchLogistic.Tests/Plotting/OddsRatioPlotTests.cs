using TorchLogistic.Inference;
using TorchLogistic.Plotting;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Plotting;

public class OddsRatioPlotTests
{
    // β = (0.5, ln 2, −ln 4) with standard errors (0.1, 0.2, 0.3): odds ratios exp(β) = (e^0.5, 2, ¼) in closed form.
    private static readonly CoefficientTable Table = new("malignant", new[] { "const", "a", "b" },
        new[] { 0.5, Math.Log(2), -Math.Log(4) }, new[] { 0.1, 0.2, 0.3 }, new double[3], new double[3],
        new[] { 0.5 - 1.96 * 0.1, Math.Log(2) - 1.96 * 0.2, -Math.Log(4) - 1.96 * 0.3 },
        new[] { 0.5 + 1.96 * 0.1, Math.Log(2) + 1.96 * 0.2, -Math.Log(4) + 1.96 * 0.3 });

    [Fact]
    public void Rows_are_the_tables_odds_ratios_without_the_intercept_unless_asked()
    {
        var rows = OddsRatioPlot.RowsOf(Table);
        Assert.Equal(new[] { "a", "b" }, rows.Select(r => r.Label));
        Close.All(new[] { 2.0, 0.25 }, rows.Select(r => r.OddsRatio).ToArray(), 1e-15);
        Close.All(new[] { 2 * Math.Exp(-0.392), 0.25 * Math.Exp(-0.588) }, rows.Select(r => r.Lower).ToArray(), 1e-14);
        Close.All(new[] { 2 * Math.Exp(0.392), 0.25 * Math.Exp(0.588) }, rows.Select(r => r.Upper).ToArray(), 1e-14);
        Assert.Equal(new[] { "const", "a", "b" }, OddsRatioPlot.RowsOf(Table, includeIntercept: true).Select(r => r.Label));
    }

    [Fact]
    public void The_chart_spans_every_interval_and_the_line_of_no_effect_on_a_log_axis()
    {
        using var folder = new TempFolder();
        var rows = OddsRatioPlot.RowsOf(Table);
        using var plot = OddsRatioPlot.Create(rows, "two features");
        var limits = plot.Axes.GetLimits();
        // log10 of the smallest lower bound (¼·e^−0.588 ≈ 0.139) and of the largest upper bound (2·e^0.392 ≈ 2.96).
        Assert.True(limits.Left < Math.Log10(0.25 * Math.Exp(-0.588)) && limits.Right > Math.Log10(2 * Math.Exp(0.392)), $"x limits {limits.Left}..{limits.Right}");
        Assert.True(limits.Left < 0 && limits.Right > 0, "the line of no effect (log10 1 = 0) is inside");
        string path = folder.File("odds.png");
        PlotImage.SavePng(plot, path, 800, 400);
        PlotTests.AssertDrawn(path, 800, 400);
    }

    [Fact]
    public void Odds_ratios_a_log_axis_cannot_show_or_misordered_intervals_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => OddsRatioPlot.Create(new[] { new OddsRatioRow("smoothness", 5e50, 9e32, double.PositiveInfinity) }));
        Assert.Contains("'smoothness'", e.Message);
        Assert.Contains("Standardise", e.Message);
        e = Assert.Throws<ArgumentException>(() => OddsRatioPlot.Create(new[] { new OddsRatioRow("radius", 2, 3, 4) }));
        Assert.Contains("outside its interval [3, 4]", e.Message);
        Assert.Throws<ArgumentException>(() => OddsRatioPlot.Create(Array.Empty<OddsRatioRow>()));
    }
}
