using ScottPlot;

namespace TorchLogistic.Plotting;

/// <summary>
/// The decision regions of any classifier of two inputs: the predicted probability over a grid (binary) or the
/// predicted class (multiclass) as a background, the 0.5 contour for binary models, and the rows on top.
/// The model is a function, so polynomial features or any other transformation live in the caller.
/// </summary>
public static class DecisionBoundaryPlot
{
    /// <summary>Builds the chart; the caller disposes it.</summary>
    /// <param name="predictProbabilities">Maps grid points, row-major <c>(n, 2)</c> as (x₁, x₂), to probabilities: <c>n</c> values
    /// (P(class 1), binary) or <c>n·K</c> values (row-major, multiclass).</param>
    /// <param name="x1">First input of each row.</param>
    /// <param name="x2">Second input of each row.</param>
    /// <param name="labels">Class index of each row.</param>
    /// <param name="classes">Class names.</param>
    /// <param name="featureNames">Names of the two inputs (axis labels).</param>
    /// <param name="title">Chart title.</param>
    /// <param name="resolution">Grid cells per side (default 150).</param>
    public static Plot Create(Func<double[], double[]> predictProbabilities, double[] x1, double[] x2, int[] labels, string[] classes,
        string[] featureNames, string title = "Decision boundary", int resolution = 150)
    {
        if (x1.Length != x2.Length || x1.Length != labels.Length)
            throw new ArgumentException($"{x1.Length} x₁, {x2.Length} x₂ and {labels.Length} labels: one of each per row.");
        if (x1.Length == 0) throw new ArgumentException("A decision boundary plot needs rows to draw.");
        if (featureNames.Length != 2) throw new ArgumentException($"{featureNames.Length} feature names given; the plot has 2 inputs.");
        if (resolution < 2) throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "resolution must be ≥ 2.");
        int k = classes.Length;
        var (lo1, hi1) = Padded(x1);
        var (lo2, hi2) = Padded(x2);
        int n = resolution;
        var grid = new double[n * n * 2];
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < n; c++)
            {
                grid[(r * n + c) * 2] = lo1 + (hi1 - lo1) * (c + 0.5) / n;
                grid[(r * n + c) * 2 + 1] = lo2 + (hi2 - lo2) * (r + 0.5) / n;
            }
        }
        double[] p = predictProbabilities(grid);
        bool binary = p.Length == n * n;
        if (!binary && p.Length != n * n * k)
            throw new ArgumentException($"predict_proba returned {p.Length} values for {n * n} grid points; expected {n * n} (binary) or {n * n * k} ({k} classes).");

        var plot = new Plot();
        // Heatmap row 0 is drawn at the top, so grid row r (x₂ increasing) goes to row n − 1 − r.
        var values = new double[n, n];
        var surface = new Coordinates3d[n, n];
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < n; c++)
            {
                int g = r * n + c;
                double v = binary ? p[g] : Argmax(p, g, k);
                values[n - 1 - r, c] = v;
                surface[r, c] = new Coordinates3d(grid[g * 2], grid[g * 2 + 1], binary ? p[g] : 0);
            }
        }
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Rectangle = new CoordinateRect(lo1, hi1, lo2, hi2);
        heatmap.Colormap = binary ? new ScottPlot.Colormaps.Balance() : new ScottPlot.Colormaps.Turbo();
        heatmap.ManualRange = binary ? new ScottPlot.Range(0, 1) : new ScottPlot.Range(0, k - 1);
        heatmap.Opacity = 0.55;
        if (binary)
        {
            var bar = plot.Add.ColorBar(heatmap);
            bar.Label = $"P({classes[1]})";
            var contour = plot.Add.ContourLines(surface, 1);
            contour.ContourLineLevels = new[] { 0.5 };
            contour.Update(surface);
            contour.LineColor = Colors.Black;
            contour.LineWidth = 2;
            contour.LabelStyle.IsVisible = false;
            // Contour lines carry no legend entry: a zero-length line of the same style stands in for it.
            var key = plot.Add.Line(lo1, lo2, lo1, lo2);
            key.Color = Colors.Black;
            key.LineWidth = 2;
            key.LegendText = "decision boundary (P = 0.5)";
        }
        for (int cls = 0; cls < k; cls++)
        {
            var rows = Enumerable.Range(0, labels.Length).Where(i => labels[i] == cls).ToArray();
            if (rows.Length == 0) continue;
            var markers = plot.Add.Markers(rows.Select(i => x1[i]).ToArray(), rows.Select(i => x2[i]).ToArray(),
                cls % 2 == 0 ? MarkerShape.FilledCircle : MarkerShape.FilledSquare, 6,
                binary ? (cls == 0 ? Colors.Navy : Colors.DarkRed) : new ScottPlot.Colormaps.Turbo().GetColor(k == 1 ? 0 : (double)cls / (k - 1)));
            markers.MarkerStyle.OutlineColor = Colors.White;
            markers.MarkerStyle.OutlineWidth = 1;
            markers.LegendText = classes[cls];
        }
        plot.Axes.SetLimits(lo1, hi1, lo2, hi2);
        plot.Title(title);
        plot.XLabel(featureNames[0]);
        plot.YLabel(featureNames[1]);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static (double Lo, double Hi) Padded(double[] v)
    {
        double lo = v.Min(), hi = v.Max(), pad = Math.Max(hi - lo, 1e-9) * 0.08;
        return (lo - pad, hi + pad);
    }

    private static int Argmax(double[] p, int row, int k)
    {
        int best = 0;
        for (int j = 1; j < k; j++)
        {
            if (p[row * k + j] > p[row * k + best]) best = j;
        }
        return best;
    }
}
