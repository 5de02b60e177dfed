namespace TorchLogistic.Metrics;

/// <summary>Classification metrics with scikit-learn's definitions. Probabilities are row-major <c>(m, K)</c>.</summary>
public static class ClassificationMetrics
{
    /// <summary>Share of rows whose predicted class equals the true class.</summary>
    public static double accuracy(int[] y_true, int[] y_pred)
    {
        check_lengths(y_true.Length, y_pred.Length);
        if (y_true.Length == 0) throw new ArgumentException("Accuracy of zero rows is undefined.");
        int correct = 0;
        for (int i = 0; i < y_true.Length; i++)
        {
            if (y_true[i] == y_pred[i]) correct++;
        }
        return (double)correct / y_true.Length;
    }

    /// <summary>
    /// Mean negative log-likelihood of the true classes, as scikit-learn 1.2's <c>log_loss</c>: probabilities are
    /// clipped to [ε, 1 − ε] with ε the float64 machine epsilon, each row renormalised to sum 1, then
    /// <c>−(1/Σwᵢ) Σ wᵢ ln pᵢ,yᵢ</c>.
    /// </summary>
    /// <param name="y_true">True class indices.</param>
    /// <param name="proba">Predicted probabilities, row-major <c>(m, K)</c>.</param>
    /// <param name="n_classes">K.</param>
    /// <param name="sample_weight">Optional row weights.</param>
    public static double log_loss(int[] y_true, double[] proba, int n_classes, double[]? sample_weight = null)
    {
        int m = y_true.Length;
        if (proba.Length != (long)m * n_classes)
            throw new ArgumentException($"{proba.Length} probabilities for {m} rows × {n_classes} classes.");
        if (sample_weight != null) check_lengths(m, sample_weight.Length);
        const double eps = 2.220446049250313e-16;
        double total = 0, weights = 0;
        for (int i = 0; i < m; i++)
        {
            double rowSum = 0;
            for (int k = 0; k < n_classes; k++) rowSum += Math.Clamp(proba[i * n_classes + k], eps, 1 - eps);
            double p = Math.Clamp(proba[i * n_classes + y_true[i]], eps, 1 - eps) / rowSum;
            double w = sample_weight?[i] ?? 1.0;
            total -= w * Math.Log(p);
            weights += w;
        }
        return total / weights;
    }

    private static void check_lengths(int a, int b)
    {
        if (a != b) throw new ArgumentException($"Length mismatch: {a} true labels but {b} values.");
    }
}
