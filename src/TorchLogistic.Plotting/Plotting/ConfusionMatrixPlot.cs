using ScottPlot;
using TorchLogistic.Data;
using TorchLogistic.Metrics;
using TorchLogistic.Training;

namespace TorchLogistic.Plotting;

/// <summary>
/// A confusion matrix as a heat map: rows true classes, columns predicted classes, colour the share of each true
/// class (row-normalised, so rare classes are readable), and the count written in every cell.
/// </summary>
public static class ConfusionMatrixPlot
{
    /// <summary>
    /// The confusion matrix of <paramref name="model"/> on <paramref name="data"/> (<see cref="Evaluation.ConfusionMatrix"/>),
    /// titled with the accuracy. The caller disposes it.
    /// </summary>
    /// <param name="model">The trained model.</param>
    /// <param name="data">Labelled rows (raw features; the model's scaler applies).</param>
    /// <param name="threshold">Binary models: predict class 1 when its probability is at least this (default 0.5).</param>
    /// <param name="title">Chart title (default "Confusion matrix (N rows, accuracy A)").</param>
    public static Plot From(FittedModel model, Dataset data, double? threshold = null, string? title = null)
    {
        var evaluation = model.Evaluate(data, threshold);
        var c = System.Globalization.CultureInfo.InvariantCulture;
        string thresholdText = evaluation.Threshold is { } t ? $", threshold {t.ToString("0.###", c)}" : "";
        return Create(evaluation.ConfusionMatrix, model.Classes,
            title ?? $"Confusion matrix ({data.SampleCount} rows{thresholdText}, accuracy {evaluation.Accuracy.ToString("F3", c)})");
    }

    /// <summary>Builds the chart; the caller disposes it.</summary>
    /// <param name="matrix">Counts <c>C[true, predicted]</c>, shape <c>(K, K)</c>.</param>
    /// <param name="classes">K class names.</param>
    /// <param name="title">Chart title.</param>
    public static Plot Create(int[,] matrix, string[] classes, string title = "Confusion matrix")
    {
        int k = classes.Length;
        if (matrix.GetLength(0) != k || matrix.GetLength(1) != k)
            throw new ArgumentException($"The matrix is {matrix.GetLength(0)}×{matrix.GetLength(1)} but there are {k} classes.");
        var share = new double[k, k];
        for (int i = 0; i < k; i++)
        {
            double row = 0;
            for (int j = 0; j < k; j++) row += matrix[i, j];
            for (int j = 0; j < k; j++) share[i, j] = row > 0 ? matrix[i, j] / row : 0;
        }
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(share);
        // ScottPlot's Blues runs dark to light; reversed, a larger share is darker.
        heatmap.Colormap = new ScottPlot.Colormaps.Blues().Reversed();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        // Rectangle sets the outer edges (Extent would set the centres of the edge cells). Row 0 of the heat map is
        // drawn at the top: true class 0 at the top, as scikit-learn's display.
        heatmap.Rectangle = new CoordinateRect(-0.5, k - 0.5, -0.5, k - 0.5);
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = "share of the true class";
        float fontSize = k <= 5 ? 18 : k <= 10 ? 12 : 8;
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
            {
                var text = plot.Add.Text(matrix[i, j].ToString(System.Globalization.CultureInfo.InvariantCulture), j, k - 1 - i);
                text.Alignment = Alignment.MiddleCenter;
                text.LabelFontSize = fontSize;
                text.LabelFontColor = share[i, j] > 0.5 ? Colors.White : Colors.Black;
            }
        }
        var positions = Enumerable.Range(0, k).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, classes);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, classes.Reverse().ToArray());
        plot.Axes.SetLimits(-0.5, k - 0.5, -0.5, k - 0.5);
        plot.HideGrid();
        plot.Title(title);
        plot.XLabel("predicted class");
        plot.YLabel("true class");
        return plot;
    }
}
