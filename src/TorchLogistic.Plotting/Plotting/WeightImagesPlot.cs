using ScottPlot;

namespace TorchLogistic.Plotting;

/// <summary>
/// The learned coefficients of an image classifier drawn as images: one panel per class, each pixel's weight on a
/// diverging colour scale symmetric around 0 (shared by all panels), so a reader sees which pixels push towards
/// (red) or away from (blue) each class.
/// </summary>
public static class WeightImagesPlot
{
    /// <summary>One heat map panel per row of <paramref name="coefficients"/>.</summary>
    /// <param name="coefficients">Coefficients, row-major <c>(K, d)</c> with d = height·width, pixels row by row.</param>
    /// <param name="rowCount">K, the number of panels.</param>
    /// <param name="height">Image height (8 for digits, 28 for Fashion-MNIST).</param>
    /// <param name="width">Image width.</param>
    /// <param name="panelTitles">One title per panel (class names).</param>
    public static IReadOnlyList<Plot> Panels(double[] coefficients, int rowCount, int height, int width, string[] panelTitles)
    {
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"Image shape {height}×{width} must be positive.");
        if (coefficients.Length != (long)rowCount * height * width)
            throw new ArgumentException($"{coefficients.Length} coefficients do not make {rowCount} images of {height}×{width} = {height * width} pixels.");
        if (panelTitles.Length != rowCount) throw new ArgumentException($"{panelTitles.Length} titles for {rowCount} panels.");
        double limit = Math.Max(coefficients.Max(Math.Abs), 1e-12);
        var result = new List<Plot>();
        for (int r = 0; r < rowCount; r++)
        {
            var values = new double[height, width];
            for (int i = 0; i < height; i++)
            {
                for (int j = 0; j < width; j++) values[i, j] = coefficients[(long)r * height * width + i * width + j];
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
            plot.Title(panelTitles[r], 14);
            plot.XLabel($"{width} pixels", 11);
            plot.YLabel($"{height} pixels", 11);
            result.Add(plot);
        }
        return result;
    }

    /// <summary>PNG bytes of all panels on a grid (5 per row by default) under <paramref name="title"/>.</summary>
    public static byte[] Png(double[] coefficients, int rowCount, int height, int width, string[] panelTitles,
        string title = "Learned weights per class (red: evidence for the class, blue: against)", int imageWidth = 1500, int imageHeight = 700, int columns = 5)
    {
        int perRow = Math.Min(columns, rowCount);
        var plots = Panels(coefficients, rowCount, height, width, panelTitles);
        try
        {
            return PlotImage.Png(plots, perRow, title, imageWidth, imageHeight);
        }
        finally
        {
            foreach (var p in plots) p.Dispose();
        }
    }

    /// <summary>The image shape of features named like pixels (<c>pixel_r_c</c>, or any <c>pixel…</c> names of a square count), or null.</summary>
    public static (int Height, int Width)? ImageShape(IReadOnlyList<string> featureNames)
    {
        int d = featureNames.Count;
        if (d < 4 || !featureNames.All(n => n.StartsWith("pixel", StringComparison.OrdinalIgnoreCase))) return null;
        var parts = featureNames.Select(n => n.Split('_')).ToArray();
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
