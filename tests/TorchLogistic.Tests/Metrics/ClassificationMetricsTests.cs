using System.Text.Json.Nodes;
using TorchLogistic.Metrics;
using TorchLogistic.Tests.Support;
using static TorchLogistic.Tests.Metrics.FixtureFile;

namespace TorchLogistic.Tests.Metrics;

/// <summary>
/// Every metric against scikit-learn 1.2.1 on the recorded cases of Fixtures/metrics_sklearn.json
/// (made by Fixtures/scripts/metrics_sklearn.py): binary with tied scores, continuous scores with a 0.3 threshold,
/// a binary case that never predicts the positive class, multiclass with ties, and a never-predicted class.
/// </summary>
public class ClassificationMetricsTests
{
    private static readonly JsonArray Cases = read("metrics_sklearn.json")["cases"]!.AsArray();

    public static TheoryData<string> BinaryCases => new() { "binary_ties", "binary_continuous", "binary_never_positive" };

    public static TheoryData<string> MulticlassCases => new() { "multiclass_ties", "multiclass_unpredicted_class" };

    private static JsonNode named(string name) => Cases.First(c => (string)c!["name"]! == name)!;

    private static (int[] Y, double[] Proba, int K, int[] Pred) inputs(JsonNode c) =>
        (ints(c["y_true"]), doubles(c["proba"]), (int)c["n_classes"]!, ints(c["y_pred"]));

    private static void scores(JsonNode expected, AveragedScores actual, string what)
    {
        Close.Equal(doubles(expected["precision"])[0], actual.precision, 1e-14, 0, $"{what} precision");
        Close.Equal(doubles(expected["recall"])[0], actual.recall, 1e-14, 0, $"{what} recall");
        Close.Equal(doubles(expected["f1"])[0], actual.f1, 1e-14, 0, $"{what} f1");
    }

