using ScottPlot;

namespace TorchLogistic.Plotting;

/// <summary>The logistic sigmoid σ(z) = 1/(1 + e⁻ᶻ) and its derivative σ'(z) = σ(z)(1 − σ(z)).</summary>
public static class SigmoidPlot
{
    /// <summary>Builds the chart over z ∈ [−<paramref name="range"/>, <paramref name="range"/>]; the caller disposes it.</summary>
    /// <param name="range">Half-width of the z axis (default 8).</param>
    /// <param name="points">Number of sample points (default 401).</param>
    public static Plot Create(double range = 8, int points = 401)
    {
        if (!(range > 0)) throw new ArgumentOutOfRangeException(nameof(range), range, "range must be > 0.");
        if (points < 2) throw new ArgumentOutOfRangeException(nameof(points), points, "points must be ≥ 2.");
        double[] z = Enumerable.Range(0, points).Select(i => -range + 2 * range * i / (points - 1)).ToArray();
        double[] s = z.Select(v => 1 / (1 + Math.Exp(-v))).ToArray();
        var plot = new Plot();
        var sigma = plot.Add.Scatter(z, s);
        sigma.LegendText = "σ(z) = 1 / (1 + e^(−z))";
        sigma.MarkerSize = 0;
        sigma.LineWidth = 3;
        var derivative = plot.Add.Scatter(z, s.Select(v => v * (1 - v)).ToArray());
        derivative.LegendText = "σ'(z) = σ(z)(1 − σ(z)), at most 1/4";
        derivative.MarkerSize = 0;
        derivative.LineWidth = 3;
        var half = plot.Add.HorizontalLine(0.5);
        half.LinePattern = LinePattern.Dotted;
        half.Color = Colors.Gray;
        half.LegendText = "σ(0) = 0.5";
        plot.Title("The logistic sigmoid and its derivative");
        plot.XLabel("z (logit, w·x + b)");
        plot.YLabel("value");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }
}
