#:project ../src/TorchLogistic/TorchLogistic.csproj
#:project ../src/TorchLogistic.Plotting/TorchLogistic.Plotting.csproj
// Evaluation and inference (the story of notebooks/07-evaluation-and-inference.ipynb) on breast cancer, with
// malignant as the positive class: ROC and precision–recall curves, the confusion matrix at two thresholds,
// reliability diagrams, then standard errors, p-values and odds ratios per unit and per standard deviation, to PNG.
using TorchLogistic.Data;
using TorchLogistic.Inference;
using TorchLogistic.Metrics;
using TorchLogistic.Plotting;
using TorchLogistic.Training;

string outDir = args.Length > 0 ? args[0] : Path.Combine("runs", "samples");
Directory.CreateDirectory(outDir);
void write(ScottPlot.Plot plot, string name, int width, int height)
{
    string path = Path.Combine(outDir, name);
    using (plot) PlotImage.save_png(plot, path, width, height);
    Console.WriteLine($"wrote {path}");
}

var raw = BuiltinDatasets.load("breast-cancer");
// scikit-learn codes benign as 1; here the class to detect, malignant, is class 1 (the positive class).
var data = new Dataset(raw.name, raw.features, raw.n_samples, raw.n_features, raw.labels.Select(y => 1 - y).ToArray(),
    new[] { "benign", "malignant" }, raw.feature_names);
string[] chosen = { "mean radius", "mean texture", "mean smoothness", "mean symmetry" };
var (train, test) = TrainTestSplit.split(data.select_features(chosen), 0.2, seed: 0);
var (trainAll, testAll) = TrainTestSplit.split(data, 0.2, seed: 0);
var options = new TrainingOptions { standardize = true };
using var model = Trainer.fit(train, options);
using var modelAll = Trainer.fit(trainAll, options);
int[] y = test.labels;
double[] proba = model.predict_proba(test).values;
double[] p = ClassificationMetrics.column(proba, 2, 1);
double[] pAll = modelAll.predict_proba(testAll).column(1);

var roc = RankingMetrics.roc_curve(y, p);
var rocAll = RankingMetrics.roc_curve(y, pAll);
double auc = RankingMetrics.roc_auc_score(y, p), aucAll = RankingMetrics.roc_auc_score(y, pAll);
write(RocPlot.create(new[] { new RocSeries("4 features", roc.fpr, roc.tpr, auc), new RocSeries("all 30 features", rocAll.fpr, rocAll.tpr, aucAll) },
    "breast cancer test rows: ROC (positive = malignant)"), "07-roc.png", 700, 500);
var pr = RankingMetrics.precision_recall_curve(y, p);
var prAll = RankingMetrics.precision_recall_curve(y, pAll);
double ap = RankingMetrics.average_precision_score(y, p), apAll = RankingMetrics.average_precision_score(y, pAll);
write(PrecisionRecallPlot.create(new[]
{
    new PrecisionRecallSeries("4 features", pr.recall, pr.precision, ap, y.Average()),
    new PrecisionRecallSeries("all 30 features", prAll.recall, prAll.precision, apAll, y.Average()),
}, "breast cancer test rows: precision–recall of malignant"), "07-precision-recall.png", 700, 500);
Console.WriteLine($"test rows: 4 features AUC {auc:F4}, AP {ap:F4}; all 30 features AUC {aucAll:F4}, AP {apAll:F4}; share malignant {y.Average():F3}");

Console.WriteLine("threshold   malignant missed (FN)   benign flagged (FP)   precision   recall");
foreach (double t in new[] { 0.1, 0.2, 0.3, 0.5, 0.7, 0.9 })
{
    var e = Evaluation.of(y, proba, 2, t);
    Console.WriteLine($"{t,9:F1}   {e.confusion_matrix[1, 0],21}   {e.confusion_matrix[0, 1],19}   {e.precision,9:F3}   {e.recall,6:F3}");
}
write(ConfusionMatrixPlot.create(Evaluation.of(y, proba, 2, 0.5).confusion_matrix, data.classes, "test rows, threshold 0.5"), "07-confusion-0.5.png", 520, 450);
write(ConfusionMatrixPlot.create(Evaluation.of(y, proba, 2, 0.2).confusion_matrix, data.classes, "test rows, threshold 0.2"), "07-confusion-0.2.png", 520, 450);

var uniform = CalibrationCurve.of(y, p, 10);
var quantile = CalibrationCurve.of(y, p, 5, "quantile");
Console.WriteLine($"rows per bin: 10 equal-width bins [{string.Join(", ", uniform.counts)}]; 5 quantile bins [{string.Join(", ", quantile.counts)}]");
write(CalibrationPlot.create(uniform.prob_pred, uniform.prob_true, uniform.counts, uniform.bin_edges, "test rows, 10 equal-width bins", "malignant"), "07-calibration-uniform.png", 560, 520);
write(CalibrationPlot.create(quantile.prob_pred, quantile.prob_true, quantile.counts, quantile.bin_edges, "test rows, 5 quantile bins", "malignant"), "07-calibration-quantile.png", 560, 520);
Console.WriteLine($"Brier score: 4 features {ClassificationMetrics.brier_score_loss(y, p):F4}, all 30 features {ClassificationMetrics.brier_score_loss(y, pAll):F4}");

// Maximum likelihood on all rows (statsmodels' Logit), per unit and per standard deviation of each feature.
var four = data.select_features(chosen);
var perUnit = LogitInference.fit(four).result;
Console.WriteLine(perUnit.Summary());
var perSd = LogitInference.fit(four, standardize: true).result;
double[] sd = StandardScaler.fit(four).scale;
var unit = perUnit.equations[0];
var standard = perSd.equations[0];
Console.WriteLine("feature                 SD    odds ratio per unit   per SD (standardised fit)   exp(coef × SD)");
for (int j = 1; j < unit.names.Length; j++)
    Console.WriteLine($"{unit.names[j],-16} {sd[j - 1],9:G4} {unit.odds_ratio[j],21:G4} {standard.odds_ratio[j],27:F4} {Math.Exp(unit.coef[j] * sd[j - 1]),16:F4}");
write(OddsRatioPlot.create(OddsRatioPlot.rows_of(standard), "breast cancer: odds of malignancy per standard deviation (95% intervals)",
    "odds ratio per standard deviation (log scale)"), "07-odds-ratios.png", 900, 420);

// All 30 features separate the classes: no maximum-likelihood estimate exists, and the library says so.
var all30 = LogitInference.fit(data);
Console.WriteLine(all30.refusal is { } refusal ? $"{refusal.reason}: {refusal.message}" : "no refusal");