    private static void label_metrics(JsonNode c, int[] y, int[] pred, int k)
    {
        Close.Equal((double)c["accuracy"]!, ClassificationMetrics.accuracy(y, pred), 1e-15);
        Close.Equal((double)c["balanced_accuracy"]!, ClassificationMetrics.balanced_accuracy(y, pred, k), 1e-14);
        foreach (string average in new[] { "macro", "weighted", "micro" })
            scores(c[average]!, ClassificationMetrics.precision_recall_fscore(y, pred, k, average), average);
        var perClass = ClassificationMetrics.precision_recall_fscore_support(y, pred, k);
        Close.All(doubles(c["per_class"]!["precision"]), perClass.precision, 1e-14);
        Close.All(doubles(c["per_class"]!["recall"]), perClass.recall, 1e-14);
        Close.All(doubles(c["per_class"]!["f1"]), perClass.f1, 1e-14);
        var cm = ClassificationMetrics.confusion_matrix(y, pred, k);
        Assert.Equal(ints(c["confusion_matrix"]), cm.Cast<int>().ToArray());
    }

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void Binary_metrics_equal_scikit_learn(string name)
    {
        var c = named(name);
        var (y, proba, k, expectedPred) = inputs(c);
        double threshold = (double)c["threshold"]!;
        var pred = ClassificationMetrics.predict_with_threshold(proba, threshold);
        Assert.Equal(expectedPred, pred);
        label_metrics(c, y, pred, k);
        scores(c["binary"]!, ClassificationMetrics.precision_recall_fscore(y, pred, 2, "binary"), "binary");
        Close.Equal((double)c["log_loss"]!, ClassificationMetrics.log_loss(y, proba, 2), 1e-14);
        double[] p1 = ClassificationMetrics.column(proba, 2, 1);
        Close.Equal((double)c["brier_score"]!, ClassificationMetrics.brier_score_loss(y, p1), 1e-14);
        Close.Equal(2 * (double)c["brier_score"]!, ClassificationMetrics.brier_score_multiclass(y, proba, 2), 1e-14);

        var roc = RankingMetrics.roc_curve(y, p1);
        Close.All(doubles(c["roc_curve"]!["fpr"]), roc.fpr, 1e-15, 0, "fpr");
        Close.All(doubles(c["roc_curve"]!["tpr"]), roc.tpr, 1e-15, 0, "tpr");
        Close.All(doubles(c["roc_curve"]!["thresholds"]), roc.thresholds, 1e-15, 0, "roc thresholds");
        Close.Equal((double)c["roc_auc"]!, RankingMetrics.roc_auc_score(y, p1), 1e-14);

        var pr = RankingMetrics.precision_recall_curve(y, p1);
        Close.All(doubles(c["pr_curve"]!["precision"]), pr.precision, 1e-15, 0, "precision");
        Close.All(doubles(c["pr_curve"]!["recall"]), pr.recall, 1e-15, 0, "recall");
        Close.All(doubles(c["pr_curve"]!["thresholds"]), pr.thresholds, 1e-15, 0, "pr thresholds");
        Close.Equal((double)c["average_precision"]!, RankingMetrics.average_precision_score(y, p1), 1e-14);

        foreach (var (key, value) in c["calibration"]!.AsObject())
        {
            string[] parts = key.Split('_');
            var curve = CalibrationCurve.of(y, p1, int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), parts[0]);
            Close.All(doubles(value!["prob_true"]), curve.prob_true, 1e-14, 0, $"{key} prob_true");
            Close.All(doubles(value!["prob_pred"]), curve.prob_pred, 1e-14, 0, $"{key} prob_pred");
            Assert.Equal(y.Length, curve.counts.Sum());
        }
    }

    [Theory]
    [MemberData(nameof(MulticlassCases))]
    public void Multiclass_metrics_equal_scikit_learn(string name)
    {
        var c = named(name);
        var (y, proba, k, expectedPred) = inputs(c);
        var pred = TorchLogistic.Training.FittedModel.argmax_rows(proba, k);
        Assert.Equal(expectedPred, pred);
        label_metrics(c, y, pred, k);
        Close.Equal((double)c["log_loss"]!, ClassificationMetrics.log_loss(y, proba, k), 1e-14);
        Close.Equal((double)c["roc_auc_ovr_macro"]!, RankingMetrics.roc_auc_ovr(y, proba, k), 1e-14);
        Close.Equal((double)c["roc_auc_ovr_weighted"]!, RankingMetrics.roc_auc_ovr(y, proba, k, "weighted"), 1e-14);
        Close.Equal((double)c["average_precision_macro"]!, RankingMetrics.average_precision_ovr(y, proba, k), 1e-14);
        var perClass = c["per_class_roc"]!.AsArray();
        for (int j = 0; j < k; j++)
        {
            var isJ = y.Select(v => v == j ? 1 : 0).ToArray();
            var roc = RankingMetrics.roc_curve(isJ, ClassificationMetrics.column(proba, k, j));
            Close.All(doubles(perClass[j]!["fpr"]), roc.fpr, 1e-15, 0, $"class {j} fpr");
            Close.All(doubles(perClass[j]!["tpr"]), roc.tpr, 1e-15, 0, $"class {j} tpr");
            Close.All(doubles(perClass[j]!["thresholds"]), roc.thresholds, 1e-15, 0, $"class {j} thresholds");
        }
    }

    [Fact]
    public void Evaluation_collects_the_same_values()
    {
        var c = named("binary_continuous");
        var (y, proba, _, _) = inputs(c);
        var e = Evaluation.of(y, proba, 2, threshold: 0.3);
        Assert.Equal(0.3, e.threshold);
        Close.Equal((double)c["accuracy"]!, e.accuracy, 1e-15);
        Close.Equal((double)c["balanced_accuracy"]!, e.balanced_accuracy, 1e-14);
        Close.Equal(doubles(c["binary"]!["f1"])[0], e.f1, 1e-14);
        Close.Equal((double)c["roc_auc"]!, e.roc_auc!.Value, 1e-14);
        Close.Equal((double)c["average_precision"]!, e.average_precision!.Value, 1e-14);
        Close.Equal((double)c["brier_score"]!, e.brier_score, 1e-14);

        var mc = named("multiclass_ties");
        var (ym, pm, km, _) = inputs(mc);
        var em = Evaluation.of(ym, pm, km);
        Assert.Null(em.threshold);
        Close.Equal(doubles(mc["macro"]!["f1"])[0], em.f1, 1e-14);
        Close.Equal((double)mc["roc_auc_ovr_macro"]!, em.roc_auc!.Value, 1e-14);
        Assert.Throws<ArgumentException>(() => Evaluation.of(ym, pm, km, threshold: 0.5));
    }

    [Fact]
    public void Ties_form_one_threshold_and_a_diagonal_roc_step()
    {
        // Two positives and two negatives all scored 0.5: one threshold, a straight line from (0,0) to (1,1), AUC ½.
        var roc = RankingMetrics.roc_curve(new[] { 1, 0, 1, 0 }, new[] { 0.5, 0.5, 0.5, 0.5 });
        Assert.Equal(new[] { 0.0, 1.0 }, roc.fpr);
        Assert.Equal(new[] { 0.0, 1.0 }, roc.tpr);
        Assert.Equal(new[] { 1.5, 0.5 }, roc.thresholds);
        Assert.Equal(0.5, RankingMetrics.roc_auc_score(new[] { 1, 0, 1, 0 }, new[] { 0.5, 0.5, 0.5, 0.5 }));
    }

    [Fact]
    public void Bad_inputs_are_rejected_with_a_message_that_names_them()
    {
        Assert.Contains("3 true labels but 2", Assert.Throws<ArgumentException>(() => ClassificationMetrics.accuracy(new[] { 0, 1, 1 }, new[] { 0, 1 })).Message);
        Assert.Contains("Only one class", Assert.Throws<ArgumentException>(() => RankingMetrics.roc_auc_score(new[] { 1, 1 }, new[] { 0.2, 0.3 })).Message);
        Assert.Contains("outside [0, 1]", Assert.Throws<ArgumentException>(() => CalibrationCurve.of(new[] { 0, 1 }, new[] { 0.2, 1.3 })).Message);
        Assert.Contains("Unknown average", Assert.Throws<ArgumentException>(() => ClassificationMetrics.f1_score(new[] { 0, 1 }, new[] { 0, 1 }, 2, "samples")).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassificationMetrics.predict_with_threshold(new[] { 0.5, 0.5 }, 1.0));
    }
}
