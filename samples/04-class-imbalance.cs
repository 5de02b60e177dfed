#:project ../src/TorchLogistic/TorchLogistic.csproj
#:project ../src/TorchLogistic.Plotting/TorchLogistic.Plotting.csproj
// Class imbalance (the story of notebooks/04-class-imbalance.ipynb): plain vs class-weighted binary cross-entropy on
// made-up patients of whom a few die (Data/SyntheticPatients.cs); confusion matrices at 0.5, ROC and precision–recall
// curves with the operating points, and calibration, to PNG.
using TorchLogistic.Data;
using TorchLogistic.Metrics;
using TorchLogistic.Plotting;
using TorchLogistic.Training;

string outDir = args.Length > 0 ? args[0] : Path.Combine("runs", "samples");
Directory.CreateDirectory(outDir);

var data = SyntheticPatients.Generate(4000, seed: 0);
var (train, test) = TrainTestSplit.Split(data, 0.3, seed: 0);
TorchSharp.torch.set_num_threads(ThreadPolicy.Choose(train.SampleCount, train.FeatureCount, 1));
int[] counts = train.ClassCounts();
Console.WriteLine($"{data.SampleCount} patients, {data.Labels.Sum()} die ({data.Labels.Average():P1})");
Console.WriteLine($"training rows: {train.SampleCount} ({counts[0]} survive, {counts[1]} die); test rows: {test.SampleCount} ({test.Labels.Sum()} die)");

double[] alpha = SampleWeights.Balanced(train.Labels, 2);
Console.WriteLine($"balanced class weights: α₀ (survives) = {alpha[0]:F4}, α₁ (dies) = {alpha[1]:F4}");
var options = new TrainingOptions { Standardize = true };
using var plain = Trainer.Fit(train, options);
using var weighted = Trainer.Fit(train, options with { ClassWeight = ClassWeightMode.Balanced });
var models = new[] { (Name: "plain BCE", Model: plain), (Name: "balanced weights", Model: weighted) };

var rocSeries = new List<RocSeries>();
var prSeries = new List<PrecisionRecallSeries>();
var confusion = new List<ScottPlot.Plot>();
var calibration = new List<ScottPlot.Plot>();
foreach (var (name, model) in models)
{
    var e = Evaluation.Of(model, test, 0.5);
    double[] p = model.PredictProbabilities(test).Column(1);
    Console.WriteLine($"{name,-17} at 0.5: accuracy {e.Accuracy:F3}, balanced accuracy {e.BalancedAccuracy:F3}, recall {e.Recall:F3}, precision {e.Precision:F3}, " +
        $"false negatives {e.ConfusionMatrix[1, 0]}, false positives {e.ConfusionMatrix[0, 1]}; ROC AUC {e.RocAuc:F4}, average precision {e.AveragePrecision:F4}; " +
        $"mean P(dies) {p.Average():F3}, log loss {e.LogLoss:F4}, Brier {e.BrierScore:F4}");
    var roc = RankingMetrics.RocCurve(test.Labels, p);
    var pr = RankingMetrics.PrecisionRecallCurve(test.Labels, p);
    rocSeries.Add(new RocSeries(name, roc.FalsePositiveRates, roc.TruePositiveRates, e.RocAuc!.Value, OperatingPoint.Roc(e.ConfusionMatrix, 0.5)));
    prSeries.Add(new PrecisionRecallSeries(name, pr.Recall, pr.Precision, e.AveragePrecision!.Value, test.Labels.Average(), OperatingPoint.PrecisionRecall(e.ConfusionMatrix, 0.5)));
    confusion.Add(ConfusionMatrixPlot.Create(e.ConfusionMatrix, data.Classes, $"{name}, threshold 0.5"));
    var c = CalibrationCurve.Of(test.Labels, p, 10);
    calibration.Add(CalibrationPlot.Create(c.PredictedProbabilities, c.TrueProbabilities, c.Counts, c.BinEdges, $"{name}: calibration", "dies"));
}

// Weighting ≈ moving the threshold: the plain model at α₀/(α₀ + α₁) against the weighted one at 0.5.
double[] thetaPlain = plain.Module.ParametersToVector(), thetaWeighted = weighted.Module.ParametersToVector();
int d = train.FeatureCount;
Console.WriteLine($"intercept shift {thetaWeighted[d] - thetaPlain[d]:F3}   ln(α₁/α₀) = {Math.Log(alpha[1] / alpha[0]):F3}");
double moved = alpha[0] / (alpha[0] + alpha[1]);
foreach (var (name, model, threshold) in new[] { ("plain BCE", plain, moved), ("balanced weights", weighted, 0.5) })
{
    var e = Evaluation.Of(model, test, threshold);
    Console.WriteLine($"{name,-17} at threshold {threshold:F4}: recall {e.Recall:F3}, precision {e.Precision:F3}, false negatives {e.ConfusionMatrix[1, 0]}, false positives {e.ConfusionMatrix[0, 1]}");
}

void Write(string file, byte[] png)
{
    File.WriteAllBytes(Path.Combine(outDir, file), png);
    Console.WriteLine($"wrote {Path.Combine(outDir, file)}");
}
Write("04-confusion.png", PlotImage.Png(confusion, 2, "Test rows: confusion matrices at threshold 0.5", 1000, 430));
Write("04-calibration.png", PlotImage.Png(calibration, 2, "Test rows: calibration of the predicted risk", 900, 470));
using (var roc = RocPlot.Create(rocSeries, "Test rows: ROC curves and operating points at 0.5")) Write("04-roc.png", PlotImage.Png(roc, 700, 520));
using (var pr = PrecisionRecallPlot.Create(prSeries, "Test rows: precision–recall curves and operating points at 0.5")) Write("04-pr.png", PlotImage.Png(pr, 700, 520));
foreach (var plot in confusion.Concat(calibration)) plot.Dispose();
