using ScottPlot;

namespace TorchLogistic.Plotting;

/// <summary>
/// The learned coefficients of an image classifier drawn as images: one panel per class, each pixel's weight on a
/// diverging colour scale symmetric around 0 (shared by all panels), so a reader sees which pixels push towards
/// (red) or away from (blue) each class.
/// </summary>
public static class WeightImagesPlot
{
    /// <summary>One heat map panel per row of <paramref name="coef"/>.</summary>
    /// <param name="coef">Coefficients, row-major <c>(K, d)</c> with d = height·width, pixels row by row.</param>
    /// <param name="n_rows">K, the number of panels.</param>
    /// <param name="height">Image height (8 for digits, 28 for Fashion-MNIST).</param>
    /// <param name="width">Image width.</param>
    /// <param name="panel_titles">One title per panel (class names).</param>
    public static IReadOnlyList<Plot> panels(double[] coef, int n_rows, int height, int width, string[] panel_titles)
    {
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"Image shape {height}×{width} must be positive.");
        if (coef.Length != (long)n_rows * height * width)
            throw new ArgumentException($"{coef.Length} coefficients do not make {n_rows} images of {height}×{width} = {height * width} pixels.");
        if (panel_titles.Length != n_rows) throw new ArgumentException($"{panel_titles.Length} titles for {n_rows} panels.");
        double limit = Math.Max(coef.Max(Math.Abs), 1e-12);
        var result = new List<Plot>();
        for (int r = 0; r < n_rows; r++)
        {
            var values = new double[height, width];
            for (int i = 0; i < height; i++)
            {
                for (int j = 0; j < width; j++) values[i, j] = coef[(long)r * height * width + i * width + j];
            }
            var plot = new Plot();
            var heatmap = plot.Add.Heatmap(values);
            heatmap.Colormap = new ScottPlot.Colormaps.Balance();
            heatmap.ManualRange = new ScottPlot.Range(-limit, limit);
            heatmap.Rectangle = new CoordinateRect(0, width, 0, height);
            // Every panel gets the (shared) colour bar so that all panels have the same size.
            var bar = plot.Add.ColorBar(heatmap);
            bar.Label = "weight";
            plot.Axes.SetLimits(0, width, 0, height);
            // Square pixels; without a frame the margins that squaring adds stay blank.
            plot.Axes.SquareUnits();
            plot.Axes.Frame(false);
            plot.HideGrid();
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.EmptyTickGenerator();
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.EmptyTickGenerator();
            plot.Title(panel_titles[r], 14);
            plot.XLabel($"{width} pixels", 11);
            plot.YLabel($"{height} pixels", 11);
            result.Add(plot);
        }
        return result;
    }

    /// <summary>PNG bytes of all panels on a grid (5 per row by default) under <paramref name="title"/>.</summary>
    public static byte[] png(double[] coef, int n_rows, int height, int width, string[] panel_titles,
        string title = "Learned weights per class (red: evidence for the class, blue: against)", int image_width = 1500, int image_height = 700, int columns = 5)
    {
        int perRow = Math.Min(columns, n_rows);
        var plots = panels(coef, n_rows, height, width, panel_titles);
        try
        {
            return PlotImage.png(plots, perRow, title, image_width, image_height);
        }
        finally
        {
            foreach (var p in plots) p.Dispose();
        }
    }

    /// <summary>The image shape of features named like pixels (<c>pixel_r_c</c>, or any <c>pixel…</c> names of a square count), or null.</summary>
    public static (int Height, int Width)? image_shape(IReadOnlyList<string> feature_names)
    {
        int d = feature_names.Count;
        if (d < 4 || !feature_names.All(n => n.StartsWith("pixel", StringComparison.OrdinalIgnoreCase))) return null;
        var parts = feature_names.Select(n => n.Split('_')).ToArray();
        if (parts.All(p => p.Length == 3 && int.TryParse(p[1], out _) && int.TryParse(p[2], out _)))
        {
            int h = parts.Max(p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)) + 1;
            int w = parts.Max(p => int.Parse(p[2], System.Globalization.CultureInfo.InvariantCulture)) + 1;
            if (h * w == d) return (h, w);
        }
        int side = (int)Math.Round(Math.Sqrt(d));
        return side * side == d ? (side, side) : null;
    }
}
