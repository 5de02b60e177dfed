namespace TorchLogistic.Inference;

/// <summary>Predicted probabilities with confidence intervals, row-major <c>[row, class]</c>.</summary>
/// <param name="Classes">Class names (the columns).</param>
/// <param name="Level">Confidence level.</param>
/// <param name="RowCount">Rows.</param>
/// <param name="Probability">pᵢⱼ.</param>
/// <param name="Lower">Lower bounds.</param>
/// <param name="Upper">Upper bounds.</param>
public sealed record PredictionIntervalsResult(string[] Classes, double Level, int RowCount, double[] Probability, double[] Lower, double[] Upper)
{
    /// <summary>The probability of class <paramref name="j"/> in row <paramref name="i"/> with its interval.</summary>
    public (double Probability, double Lower, double Upper) this[int i, int j] =>
        (Probability[i * Classes.Length + j], Lower[i * Classes.Length + j], Upper[i * Classes.Length + j]);
}
