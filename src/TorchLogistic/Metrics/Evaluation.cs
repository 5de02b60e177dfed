using TorchLogistic.Data;
using TorchLogistic.Training;

namespace TorchLogistic.Metrics;

/// <summary>
/// How well a model does on a set of rows: scikit-learn's metrics of its probabilities and of its predictions.
/// Binary models predict class 1 when its probability is at least <see cref="Threshold"/> (0.5 by default);
/// multiclass models predict the most probable class. For two classes, precision, recall and F1 are those of
/// class 1 (scikit-learn's <c>average="binary"</c>); for more, their macro averages. AUC and average precision
/// are one-vs-rest macro averages for more than two classes, and null when the rows hold a single class.
/// </summary>
/// <param name="SampleCount">Rows evaluated.</param>
/// <param name="Accuracy">Share of rows classified correctly.</param>
/// <param name="LogLoss">scikit-learn's log loss (mean, natural log).</param>
public sealed record Evaluation(int SampleCount, double Accuracy, double LogLoss)
{
    /// <summary>The decision threshold of a binary model (null for multiclass).</summary>
    public double? Threshold { get; init; }

    /// <summary>Mean per-class recall.</summary>
    public double BalancedAccuracy { get; init; }

    /// <summary>Precision of class 1 (binary) or macro precision.</summary>
    public double Precision { get; init; }

    /// <summary>Recall of class 1 (binary) or macro recall.</summary>
    public double Recall { get; init; }

    /// <summary>F1 of class 1 (binary) or macro F1.</summary>
    public double F1 { get; init; }

    /// <summary>Precision, recall and F1 averaged over classes without weights.</summary>
    public AveragedScores? Macro { get; init; }

    /// <summary>Precision, recall and F1 averaged over classes weighted by support.</summary>
    public AveragedScores? Weighted { get; init; }

    /// <summary>Per-class precision, recall, F1 and support.</summary>
    public ClassScores? PerClass { get; init; }

    /// <summary>Confusion matrix, rows true class, columns predicted class, shape <c>(K, K)</c>.</summary>
    public int[,] ConfusionMatrix { get; init; } = new int[0, 0];

    /// <summary>Brier score: scikit-learn's binary <c>brier_score_loss</c>, or the multiclass sum over classes.</summary>
    public double BrierScore { get; init; }

    /// <summary>ROC AUC (one-vs-rest macro for multiclass), or null when only one class is present.</summary>
    public double? RocAuc { get; init; }

    /// <summary>Average precision (one-vs-rest macro for multiclass), or null when only one class is present.</summary>
    public double? AveragePrecision { get; init; }

    /// <summary>Evaluates <paramref name="model"/> on <paramref name="data"/> (raw features; the model's scaler applies).</summary>
    /// <param name="model">The trained model.</param>
    /// <param name="data">Rows to evaluate, with labels.</param>
    /// <param name="threshold">Binary models: predict class 1 when its probability is at least this (default 0.5).</param>
    public static Evaluation Of(FittedModel model, Dataset data, double? threshold = null) =>
        Of(data.Labels, model.PredictProbabilities(data).Values, model.Classes.Length, threshold);

