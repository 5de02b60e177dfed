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
        of(data.labels, model.predict_proba(data), model.classes.Length, threshold);

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
        var own = binary
            ? ClassificationMetrics.precision_recall_fscore(y_true, y_pred, 2, "binary")
            : ClassificationMetrics.precision_recall_fscore(y_true, y_pred, n_classes, "macro");
        bool bothKinds = y_true.Distinct().Count() > 1;
        double[]? positive = binary ? ClassificationMetrics.column(proba, 2, 1) : null;
        return new Evaluation(y_true.Length, ClassificationMetrics.accuracy(y_true, y_pred), ClassificationMetrics.log_loss(y_true, proba, n_classes))
        {
            threshold = t,
            balanced_accuracy = ClassificationMetrics.balanced_accuracy(y_true, y_pred, n_classes),
            precision = own.precision,
            recall = own.recall,
            f1 = own.f1,
            macro = ClassificationMetrics.precision_recall_fscore(y_true, y_pred, n_classes, "macro"),
            weighted = ClassificationMetrics.precision_recall_fscore(y_true, y_pred, n_classes, "weighted"),
            per_class = ClassificationMetrics.precision_recall_fscore_support(y_true, y_pred, n_classes),
            confusion_matrix = ClassificationMetrics.confusion_matrix(y_true, y_pred, n_classes),
            brier_score = binary ? ClassificationMetrics.brier_score_loss(y_true, positive!) : ClassificationMetrics.brier_score_multiclass(y_true, proba, n_classes),
            roc_auc = !bothKinds ? null
                : binary ? RankingMetrics.roc_auc_score(y_true, positive!)
                : every_class_present(y_true, n_classes) ? RankingMetrics.roc_auc_ovr(y_true, proba, n_classes) : null,
            average_precision = !bothKinds ? null
                : binary ? RankingMetrics.average_precision_score(y_true, positive!)
                : every_class_present(y_true, n_classes) ? RankingMetrics.average_precision_ovr(y_true, proba, n_classes) : null,
        };
    }

    private static bool every_class_present(int[] y_true, int n_classes) => y_true.Distinct().Count() == n_classes;
}
