using System.Globalization;

namespace TorchLogistic.Plotting;

/// <summary>
/// Where a binary classifier operates on its ROC or precision–recall curve at one decision threshold: the curve
/// shows every threshold, the point the one whose predictions are used.
/// </summary>
/// <param name="X">False positive rate (ROC) or recall (precision–recall).</param>
/// <param name="Y">True positive rate (ROC) or precision (precision–recall).</param>
/// <param name="Threshold">The decision threshold, shown in the legend.</param>
public sealed record OperatingPoint(double X, double Y, double Threshold)
{
    /// <summary>The ROC point (FP/(FP + TN), TP/(TP + FN)) of a binary confusion matrix <c>C[true, predicted]</c>.</summary>
    /// <param name="confusion">2 × 2 counts at <paramref name="threshold"/>, e.g. <c>Evaluation.ConfusionMatrix</c>.</param>
    /// <param name="threshold">The threshold the counts were taken at.</param>
    public static OperatingPoint Roc(int[,] confusion, double threshold)
    {
        var (tn, fp, fn, tp) = Cells(confusion);
        return new OperatingPoint(Ratio(fp, fp + tn), Ratio(tp, tp + fn), threshold);
    }

    /// <summary>The precision–recall point (TP/(TP + FN), TP/(TP + FP)) of a binary confusion matrix; precision is 1 when nothing is predicted positive, as the curve's end.</summary>
    /// <param name="confusion">2 × 2 counts at <paramref name="threshold"/>.</param>
    /// <param name="threshold">The threshold the counts were taken at.</param>
    public static OperatingPoint PrecisionRecall(int[,] confusion, double threshold)
    {
        var (_, fp, fn, tp) = Cells(confusion);
        return new OperatingPoint(Ratio(tp, tp + fn), tp + fp == 0 ? 1 : Ratio(tp, tp + fp), threshold);
    }

    /// <summary>Legend text: "<paramref name="label"/> at threshold t".</summary>
    public string Legend(string label) => $"{label} at threshold {Threshold.ToString("0.###", CultureInfo.InvariantCulture)}";

    private static (int Tn, int Fp, int Fn, int Tp) Cells(int[,] c)
    {
        if (c.GetLength(0) != 2 || c.GetLength(1) != 2)
            throw new ArgumentException($"An operating point needs a binary (2 × 2) confusion matrix; this one is {c.GetLength(0)} × {c.GetLength(1)}.");
        return (c[0, 0], c[0, 1], c[1, 0], c[1, 1]);
    }

    private static double Ratio(int a, int b) => b == 0 ? 0 : (double)a / b;
}