    /// <summary>Evaluates probabilities <paramref name="proba"/>, row-major <c>(m, K)</c>, against labels <paramref name="yTrue"/>.</summary>
    /// <param name="yTrue">True class indices.</param>
    /// <param name="proba">Predicted probabilities, row-major <c>(m, K)</c>.</param>
    /// <param name="classCount">K ≥ 2.</param>
    /// <param name="threshold">Binary only: decision threshold in (0, 1) (default 0.5).</param>
    public static Evaluation Of(int[] yTrue, double[] proba, int classCount, double? threshold = null)
    {
        if (classCount < 2) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "Evaluation needs at least 2 classes.");
        ClassificationMetrics.CheckProba(proba, yTrue.Length, classCount);
        if (threshold.HasValue && classCount != 2)
            throw new ArgumentException($"A decision threshold applies to binary models; this one has {classCount} classes. Leave the threshold out.");
        bool binary = classCount == 2;
        double? t = binary ? threshold ?? 0.5 : null;
        int[] yPred = binary ? ClassificationMetrics.PredictWithThreshold(proba, t!.Value) : FittedModel.ArgmaxRows(proba, classCount);
        bool bothKinds = yTrue.Distinct().Count() > 1;
        double[]? positive = binary ? ClassificationMetrics.Column(proba, 2, 1) : null;
        var basic = FromConfusion(ClassificationMetrics.ConfusionMatrix(yTrue, yPred, classCount), ClassificationMetrics.LogLoss(yTrue, proba, classCount),
            binary ? ClassificationMetrics.BrierScoreLoss(yTrue, positive!) : ClassificationMetrics.BrierScoreMulticlass(yTrue, proba, classCount), t);
        return basic with
        {
            RocAuc = !bothKinds ? null
                : binary ? RankingMetrics.RocAucScore(yTrue, positive!)
                : EveryClassPresent(yTrue, classCount) ? RankingMetrics.RocAucOneVsRest(yTrue, proba, classCount) : null,
            AveragePrecision = !bothKinds ? null
                : binary ? RankingMetrics.AveragePrecisionScore(yTrue, positive!)
                : EveryClassPresent(yTrue, classCount) ? RankingMetrics.AveragePrecisionOneVsRest(yTrue, proba, classCount) : null,
        };
    }

    /// <summary>
    /// The evaluation that can be computed from the confusion matrix (accuracy, balanced accuracy, precision, recall,
    /// F1 per class and averaged) plus a log loss and Brier score summed elsewhere — what a streaming pass gathers
    /// (<see cref="StreamingEvaluation"/>). The ranking metrics (AUC, average precision) need every score at once
    /// and are null.
    /// </summary>
    /// <param name="confusionMatrix">Rows: true class, columns: predicted class, <c>(K, K)</c>, K ≥ 2.</param>
    /// <param name="logLoss">scikit-learn's log loss of the rows.</param>
    /// <param name="brierScore">Their Brier score (binary: of class 1; multiclass: summed over classes).</param>
    /// <param name="threshold">The decision threshold of a binary model, or null for multiclass.</param>
    public static Evaluation FromConfusion(int[,] confusionMatrix, double logLoss, double brierScore, double? threshold)
    {
        int classCount = confusionMatrix.GetLength(0);
        if (classCount < 2 || confusionMatrix.GetLength(1) != classCount)
            throw new ArgumentException($"A confusion matrix of {classCount} × {confusionMatrix.GetLength(1)} is not K × K with K ≥ 2.");
        bool binary = classCount == 2;
        int n = 0, correct = 0;
        for (int i = 0; i < classCount; i++)
        {
            correct += confusionMatrix[i, i];
            for (int j = 0; j < classCount; j++) n += confusionMatrix[i, j];
        }
        if (n == 0) throw new ArgumentException("Accuracy of zero rows is undefined.");
        var own = ClassificationMetrics.PrecisionRecallFScore(confusionMatrix, binary ? "binary" : "macro");
        return new Evaluation(n, (double)correct / n, logLoss)
        {
            Threshold = threshold,
            BalancedAccuracy = ClassificationMetrics.BalancedAccuracy(confusionMatrix),
            Precision = own.Precision,
            Recall = own.Recall,
            F1 = own.F1,
            Macro = ClassificationMetrics.PrecisionRecallFScore(confusionMatrix, "macro"),
            Weighted = ClassificationMetrics.PrecisionRecallFScore(confusionMatrix, "weighted"),
            PerClass = ClassificationMetrics.PrecisionRecallFScoreSupport(confusionMatrix),
            ConfusionMatrix = confusionMatrix,
            BrierScore = brierScore,
        };
    }

    private static bool EveryClassPresent(int[] yTrue, int classCount) => yTrue.Distinct().Count() == classCount;
}
