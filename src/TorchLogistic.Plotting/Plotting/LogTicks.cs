using ScottPlot;

namespace TorchLogistic.Plotting;

/// <summary>
/// ScottPlot 5 has no logarithmic axis: a chart draws log₁₀ of its values and labels the axis with decades
/// (<c>1e-3</c>, <c>1e-2</c>, …) and log-spaced minor ticks.
/// </summary>
internal static class LogTicks
{
    /// <summary>The points (x, y) with log₁₀ applied to the coordinates on a log axis; points with a value ≤ 0 there are left out.</summary>
    public static (double[] X, double[] Y) Points(double[] x, double[] y, bool logX, bool logY)
    {
        if (x.Length != y.Length) throw new ArgumentException($"{x.Length} x values but {y.Length} y values: give one of each per point.");
        var keep = Enumerable.Range(0, x.Length).Where(i => (!logX || x[i] > 0) && (!logY || y[i] > 0)).ToArray();
        return (keep.Select(i => logX ? Math.Log10(x[i]) : x[i]).ToArray(), keep.Select(i => logY ? Math.Log10(y[i]) : y[i]).ToArray());
    }

    /// <summary>Labels <paramref name="axis"/>, which shows log₁₀ values, with decades and log-spaced minor ticks.</summary>
    public static void Apply(IAxis axis) =>
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => $"1e{v:0}",
        };
}
