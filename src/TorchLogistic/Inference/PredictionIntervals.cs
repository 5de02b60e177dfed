namespace TorchLogistic.Inference;

/// <summary>
/// Confidence intervals for predicted class probabilities by the delta method on a linear predictor, transformed back.
/// For class j the predictor is <c>gⱼ = logit pⱼ</c>; with class 0 the reference and β₀ = 0,
/// <c>∂gⱼ/∂β_cu = (δⱼc − p_c)·x̃ᵤ/(1 − pⱼ)</c>, so <c>se(gⱼ) = √(∇gⱼᵀ Σ ∇gⱼ)</c> and the interval is
/// <c>σ(gⱼ ± z₁₋α/₂·se)</c>, inside (0, 1). For a binary model g₁ is the linear predictor x̃ᵀβ itself (statsmodels'
/// GLM <c>get_prediction</c>); for a multinomial one it is the log-odds of class j against all others.
/// </summary>
public static class PredictionIntervals
{
    /// <summary>Probabilities and intervals for <paramref name="rows"/> rows of <paramref name="features"/> (row-major, the model's scale).</summary>
    /// <param name="estimates">β and its covariance (<see cref="InferenceResult.Estimates"/>).</param>
    /// <param name="features">Rows in the scale the coefficients refer to (<see cref="LogitInference.ModelRows"/>), <c>(rows, d)</c>.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="level">Confidence level in (0, 1) (default 0.95).</param>
    public static PredictionIntervalsResult Of(CoefficientEstimates estimates, double[] features, int rows, double level = 0.95)
    {
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, $"level = {level} must be in (0, 1), e.g. 0.95.");
        int p = estimates.Names.Length, d = p - 1, equations = estimates.EquationCount, classes = estimates.Classes.Length;
        if (features.Length != (long)rows * d) throw new ArgumentException($"{features.Length} feature values for {rows} rows of {d} features.");
        double q = SpecialFunctions.NormalInverseCdf(0.5 + level / 2);
        var probability = new double[rows * classes];
        var lower = new double[rows * classes];
        var upper = new double[rows * classes];
        var z = new double[classes];
        var xt = new double[p];
        var gradient = new double[equations * p];
        for (int i = 0; i < rows; i++)
        {
            xt[0] = 1;
            Array.Copy(features, (long)i * d, xt, 1, d);
            double max = 0;
            z[0] = 0;
            for (int c = 1; c < classes; c++)
            {
                double s = 0;
                for (int u = 0; u < p; u++) s += estimates.Coefficients[(c - 1) * p + u] * xt[u];
                z[c] = s;
                max = Math.Max(max, s);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) sum += z[c] = Math.Exp(z[c] - max);
            for (int c = 0; c < classes; c++) z[c] /= sum;
            for (int j = 0; j < classes; j++)
            {
                double pj = z[j];
                for (int c = 1; c < classes; c++)
                {
                    double factor = ((j == c ? 1 : 0) - z[c]) / (1 - pj);
                    for (int u = 0; u < p; u++) gradient[(c - 1) * p + u] = factor * xt[u];
                }
                double variance = 0;
                for (int a = 0; a < gradient.Length; a++)
                {
                    if (gradient[a] == 0) continue;
                    for (int b = 0; b < gradient.Length; b++) variance += gradient[a] * estimates.Covariance[a, b] * gradient[b];
                }
                double g = Math.Log(pj) - Math.Log(1 - pj), half = q * Math.Sqrt(variance);
                probability[i * classes + j] = pj;
                lower[i * classes + j] = 1 / (1 + Math.Exp(-(g - half)));
                upper[i * classes + j] = 1 / (1 + Math.Exp(-(g + half)));
            }
        }
        return new PredictionIntervalsResult(estimates.Classes, level, rows, probability, lower, upper);
    }
}
