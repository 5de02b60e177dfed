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

var data = SyntheticPatients.generate(4000, seed: 0);
var (train, test) = TrainTestSplit.split(data, 0.3, seed: 0);
TorchSharp.torch.set_num_threads(ThreadPolicy.choose(train.n_samples, train.n_features, 1));
int[] counts = train.class_counts();
Console.WriteLine($"{data.n_samples} patients, {data.labels.Sum()} die ({data.labels.Average():P1})");
Console.WriteLine($"training rows: {train.n_samples} ({counts[0]} survive, {counts[1]} die); test rows: {test.n_samples} ({test.labels.Sum()} die)");

double[] alpha = SampleWeights.balanced(train.labels, 2);
Console.WriteLine($"balanced class weights: α₀ (survives) = {alpha[0]:F4}, α₁ (dies) = {alpha[1]:F4}");
var options = new TrainingOptions { standardize = true };
using var plain = Trainer.fit(train, options);
using var weighted = Trainer.fit(train, options with { class_weight = ClassWeightMode.Balanced });
var models = new[] { (Name: "plain BCE", Model: plain), (Name: "balanced weights", Model: weighted) };

var rocSeries = new List<RocSeries>();
var prSeries = new List<PrecisionRecallSeries>();
var confusion = new List<ScottPlot.Plot>();
var calibration = new List<ScottPlot.Plot>();
foreach (var (name, model) in models)
{
    var e = Evaluation.of(model, test, 0.5);
    double[] p = model.predict_proba(test).column(1);
    Console.WriteLine($"{name,-17} at 0.5: accuracy {e.accuracy:F3}, balanced accuracy {e.balanced_accuracy:F3}, recall {e.recall:F3}, precision {e.precision:F3}, " +
        $"false negatives {e.confusion_matrix[1, 0]}, false positives {e.confusion_matrix[0, 1]}; ROC AUC {e.roc_auc:F4}, average precision {e.average_precision:F4}; " +
        $"mean P(dies) {p.Average():F3}, log loss {e.log_loss:F4}, Brier {e.brier_score:F4}");
    var roc = RankingMetrics.roc_curve(test.labels, p);
    var pr = RankingMetrics.precision_recall_curve(test.labels, p);
    rocSeries.Add(new RocSeries(name, roc.fpr, roc.tpr, e.roc_auc!.Value, OperatingPoint.roc(e.confusion_matrix, 0.5)));
    prSeries.Add(new PrecisionRecallSeries(name, pr.recall, pr.precision, e.average_precision!.Value, test.labels.Average(), OperatingPoint.precision_recall(e.confusion_matrix, 0.5)));
    confusion.Add(ConfusionMatrixPlot.create(e.confusion_matrix, data.classes, $"{name}, threshold 0.5"));
    var c = CalibrationCurve.of(test.labels, p, 10);
    calibration.Add(CalibrationPlot.create(c.prob_pred, c.prob_true, c.counts, c.bin_edges, $"{name}: calibration", "dies"));
}

// Weighting ≈ moving the threshold: the plain model at α₀/(α₀ + α₁) against the weighted one at 0.5.
double[] thetaPlain = plain.module.parameters_to_vector(), thetaWeighted = weighted.module.parameters_to_vector();
int d = train.n_features;
Console.WriteLine($"intercept shift {thetaWeighted[d] - thetaPlain[d]:F3}   ln(α₁/α₀) = {Math.Log(alpha[1] / alpha[0]):F3}");
double moved = alpha[0] / (alpha[0] + alpha[1]);
foreach (var (name, model, threshold) in new[] { ("plain BCE", plain, moved), ("balanced weights", weighted, 0.5) })
{
    var e = Evaluation.of(model, test, threshold);
    Console.WriteLine($"{name,-17} at threshold {threshold:F4}: recall {e.recall:F3}, precision {e.precision:F3}, false negatives {e.confusion_matrix[1, 0]}, false positives {e.confusion_matrix[0, 1]}");
}

void write(string file, byte[] png)
{
    File.WriteAllBytes(Path.Combine(outDir, file), png);
    Console.WriteLine($"wrote {Path.Combine(outDir, file)}");
}
write("04-confusion.png", PlotImage.png(confusion, 2, "Test rows: confusion matrices at threshold 0.5", 1000, 430));
write("04-calibration.png", PlotImage.png(calibration, 2, "Test rows: calibration of the predicted risk", 900, 470));
using (var roc = RocPlot.create(rocSeries, "Test rows: ROC curves and operating points at 0.5")) write("04-roc.png", PlotImage.png(roc, 700, 520));
using (var pr = PrecisionRecallPlot.create(prSeries, "Test rows: precision–recall curves and operating points at 0.5")) write("04-pr.png", PlotImage.png(pr, 700, 520));
foreach (var plot in confusion.Concat(calibration)) plot.Dispose();
