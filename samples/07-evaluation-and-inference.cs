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
void Write(ScottPlot.Plot plot, string name, int width, int height)
{
    string path = Path.Combine(outDir, name);
    using (plot) PlotImage.SavePng(plot, path, width, height);
    Console.WriteLine($"wrote {path}");
}

var raw = BuiltinDatasets.Load("breast-cancer");
// scikit-learn codes benign as 1; here the class to detect, malignant, is class 1 (the positive class).
var data = new Dataset(raw.Name, raw.Features, raw.SampleCount, raw.FeatureCount, raw.Labels.Select(y => 1 - y).ToArray(),
    new[] { "benign", "malignant" }, raw.FeatureNames);
string[] chosen = { "mean radius", "mean texture", "mean smoothness", "mean symmetry" };
var (train, test) = TrainTestSplit.Split(data.SelectFeatures(chosen), 0.2, seed: 0);
var (trainAll, testAll) = TrainTestSplit.Split(data, 0.2, seed: 0);
var options = new TrainingOptions { Standardize = true };
using var model = Trainer.Fit(train, options);
using var modelAll = Trainer.Fit(trainAll, options);
int[] y = test.Labels;
double[] proba = model.PredictProbabilities(test).Values;
double[] p = ClassificationMetrics.Column(proba, 2, 1);
double[] pAll = modelAll.PredictProbabilities(testAll).Column(1);

var roc = RankingMetrics.RocCurve(y, p);
var rocAll = RankingMetrics.RocCurve(y, pAll);
double auc = RankingMetrics.RocAucScore(y, p), aucAll = RankingMetrics.RocAucScore(y, pAll);
Write(RocPlot.Create(new[] { new RocSeries("4 features", roc.FalsePositiveRates, roc.TruePositiveRates, auc), new RocSeries("all 30 features", rocAll.FalsePositiveRates, rocAll.TruePositiveRates, aucAll) },
    "breast cancer test rows: ROC (positive = malignant)"), "07-roc.png", 700, 500);
var pr = RankingMetrics.PrecisionRecallCurve(y, p);
var prAll = RankingMetrics.PrecisionRecallCurve(y, pAll);
double ap = RankingMetrics.AveragePrecisionScore(y, p), apAll = RankingMetrics.AveragePrecisionScore(y, pAll);
Write(PrecisionRecallPlot.Create(new[]
{
    new PrecisionRecallSeries("4 features", pr.Recall, pr.Precision, ap, y.Average()),
    new PrecisionRecallSeries("all 30 features", prAll.Recall, prAll.Precision, apAll, y.Average()),
}, "breast cancer test rows: precision–recall of malignant"), "07-precision-recall.png", 700, 500);
Console.WriteLine($"test rows: 4 features AUC {auc:F4}, AP {ap:F4}; all 30 features AUC {aucAll:F4}, AP {apAll:F4}; share malignant {y.Average():F3}");

Console.WriteLine("threshold   malignant missed (FN)   benign flagged (FP)   precision   recall");
foreach (double t in new[] { 0.1, 0.2, 0.3, 0.5, 0.7, 0.9 })
{
    var e = Evaluation.Of(y, proba, 2, t);
    Console.WriteLine($"{t,9:F1}   {e.ConfusionMatrix[1, 0],21}   {e.ConfusionMatrix[0, 1],19}   {e.Precision,9:F3}   {e.Recall,6:F3}");
}
Write(ConfusionMatrixPlot.Create(Evaluation.Of(y, proba, 2, 0.5).ConfusionMatrix, data.Classes, "test rows, threshold 0.5"), "07-confusion-0.5.png", 520, 450);
Write(ConfusionMatrixPlot.Create(Evaluation.Of(y, proba, 2, 0.2).ConfusionMatrix, data.Classes, "test rows, threshold 0.2"), "07-confusion-0.2.png", 520, 450);

var uniform = CalibrationCurve.Of(y, p, 10);
var quantile = CalibrationCurve.Of(y, p, 5, "quantile");
Console.WriteLine($"rows per bin: 10 equal-width bins [{string.Join(", ", uniform.Counts)}]; 5 quantile bins [{string.Join(", ", quantile.Counts)}]");
Write(CalibrationPlot.Create(uniform.PredictedProbabilities, uniform.TrueProbabilities, uniform.Counts, uniform.BinEdges, "test rows, 10 equal-width bins", "malignant"), "07-calibration-uniform.png", 560, 520);
Write(CalibrationPlot.Create(quantile.PredictedProbabilities, quantile.TrueProbabilities, quantile.Counts, quantile.BinEdges, "test rows, 5 quantile bins", "malignant"), "07-calibration-quantile.png", 560, 520);
Console.WriteLine($"Brier score: 4 features {ClassificationMetrics.BrierScoreLoss(y, p):F4}, all 30 features {ClassificationMetrics.BrierScoreLoss(y, pAll):F4}");

// Maximum likelihood on all rows (statsmodels' Logit), per unit and per standard deviation of each feature.
var four = data.SelectFeatures(chosen);
var perUnit = LogitInference.Fit(four).Result;
Console.WriteLine(perUnit.Summary());
var perSd = LogitInference.Fit(four, standardize: true).Result;
double[] sd = StandardScaler.Fit(four).Scale;
var unit = perUnit.Equations[0];
var standard = perSd.Equations[0];
Console.WriteLine("feature                 SD    odds ratio per unit   per SD (standardised fit)   exp(coef × SD)");
for (int j = 1; j < unit.Names.Length; j++)
    Console.WriteLine($"{unit.Names[j],-16} {sd[j - 1],9:G4} {unit.OddsRatio[j],21:G4} {standard.OddsRatio[j],27:F4} {Math.Exp(unit.Coefficients[j] * sd[j - 1]),16:F4}");
Write(OddsRatioPlot.Create(OddsRatioPlot.RowsOf(standard), "breast cancer: odds of malignancy per standard deviation (95% intervals)",
    "odds ratio per standard deviation (log scale)"), "07-odds-ratios.png", 900, 420);

// All 30 features separate the classes: no maximum-likelihood estimate exists, and the library says so.
var all30 = LogitInference.Fit(data);
Console.WriteLine(all30.Refusal is { } refusal ? $"{refusal.Reason}: {refusal.Message}" : "no refusal");
