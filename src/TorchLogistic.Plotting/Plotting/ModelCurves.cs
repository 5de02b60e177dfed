using TorchLogistic.Data;
using TorchLogistic.Metrics;
using TorchLogistic.Training;

namespace TorchLogistic.Plotting;

/// <summary>
/// The ROC and precision–recall curves of a model's probabilities on labelled rows: class 1's curve for a binary
/// model, one-vs-rest curves of the first 10 classes for a multiclass one (a class absent from the rows, or the only
/// one present, has no curve).
/// </summary>
internal static class ModelCurves
{
    /// <summary>The curves of <paramref name="proba"/> against <paramref name="labels"/>.</summary>
    /// <param name="proba">Class probabilities of the rows.</param>
    /// <param name="labels">True class indices of the rows.</param>
    /// <param name="binary_label">Legend label of a binary model's curve (multiclass curves are "class vs rest").</param>
    public static (List<RocSeries> Roc, List<PrecisionRecallSeries> PrecisionRecall) of(Probabilities proba, int[] labels, string binary_label)
    {
        if (proba.n_rows != labels.Length)
            throw new ArgumentException($"{proba.n_rows} rows of probabilities but {labels.Length} labels.");
        int k = proba.n_classes;
        var roc = new List<RocSeries>();
        var pr = new List<PrecisionRecallSeries>();
        foreach (int cls in k == 2 ? new[] { 1 } : Enumerable.Range(0, Math.Min(k, 10)))
        {
            int[] positive = labels.Select(v => v == cls ? 1 : 0).ToArray();
            if (positive.All(v => v == 0) || positive.All(v => v == 1)) continue;
            double[] score = proba.column(cls);
            string label = k == 2 ? binary_label : $"{proba.classes[cls]} vs rest";
            var r = RankingMetrics.roc_curve(positive, score);
            roc.Add(new RocSeries(label, r.fpr, r.tpr, RankingMetrics.auc(r.fpr, r.tpr)));
            var p = RankingMetrics.precision_recall_curve(positive, score);
            pr.Add(new PrecisionRecallSeries(label, p.recall, p.precision, RankingMetrics.average_precision_score(positive, score), positive.Average()));
        }
        return (roc, pr);
    }

    /// <summary>
    /// The curves of <paramref name="model"/> on <paramref name="data"/>, labelled with the positive class; a binary
    /// model's curves mark its operating point at <paramref name="threshold"/> (default 0.5).
    /// </summary>
    public static (List<RocSeries> Roc, List<PrecisionRecallSeries> PrecisionRecall) of(FittedModel model, Dataset data, double? threshold)
    {
        var (roc, pr) = of(model.predict_proba(data), data.labels, model.classes[^1]);
        if (model.classes.Length == 2 && roc.Count == 1)
        {
            double t = threshold ?? 0.5;
            int[,] confusion = model.evaluate(data, t).confusion_matrix;
            roc[0] = roc[0] with { operating_point = OperatingPoint.roc(confusion, t) };
            pr[0] = pr[0] with { operating_point = OperatingPoint.precision_recall(confusion, t) };
        }
        return (roc, pr);
    }

    /// <summary>Throws when the rows left no curve to draw (<paramref name="series"/> is empty).</summary>
    public static void require_curves<T>(List<T> series, string what)
    {
        if (series.Count == 0)
            throw new ArgumentException($"The rows hold a single class, so there is no {what} curve; evaluate on rows with both positives and negatives.");
    }
}
