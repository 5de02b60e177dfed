using TorchLogistic.Metrics;

namespace TorchLogistic.Selection;

/// <summary>
/// The score of one held-out fold, with row weights (scikit-learn's scorers ignore them in
/// <c>LogisticRegressionCV</c>, scikit-learn#25906; without weights these are scikit-learn's <c>log_loss</c>,
/// <c>accuracy_score</c>, <c>roc_auc_score</c> and <c>balanced_accuracy_score</c>).
/// </summary>
public static class FoldScore
{
    /// <summary>Whether lower values of <paramref name="scoring"/> are better (a loss).</summary>
    public static bool LowerIsBetter(CrossValidationScoring scoring) => scoring == CrossValidationScoring.LogLoss;

    /// <summary>The name of <paramref name="scoring"/> in files and on the command line: log_loss, accuracy, roc_auc, balanced_accuracy.</summary>
    public static string NameOf(CrossValidationScoring scoring) => scoring switch
    {
        CrossValidationScoring.LogLoss => "log_loss",
        CrossValidationScoring.Accuracy => "accuracy",
        CrossValidationScoring.RocAuc => "roc_auc",
        _ => "balanced_accuracy",
    };

    /// <summary>The scoring named <paramref name="name"/> (see <see cref="NameOf"/>).</summary>
    public static CrossValidationScoring Parse(string name) => name switch
    {
        "log_loss" => CrossValidationScoring.LogLoss,
        "accuracy" => CrossValidationScoring.Accuracy,
        "roc_auc" => CrossValidationScoring.RocAuc,
        "balanced_accuracy" => CrossValidationScoring.BalancedAccuracy,
        _ => throw new ArgumentException($"Unknown scoring '{name}'. Use log_loss, accuracy, roc_auc or balanced_accuracy."),
    };

    /// <summary>
    /// The score of probabilities <paramref name="proba"/> (row-major <c>(m, K)</c>) for labels <paramref name="labels"/>.
    /// Predicted classes are the argmax (first on ties). ROC AUC is refused (with the fix) when a class is absent.
    /// </summary>
    /// <param name="scoring">What to compute.</param>
    /// <param name="labels">True class indices.</param>
    /// <param name="proba">Probabilities, row-major <c>(m, K)</c>.</param>
    /// <param name="classCount">K.</param>
    /// <param name="weight">Row weights, or null (all 1).</param>
    /// <param name="binaryLogits">Binary models: class 1's logit per row, which ranks the rows for the ROC AUC (as scikit-learn's scorer uses
    /// <c>decision_function</c>; probabilities that round to 1.0 would tie); null ranks by probability.</param>
    public static double Of(CrossValidationScoring scoring, int[] labels, double[] proba, int classCount, double[]? weight = null, double[]? binaryLogits = null)
    {
        int m = labels.Length;
        switch (scoring)
        {
            case CrossValidationScoring.LogLoss:
                return ClassificationMetrics.LogLoss(labels, proba, classCount, weight);
            case CrossValidationScoring.Accuracy:
            {
                int[] predicted = Training.FittedModel.ArgmaxRows(proba, classCount);
                double right = 0, total = 0;
                for (int i = 0; i < m; i++)
                {
                    double w = weight?[i] ?? 1;
                    total += w;
                    if (predicted[i] == labels[i]) right += w;
                }
                return right / total;
            }
            case CrossValidationScoring.BalancedAccuracy:
            {
                int[] predicted = Training.FittedModel.ArgmaxRows(proba, classCount);
                var right = new double[classCount];
                var total = new double[classCount];
                for (int i = 0; i < m; i++)
                {
                    double w = weight?[i] ?? 1;
                    total[labels[i]] += w;
                    if (predicted[i] == labels[i]) right[labels[i]] += w;
                }
                var present = Enumerable.Range(0, classCount).Where(k => total[k] > 0).ToArray();
                return present.Average(k => right[k] / total[k]);
            }
            default:
                if (classCount == 2) return Auc(labels, binaryLogits ?? ClassificationMetrics.Column(proba, 2, 1), 1, weight);
                return Enumerable.Range(0, classCount).Average(k => Auc(labels, ClassificationMetrics.Column(proba, classCount, k), k, weight));
        }
    }

    /// <summary>
    /// Weighted ROC AUC of <paramref name="score"/> for class <paramref name="positive"/> against the rest: the
    /// weighted share of (positive, negative) pairs ranked correctly, ties counting ½ (the trapezoidal area under the
    /// weighted ROC curve).
    /// </summary>
    private static double Auc(int[] labels, double[] score, int positive, double[]? weight)
    {
        int m = labels.Length;
        var order = Enumerable.Range(0, m).OrderBy(i => score[i]).ToArray();
        double negativesBelow = 0, pairs = 0, positives = 0, negatives = 0;
        int start = 0;
        while (start < m)
        {
            int end = start;
            double tiePositives = 0, tieNegatives = 0;
            while (end < m && score[order[end]] == score[order[start]])
            {
                int i = order[end];
                double w = weight?[i] ?? 1;
                if (labels[i] == positive) tiePositives += w; else tieNegatives += w;
                end++;
            }
            pairs += tiePositives * (negativesBelow + 0.5 * tieNegatives);
            negativesBelow += tieNegatives;
            positives += tiePositives;
            negatives += tieNegatives;
            start = end;
        }
        if (!(positives > 0) || !(negatives > 0))
            throw new ArgumentException("A held-out fold contains a single class, so its ROC AUC is undefined. Use fewer folds, stratified folds (no fold column), or another scoring (log_loss).");
        return pairs / (positives * negatives);
    }
}
