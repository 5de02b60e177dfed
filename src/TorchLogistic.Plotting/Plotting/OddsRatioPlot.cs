using System.Globalization;
using ScottPlot;
using TorchLogistic.Inference;

namespace TorchLogistic.Plotting;

/// <summary>One row of an odds-ratio chart: what it is, the odds ratio and its confidence interval.</summary>
/// <param name="Label">Feature name (and unit, e.g. "per SD").</param>
/// <param name="OddsRatio">exp(β) &gt; 0.</param>
/// <param name="Lower">Lower end of the interval, exp(β − z·se).</param>
/// <param name="Upper">Upper end of the interval, exp(β + z·se).</param>
public sealed record OddsRatioRow(string Label, double OddsRatio, double Lower, double Upper);

/// <summary>
/// A forest plot of odds ratios: one row per feature, a dot at the odds ratio and a bar over its confidence interval,
/// on a log axis (an odds ratio of 2 and one of ½ are the same distance from 1), with the line of no effect at 1.
/// An interval that does not cross that line is a coefficient whose Wald test rejects β = 0 at that level.
/// </summary>
public static class OddsRatioPlot
{
    /// <summary>The rows of one equation of an inference table, features in table order (the intercept left out unless asked for).</summary>
    /// <param name="table">An equation of <see cref="InferenceResult.Equations"/>.</param>
    /// <param name="includeIntercept">Include the <c>const</c> row (default false: its odds ratio is the odds at x = 0, not an effect).</param>
    public static IReadOnlyList<OddsRatioRow> RowsOf(CoefficientTable table, bool includeIntercept = false)
    {
        double[] or = table.OddsRatio, lower = table.OddsRatioLower, upper = table.OddsRatioUpper;
        return Enumerable.Range(0, table.Names.Length)
            .Where(j => includeIntercept || table.Names[j] != "const")
            .Select(j => new OddsRatioRow(table.Names[j], or[j], lower[j], upper[j]))
            .ToList();
    }

    /// <summary>Builds the chart, first row at the top; the caller disposes it.</summary>
    /// <param name="rows">Odds ratios with intervals; every value finite and &gt; 0, lower ≤ odds ratio ≤ upper.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">Label of the odds-ratio axis (log scale).</param>
    public static Plot Create(IReadOnlyList<OddsRatioRow> rows, string title = "Odds ratios with 95% confidence intervals",
        string xLabel = "odds ratio (log scale)")
    {
        if (rows.Count == 0) throw new ArgumentException("An odds-ratio chart needs at least one row.");
        foreach (var r in rows)
        {
            if (!(r.Lower > 0 && r.OddsRatio > 0 && r.Upper > 0) || !double.IsFinite(r.Upper) || !double.IsFinite(r.OddsRatio))
                throw new ArgumentException($"'{r.Label}': odds ratio {r.OddsRatio} with interval [{r.Lower}, {r.Upper}] must be finite and > 0 (a log axis cannot show it). Standardise the features or drop this row.");
            if (!(r.Lower <= r.OddsRatio && r.OddsRatio <= r.Upper))
                throw new ArgumentException($"'{r.Label}': odds ratio {r.OddsRatio} lies outside its interval [{r.Lower}, {r.Upper}]; pass (odds ratio, lower, upper) in that order.");
        }
        var c = CultureInfo.InvariantCulture;
        var plot = new Plot();
        int n = rows.Count;
        var none = plot.Add.VerticalLine(0);
        none.LinePattern = LinePattern.Dashed;
        none.Color = Colors.Gray;
        none.LegendText = "odds ratio 1 (no association)";
        var color = Colors.Category10[0];
        for (int i = 0; i < n; i++)
        {
            var r = rows[i];
            double y = n - 1 - i;
            var bar = plot.Add.Line(Math.Log10(r.Lower), y, Math.Log10(r.Upper), y);
            bar.Color = color;
            bar.LineWidth = 3;
            if (i == 0) bar.LegendText = "confidence interval";
            var dot = plot.Add.Marker(Math.Log10(r.OddsRatio), y);
            dot.Color = color;
            dot.MarkerSize = 11;
            if (i == 0) dot.LegendText = "odds ratio";
        }
        double lo = Math.Min(0, rows.Min(r => Math.Log10(r.Lower)));
        double hi = Math.Max(0, rows.Max(r => Math.Log10(r.Upper)));
        double pad = Math.Max(0.1, 0.05 * (hi - lo));
        plot.Axes.SetLimits(lo - pad, hi + pad, -0.7, n - 0.3);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = x => Math.Pow(10, x).ToString("G4", c),
        };
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, n).Select(i => (double)(n - 1 - i)).ToArray(),
            rows.Select(r => $"{r.Label}: {r.OddsRatio.ToString("G3", c)} [{r.Lower.ToString("G3", c)}, {r.Upper.ToString("G3", c)}]").ToArray());
        plot.Grid.YAxisStyle.IsVisible = false;
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }
}
