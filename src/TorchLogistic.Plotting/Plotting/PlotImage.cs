using ScottPlot;
using TorchLogistic.IO;

namespace TorchLogistic.Plotting;

/// <summary>Turns charts into PNG bytes or files (written atomically), and composes panels under one title.</summary>
public static class PlotImage
{
    /// <summary>PNG bytes of <paramref name="plot"/> at <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    public static byte[] Png(Plot plot, int width = 800, int height = 600)
    {
        CheckSize(width, height);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>Renders <paramref name="plot"/> to a PNG file, atomically.</summary>
    public static void SavePng(Plot plot, string path, int width = 800, int height = 600) =>
        AtomicFile.WriteAllBytes(path, Png(plot, width, height));

    /// <summary>
    /// PNG bytes of several panels on a grid under a common title: a title strip, then
    /// <paramref name="columns"/> panels per row, filled row by row.
    /// </summary>
    /// <param name="panels">The panels; each is rendered into its own cell.</param>
    /// <param name="columns">Panels per row (≥ 1).</param>
    /// <param name="title">Title above the grid.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    public static byte[] Png(IReadOnlyList<Plot> panels, int columns, string title, int width, int height)
    {
        CheckSize(width, height);
        if (panels.Count == 0) throw new ArgumentException("A panel grid needs at least one panel.");
        if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns), columns, "columns must be ≥ 1.");
        int rows = (panels.Count + columns - 1) / columns;
        float titleHeight = Math.Min(50, height / 8f);
        using var surface = SkiaSharp.SKSurface.Create(new SkiaSharp.SKImageInfo(width, height)) ?? throw new InvalidOperationException($"Cannot allocate a {width}×{height} image.");
        var canvas = surface.Canvas;
        canvas.Clear(SkiaSharp.SKColors.White);
        // Each piece is rendered on its own and pasted: a plot rendering into a shared canvas clears all of it.
        using (var header = new Plot())
        {
            header.HideAxesAndGrid();
            header.Title(title, 20);
            Paste(canvas, header, 0, 0, width, (int)titleHeight);
        }
        int cellWidth = width / columns, cellHeight = (int)((height - titleHeight) / rows);
        for (int i = 0; i < panels.Count; i++)
            Paste(canvas, panels[i], i % columns * cellWidth, (int)titleHeight + i / columns * cellHeight, cellWidth, cellHeight);
        using var image = new Image(surface);
        return image.GetImageBytes(ImageFormat.Png, 100);
    }

    private static void Paste(SkiaSharp.SKCanvas canvas, Plot plot, int left, int top, int width, int height)
    {
        using var bitmap = SkiaSharp.SKBitmap.Decode(plot.GetImageBytes(width, height, ImageFormat.Png));
        canvas.DrawBitmap(bitmap, left, top);
    }

    private static void CheckSize(int width, int height)
    {
        if (width < 50 || height < 50 || width > 10_000 || height > 10_000)
            throw new ArgumentOutOfRangeException(nameof(width), $"Image size {width}×{height} must be between 50 and 10000 pixels on each side.");
    }
}
