using TorchLogistic.Data;
using TorchLogistic.Training;

namespace TorchLogistic.Metrics;

/// <summary>
/// How well a model does on a set of rows: scikit-learn's metrics of its probabilities and of its predictions.
/// Binary models predict class 1 when its probability is at least <see cref="threshold"/> (0.5 by default);
/// multiclass models predict the most probable class. For two classes, precision, recall and F1 are those of
/// class 1 (scikit-learn's <c>average="binary"</c>); for more, their macro averages. AUC and average precision
/// are one-vs-rest macro averages for more than two classes, and null when the rows hold a single class.
/// </summary>
/// <param name="n_samples">Rows evaluated.</param>
/// <param name="accuracy">Share of rows classified correctly.</param>
/// <param name="log_loss">scikit-learn's log loss (mean, natural log).</param>
public sealed record Evaluation(int n_samples, double accuracy, double log_loss)
{
    /// <summary>The decision threshold of a binary model (null for multiclass).</summary>
    public double? threshold { get; init; }

    /// <summary>Mean per-class recall.</summary>
    public double balanced_accuracy { get; init; }

    /// <summary>Precision of class 1 (binary) or macro precision.</summary>
    public double precision { get; init; }

    /// <summary>Recall of class 1 (binary) or macro recall.</summary>
    public double recall { get; init; }

    /// <summary>F1 of class 1 (binary) or macro F1.</summary>
    public double f1 { get; init; }

    /// <summary>Precision, recall and F1 averaged over classes without weights.</summary>
    public AveragedScores? macro { get; init; }

    /// <summary>Precision, recall and F1 averaged over classes weighted by support.</summary>
    public AveragedScores? weighted { get; init; }

    /// <summary>Per-class precision, recall, F1 and support.</summary>
    public ClassScores? per_class { get; init; }

    /// <summary>Confusion matrix, rows true class, columns predicted class, shape <c>(K, K)</c>.</summary>
    public int[,] confusion_matrix { get; init; } = new int[0, 0];

    /// <summary>Brier score: scikit-learn's binary <c>brier_score_loss</c>, or the multiclass sum over classes.</summary>
    public double brier_score { get; init; }

    /// <summary>ROC AUC (one-vs-rest macro for multiclass), or null when only one class is present.</summary>
    public double? roc_auc { get; init; }

    /// <summary>Average precision (one-vs-rest macro for multiclass), or null when only one class is present.</summary>
    public double? average_precision { get; init; }

    /// <summary>Evaluates <paramref name="model"/> on <paramref name="data"/> (raw features; the model's scaler applies).</summary>
    /// <param name="model">The trained model.</param>
    /// <param name="data">Rows to evaluate, with labels.</param>
    /// <param name="threshold">Binary models: predict class 1 when its probability is at least this (default 0.5).</param>
    public static Evaluation of(FittedModel model, Dataset data, double? threshold = null) =>
        of(data.labels, model.predict_proba(data).values, model.classes.Length, threshold);

    /// <summary>Evaluates probabilities <paramref name="proba"/>, row-major <c>(m, K)</c>, against labels <paramref name="y_true"/>.</summary>
    /// <param name="y_true">True class indices.</param>
    /// <param name="proba">Predicted probabilities, row-major <c>(m, K)</c>.</param>
    /// <param name="n_classes">K ≥ 2.</param>
    /// <param name="threshold">Binary only: decision threshold in (0, 1) (default 0.5).</param>
    public static Evaluation of(int[] y_true, double[] proba, int n_classes, double? threshold = null)
    {
        if (n_classes < 2) throw new ArgumentOutOfRangeException(nameof(n_classes), n_classes, "Evaluation needs at least 2 classes.");
        ClassificationMetrics.check_proba(proba, y_true.Length, n_classes);
        if (threshold.HasValue && n_classes != 2)
            throw new ArgumentException($"A decision threshold applies to binary models; this one has {n_classes} classes. Leave the threshold out.");
        bool binary = n_classes == 2;
        double? t = binary ? threshold ?? 0.5 : null;
        int[] y_pred = binary ? ClassificationMetrics.predict_with_threshold(proba, t!.Value) : FittedModel.argmax_rows(proba, n_classes);
        bool bothKinds = y_true.Distinct().Count() > 1;
        double[]? positive = binary ? ClassificationMetrics.column(proba, 2, 1) : null;
        var basic = from_confusion(ClassificationMetrics.confusion_matrix(y_true, y_pred, n_classes), ClassificationMetrics.log_loss(y_true, proba, n_classes),
            binary ? ClassificationMetrics.brier_score_loss(y_true, positive!) : ClassificationMetrics.brier_score_multiclass(y_true, proba, n_classes), t);
        return basic with
        {
            roc_auc = !bothKinds ? null
                : binary ? RankingMetrics.roc_auc_score(y_true, positive!)
                : every_class_present(y_true, n_classes) ? RankingMetrics.roc_auc_ovr(y_true, proba, n_classes) : null,
            average_precision = !bothKinds ? null
                : binary ? RankingMetrics.average_precision_score(y_true, positive!)
                : every_class_present(y_true, n_classes) ? RankingMetrics.average_precision_ovr(y_true, proba, n_classes) : null,
        };
    }

    /// <summary>
    /// The evaluation that can be computed from the confusion matrix (accuracy, balanced accuracy, precision, recall,
    /// F1 per class and averaged) plus a log loss and Brier score summed elsewhere — what a streaming pass gathers
    /// (<see cref="StreamingEvaluation"/>). The ranking metrics (AUC, average precision) need every score at once
    /// and are null.
    /// </summary>
    /// <param name="confusion_matrix">Rows: true class, columns: predicted class, <c>(K, K)</c>, K ≥ 2.</param>
    /// <param name="log_loss">scikit-learn's log loss of the rows.</param>
    /// <param name="brier_score">Their Brier score (binary: of class 1; multiclass: summed over classes).</param>
    /// <param name="threshold">The decision threshold of a binary model, or null for multiclass.</param>
    public static Evaluation from_confusion(int[,] confusion_matrix, double log_loss, double brier_score, double? threshold)
    {
        int n_classes = confusion_matrix.GetLength(0);
        if (n_classes < 2 || confusion_matrix.GetLength(1) != n_classes)
            throw new ArgumentException($"A confusion matrix of {n_classes} × {confusion_matrix.GetLength(1)} is not K × K with K ≥ 2.");
        bool binary = n_classes == 2;
        int n = 0, correct = 0;
        for (int i = 0; i < n_classes; i++)
        {
            correct += confusion_matrix[i, i];
            for (int j = 0; j < n_classes; j++) n += confusion_matrix[i, j];
        }
        if (n == 0) throw new ArgumentException("Accuracy of zero rows is undefined.");
        var own = ClassificationMetrics.precision_recall_fscore(confusion_matrix, binary ? "binary" : "macro");
        return new Evaluation(n, (double)correct / n, log_loss)
        {
            threshold = threshold,
            balanced_accuracy = ClassificationMetrics.balanced_accuracy(confusion_matrix),
            precision = own.precision,
            recall = own.recall,
            f1 = own.f1,
            macro = ClassificationMetrics.precision_recall_fscore(confusion_matrix, "macro"),
            weighted = ClassificationMetrics.precision_recall_fscore(confusion_matrix, "weighted"),
            per_class = ClassificationMetrics.precision_recall_fscore_support(confusion_matrix),
            confusion_matrix = confusion_matrix,
            brier_score = brier_score,
        };
    }

    private static bool every_class_present(int[] y_true, int n_classes) => y_true.Distinct().Count() == n_classes;
}
