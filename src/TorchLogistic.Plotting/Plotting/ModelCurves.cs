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
    /// <param name="binaryLabel">Legend label of a binary model's curve (multiclass curves are "class vs rest").</param>
    public static (List<RocSeries> Roc, List<PrecisionRecallSeries> PrecisionRecall) Of(Probabilities proba, int[] labels, string binaryLabel)
    {
        if (proba.RowCount != labels.Length)
            throw new ArgumentException($"{proba.RowCount} rows of probabilities but {labels.Length} labels.");
        int k = proba.ClassCount;
        var roc = new List<RocSeries>();
        var pr = new List<PrecisionRecallSeries>();
        foreach (int cls in k == 2 ? new[] { 1 } : Enumerable.Range(0, Math.Min(k, 10)))
        {
            int[] positive = labels.Select(v => v == cls ? 1 : 0).ToArray();
            if (positive.All(v => v == 0) || positive.All(v => v == 1)) continue;
            double[] score = proba.Column(cls);
            string label = k == 2 ? binaryLabel : $"{proba.Classes[cls]} vs rest";
            var r = RankingMetrics.RocCurve(positive, score);
            roc.Add(new RocSeries(label, r.FalsePositiveRates, r.TruePositiveRates, RankingMetrics.Auc(r.FalsePositiveRates, r.TruePositiveRates)));
            var p = RankingMetrics.PrecisionRecallCurve(positive, score);
            pr.Add(new PrecisionRecallSeries(label, p.Recall, p.Precision, RankingMetrics.AveragePrecisionScore(positive, score), positive.Average()));
        }
        return (roc, pr);
    }

    /// <summary>
    /// The curves of <paramref name="model"/> on <paramref name="data"/>, labelled with the positive class; a binary
    /// model's curves mark its operating point at <paramref name="threshold"/> (default 0.5).
    /// </summary>
    public static (List<RocSeries> Roc, List<PrecisionRecallSeries> PrecisionRecall) Of(FittedModel model, Dataset data, double? threshold)
    {
        var proba = model.PredictProbabilities(data);
        var (roc, pr) = Of(proba, data.Labels, model.Classes[^1]);
        if (model.Classes.Length == 2 && roc.Count == 1)
        {
            // The operating point from the same probabilities (Evaluation's rule: class 1 when p ≥ t), not a second pass.
            double t = threshold ?? 0.5;
            int[,] confusion = ClassificationMetrics.ConfusionMatrix(data.Labels, ClassificationMetrics.PredictWithThreshold(proba.Values, t), 2);
            roc[0] = roc[0] with { OperatingPoint = OperatingPoint.Roc(confusion, t) };
            pr[0] = pr[0] with { OperatingPoint = OperatingPoint.PrecisionRecall(confusion, t) };
        }
        return (roc, pr);
    }

    /// <summary>The default title of a model's curve chart: "<paramref name="what"/> (N rows)", ", one-vs-rest" for multiclass.</summary>
    public static string Title(string what, FittedModel model, Dataset data) =>
        $"{what} ({data.SampleCount} rows{(model.Classes.Length > 2 ? ", one-vs-rest" : "")})";

    /// <summary>Throws when the rows left no curve to draw (<paramref name="series"/> is empty).</summary>
    public static void RequireCurves<T>(List<T> series, string what)
    {
        if (series.Count == 0)
            throw new ArgumentException($"The rows hold a single class, so there is no {what} curve; evaluate on rows with both positives and negatives.");
    }
}
