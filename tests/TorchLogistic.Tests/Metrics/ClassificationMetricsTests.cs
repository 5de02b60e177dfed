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
    private static readonly JsonArray Cases = Read("metrics_sklearn.json")["cases"]!.AsArray();

    public static TheoryData<string> BinaryCases => new() { "binary_ties", "binary_continuous", "binary_never_positive" };

    public static TheoryData<string> MulticlassCases => new() { "multiclass_ties", "multiclass_unpredicted_class" };

    private static JsonNode Named(string name) => Cases.First(c => (string)c!["name"]! == name)!;

    private static (int[] Y, double[] Proba, int K, int[] Pred) Inputs(JsonNode c) =>
        (Ints(c["y_true"]), Doubles(c["proba"]), (int)c["n_classes"]!, Ints(c["y_pred"]));

    private static void Scores(JsonNode expected, AveragedScores actual, string what)
    {
        Close.Equal(Doubles(expected["precision"])[0], actual.Precision, 1e-14, 0, $"{what} precision");
        Close.Equal(Doubles(expected["recall"])[0], actual.Recall, 1e-14, 0, $"{what} recall");
        Close.Equal(Doubles(expected["f1"])[0], actual.F1, 1e-14, 0, $"{what} f1");
    }

    private static void LabelMetrics(JsonNode c, int[] y, int[] pred, int k)
    {
        Close.Equal((double)c["accuracy"]!, ClassificationMetrics.Accuracy(y, pred), 1e-15);
        Close.Equal((double)c["balanced_accuracy"]!, ClassificationMetrics.BalancedAccuracy(y, pred, k), 1e-14);
        foreach (string average in new[] { "macro", "weighted", "micro" })
            Scores(c[average]!, ClassificationMetrics.PrecisionRecallFScore(y, pred, k, average), average);
        var perClass = ClassificationMetrics.PrecisionRecallFScoreSupport(y, pred, k);
        Close.All(Doubles(c["per_class"]!["precision"]), perClass.Precision, 1e-14);
        Close.All(Doubles(c["per_class"]!["recall"]), perClass.Recall, 1e-14);
        Close.All(Doubles(c["per_class"]!["f1"]), perClass.F1, 1e-14);
        var cm = ClassificationMetrics.ConfusionMatrix(y, pred, k);
        Assert.Equal(Ints(c["confusion_matrix"]), cm.Cast<int>().ToArray());
    }

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void Binary_metrics_equal_scikit_learn(string name)
    {
        var c = Named(name);
        var (y, proba, k, expectedPred) = Inputs(c);
        double threshold = (double)c["threshold"]!;
        var pred = ClassificationMetrics.PredictWithThreshold(proba, threshold);
        Assert.Equal(expectedPred, pred);
        LabelMetrics(c, y, pred, k);
        Scores(c["binary"]!, ClassificationMetrics.PrecisionRecallFScore(y, pred, 2, "binary"), "binary");
        Close.Equal((double)c["log_loss"]!, ClassificationMetrics.LogLoss(y, proba, 2), 1e-14);
        double[] p1 = ClassificationMetrics.Column(proba, 2, 1);
        Close.Equal((double)c["brier_score"]!, ClassificationMetrics.BrierScoreLoss(y, p1), 1e-14);
        Close.Equal(2 * (double)c["brier_score"]!, ClassificationMetrics.BrierScoreMulticlass(y, proba, 2), 1e-14);

        var roc = RankingMetrics.RocCurve(y, p1);
        Close.All(Doubles(c["roc_curve"]!["fpr"]), roc.FalsePositiveRates, 1e-15, 0, "fpr");
        Close.All(Doubles(c["roc_curve"]!["tpr"]), roc.TruePositiveRates, 1e-15, 0, "tpr");
        Close.All(Doubles(c["roc_curve"]!["thresholds"]), roc.Thresholds, 1e-15, 0, "roc thresholds");
        Close.Equal((double)c["roc_auc"]!, RankingMetrics.RocAucScore(y, p1), 1e-14);

        var pr = RankingMetrics.PrecisionRecallCurve(y, p1);
        Close.All(Doubles(c["pr_curve"]!["precision"]), pr.Precision, 1e-15, 0, "precision");
        Close.All(Doubles(c["pr_curve"]!["recall"]), pr.Recall, 1e-15, 0, "recall");
        Close.All(Doubles(c["pr_curve"]!["thresholds"]), pr.Thresholds, 1e-15, 0, "pr thresholds");
        Close.Equal((double)c["average_precision"]!, RankingMetrics.AveragePrecisionScore(y, p1), 1e-14);

        foreach (var (key, value) in c["calibration"]!.AsObject())
        {
            string[] parts = key.Split('_');
            var curve = CalibrationCurve.Of(y, p1, int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), parts[0]);
            Close.All(Doubles(value!["prob_true"]), curve.TrueProbabilities, 1e-14, 0, $"{key} prob_true");
            Close.All(Doubles(value!["prob_pred"]), curve.PredictedProbabilities, 1e-14, 0, $"{key} prob_pred");
            Assert.Equal(y.Length, curve.Counts.Sum());
        }
    }

    [Theory]
    [MemberData(nameof(MulticlassCases))]
    public void Multiclass_metrics_equal_scikit_learn(string name)
    {
        var c = Named(name);
        var (y, proba, k, expectedPred) = Inputs(c);
        var pred = TorchLogistic.Training.FittedModel.ArgmaxRows(proba, k);
        Assert.Equal(expectedPred, pred);
        LabelMetrics(c, y, pred, k);
        Close.Equal((double)c["log_loss"]!, ClassificationMetrics.LogLoss(y, proba, k), 1e-14);
        Close.Equal((double)c["roc_auc_ovr_macro"]!, RankingMetrics.RocAucOneVsRest(y, proba, k), 1e-14);
        Close.Equal((double)c["roc_auc_ovr_weighted"]!, RankingMetrics.RocAucOneVsRest(y, proba, k, "weighted"), 1e-14);
        Close.Equal((double)c["average_precision_macro"]!, RankingMetrics.AveragePrecisionOneVsRest(y, proba, k), 1e-14);
        var perClass = c["per_class_roc"]!.AsArray();
        for (int j = 0; j < k; j++)
        {
            var isJ = y.Select(v => v == j ? 1 : 0).ToArray();
            var roc = RankingMetrics.RocCurve(isJ, ClassificationMetrics.Column(proba, k, j));
            Close.All(Doubles(perClass[j]!["fpr"]), roc.FalsePositiveRates, 1e-15, 0, $"class {j} fpr");
            Close.All(Doubles(perClass[j]!["tpr"]), roc.TruePositiveRates, 1e-15, 0, $"class {j} tpr");
            Close.All(Doubles(perClass[j]!["thresholds"]), roc.Thresholds, 1e-15, 0, $"class {j} thresholds");
        }
    }

    [Fact]
    public void Evaluation_collects_the_same_values()
    {
        var c = Named("binary_continuous");
        var (y, proba, _, _) = Inputs(c);
        var e = Evaluation.Of(y, proba, 2, threshold: 0.3);
        Assert.Equal(0.3, e.Threshold);
        Close.Equal((double)c["accuracy"]!, e.Accuracy, 1e-15);
        Close.Equal((double)c["balanced_accuracy"]!, e.BalancedAccuracy, 1e-14);
        Close.Equal(Doubles(c["binary"]!["f1"])[0], e.F1, 1e-14);
        Close.Equal((double)c["roc_auc"]!, e.RocAuc!.Value, 1e-14);
        Close.Equal((double)c["average_precision"]!, e.AveragePrecision!.Value, 1e-14);
        Close.Equal((double)c["brier_score"]!, e.BrierScore, 1e-14);

        var mc = Named("multiclass_ties");
        var (ym, pm, km, _) = Inputs(mc);
        var em = Evaluation.Of(ym, pm, km);
        Assert.Null(em.Threshold);
        Close.Equal(Doubles(mc["macro"]!["f1"])[0], em.F1, 1e-14);
        Close.Equal((double)mc["roc_auc_ovr_macro"]!, em.RocAuc!.Value, 1e-14);
        Assert.Throws<ArgumentException>(() => Evaluation.Of(ym, pm, km, threshold: 0.5));
    }

    [Fact]
    public void Ties_form_one_threshold_and_a_diagonal_roc_step()
    {
        // Two positives and two negatives all scored 0.5: one threshold, a straight line from (0,0) to (1,1), AUC ½.
        var roc = RankingMetrics.RocCurve(new[] { 1, 0, 1, 0 }, new[] { 0.5, 0.5, 0.5, 0.5 });
        Assert.Equal(new[] { 0.0, 1.0 }, roc.FalsePositiveRates);
        Assert.Equal(new[] { 0.0, 1.0 }, roc.TruePositiveRates);
        Assert.Equal(new[] { 1.5, 0.5 }, roc.Thresholds);
        Assert.Equal(0.5, RankingMetrics.RocAucScore(new[] { 1, 0, 1, 0 }, new[] { 0.5, 0.5, 0.5, 0.5 }));
    }

    [Fact]
    public void Bad_inputs_are_rejected_with_a_message_that_names_them()
    {
        Assert.Contains("3 true labels but 2", Assert.Throws<ArgumentException>(() => ClassificationMetrics.Accuracy(new[] { 0, 1, 1 }, new[] { 0, 1 })).Message);
        Assert.Contains("Only one class", Assert.Throws<ArgumentException>(() => RankingMetrics.RocAucScore(new[] { 1, 1 }, new[] { 0.2, 0.3 })).Message);
        Assert.Contains("outside [0, 1]", Assert.Throws<ArgumentException>(() => CalibrationCurve.Of(new[] { 0, 1 }, new[] { 0.2, 1.3 })).Message);
        Assert.Contains("Unknown average", Assert.Throws<ArgumentException>(() => ClassificationMetrics.F1Score(new[] { 0, 1 }, new[] { 0, 1 }, 2, "samples")).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassificationMetrics.PredictWithThreshold(new[] { 0.5, 0.5 }, 1.0));
    }
}
