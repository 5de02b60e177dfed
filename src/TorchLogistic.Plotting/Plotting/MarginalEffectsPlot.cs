using System.Globalization;
using ScottPlot;
using TorchLogistic.Inference;

namespace TorchLogistic.Plotting;

/// <summary>
/// A forest plot of marginal effects: one row per feature (per class for a multinomial model), a dot at the effect
/// and a bar over its confidence interval, with the line of no effect at 0. Discrete changes are marked with *.
/// </summary>
public static class MarginalEffectsPlot
{
    /// <summary>Builds the chart, first table's first feature at the top; the caller disposes it.</summary>
    /// <param name="result">Marginal effects (<see cref="MarginalEffects.Of"/>); every effect and bound finite.</param>
    /// <param name="title">Chart title (default names the method, where and the level).</param>
    public static Plot Create(MarginalEffectsResult result, string? title = null)
    {
        var c = CultureInfo.InvariantCulture;
        var rows = result.Tables.SelectMany(t => t.Names.Select((n, j) => (
            Label: (result.Tables.Count > 1 ? $"{t.Label} {n}" : n) + (t.Discrete[j] ? " *" : ""),
            Effect: t.Effects[j], Lower: t.ConfidenceLower[j], Upper: t.ConfidenceUpper[j], Table: t.Label))).ToList();
        if (rows.Count == 0) throw new ArgumentException("A marginal-effects chart needs at least one feature.");
        foreach (var r in rows)
        {
            if (!double.IsFinite(r.Lower) || !double.IsFinite(r.Upper))
                throw new ArgumentException($"'{r.Label}': the interval [{r.Lower}, {r.Upper}] is not finite; the chart cannot show it.");
        }
        var plot = new Plot();
        int n = rows.Count;
        var none = plot.Add.VerticalLine(0);
        none.LinePattern = LinePattern.Dashed;
        none.Color = Colors.Gray;
        none.LegendText = "no effect";
        var tables = rows.Select(r => r.Table).Distinct().ToList();
        for (int i = 0; i < n; i++)
        {
            var r = rows[i];
            double y = n - 1 - i;
            var color = Colors.Category10[tables.IndexOf(r.Table) % 10];
            var bar = plot.Add.Line(r.Lower, y, r.Upper, y);
            bar.Color = color;
            bar.LineWidth = 3;
            var dot = plot.Add.Marker(r.Effect, y);
            dot.Color = color;
            dot.MarkerSize = 11;
            if (i == 0 || rows[i - 1].Table != r.Table) dot.LegendText = r.Table;
        }
        double lo = Math.Min(0, rows.Min(r => r.Lower)), hi = Math.Max(0, rows.Max(r => r.Upper));
        double pad = Math.Max(1e-12, 0.05 * (hi - lo));
        plot.Axes.SetLimits(lo - pad, hi + pad, -0.7, n - 0.3);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, n).Select(i => (double)(n - 1 - i)).ToArray(),
            rows.Select(r => $"{r.Label}: {r.Effect.ToString("G3", c)} [{r.Lower.ToString("G3", c)}, {r.Upper.ToString("G3", c)}]").ToArray());
        plot.Grid.YAxisStyle.IsVisible = false;
        string method = result.Options.Method.ToString().ToLowerInvariant(), at = result.Options.At.ToString().ToLowerInvariant();
        plot.Title(title ?? $"Marginal effects ({method}, at {at}) with {100 * (1 - result.Alpha):0.#}% intervals");
        plot.XLabel(method switch
        {
            "dydx" => "change in probability per unit",
            "eydx" => "relative change in probability per unit",
            "dyex" => "change in probability per relative change of the feature",
            _ => "elasticity of the probability",
        });
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }
}
