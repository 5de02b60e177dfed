#:project ../src/TorchLogistic/TorchLogistic.csproj
#:project ../src/TorchLogistic.Plotting/TorchLogistic.Plotting.csproj
// Multiclass (the story of notebooks/06-multiclass.ipynb): one softmax regression against ten one-vs-rest binary
// models on digits — accuracy, log loss, per-class scores, confusion matrices, the rows the members disagree about —
// then the weights of the digits model and of a softmax model on a Fashion-MNIST subset as images, to PNG.
using TorchLogistic.Data;
using TorchLogistic.Metrics;
using TorchLogistic.Models;
using TorchLogistic.Plotting;
using TorchLogistic.Training;

string outDir = args.Length > 0 ? args[0] : Path.Combine("runs", "samples");
Directory.CreateDirectory(outDir);
void write(string name, byte[] png)
{
    string path = Path.Combine(outDir, name);
    File.WriteAllBytes(path, png);
    Console.WriteLine($"wrote {path}");
}

var digits = BuiltinDatasets.load("digits");
var (train, test) = TrainTestSplit.split(digits, 0.2, seed: 0);
var options = new TrainingOptions { standardize = true };
using var softmax = Trainer.fit(train, options with { model = ModelKind.Softmax });
using var ovr = Trainer.fit(train, options with { model = ModelKind.OneVsRest });
var softmaxTest = Evaluation.of(softmax, test);
var ovrTest = Evaluation.of(ovr, test);
Console.WriteLine($"digits: {train.n_samples} training and {test.n_samples} test rows");
Console.WriteLine($"softmax:     test accuracy {softmaxTest.accuracy:F4}, log loss {softmaxTest.log_loss:F4}");
Console.WriteLine($"one-vs-rest: test accuracy {ovrTest.accuracy:F4}, log loss {ovrTest.log_loss:F4}");
Console.WriteLine("digit   recall: softmax  one-vs-rest   precision: softmax  one-vs-rest");
for (int k = 0; k < digits.n_classes; k++)
    Console.WriteLine($"{digits.classes[k],5}   {softmaxTest.per_class!.recall[k],15:F3}  {ovrTest.per_class!.recall[k],11:F3}   {softmaxTest.per_class.precision[k],18:F3}  {ovrTest.per_class.precision[k],11:F3}");
using (var plot = ConfusionMatrixPlot.create(softmaxTest.confusion_matrix, digits.classes, "digits, softmax: test confusion matrix"))
    write("06-confusion-softmax.png", PlotImage.png(plot, 600, 500));
using (var plot = ConfusionMatrixPlot.create(ovrTest.confusion_matrix, digits.classes, "digits, one-vs-rest: test confusion matrix"))
    write("06-confusion-ovr.png", PlotImage.png(plot, 600, 500));

// Rows no member claims (all member probabilities < ½) or several claim: what the normalised probabilities hide.
var agreement = OneVsRestAgreement.of(ovr.member_proba(test), digits.n_classes);
Console.WriteLine($"of {agreement.n_rows} test rows: {agreement.claimed_once} claimed by exactly one member, {agreement.unclaimed} by none, " +
    $"{agreement.contested} by several; ties: {agreement.ties}; member probability sums {agreement.member_proba_sum.Min():F3} to {agreement.member_proba_sum.Max():F3}");
int[] softmaxPred = softmax.predict(test), ovrPred = ovr.predict(test);
double accuracy(int[] predicted, IEnumerable<int> rows) => rows.Average(i => predicted[i] == test.labels[i] ? 1.0 : 0.0);
var once = Enumerable.Range(0, test.n_samples).Where(i => agreement.claims[i] == 1).ToArray();
Console.WriteLine($"accuracy one-vs-rest / softmax: claimed once {accuracy(ovrPred, once):F3} / {accuracy(softmaxPred, once):F3}, " +
    $"unclaimed {accuracy(ovrPred, agreement.unclaimed_rows):F3} / {accuracy(softmaxPred, agreement.unclaimed_rows):F3}, " +
    $"contested {accuracy(ovrPred, agreement.contested_rows):F3} / {accuracy(softmaxPred, agreement.contested_rows):F3}");

int d = digits.n_features, K = digits.n_classes;
write("06-digits-weights.png", WeightImagesPlot.png(softmax.module.parameters_to_vector()[..(K * d)], K, 8, 8,
    digits.classes.Select(c => $"digit {c}").ToArray(), "digits, softmax: weight per standardised pixel and class (red: evidence for the class, blue: against)", 1500, 700));

// Fashion-MNIST: a subset (the first 10 000 training images, at most 100 iterations) keeps this to seconds.
var (fashionTrain, fashionTest) = FashionMnist.load();
var subset = fashionTrain.subset(Enumerable.Range(0, 10_000).ToArray());
using var fashion = Trainer.fit(subset, new TrainingOptions { model = ModelKind.Softmax, C = 0.1, max_iter = 100 });
var fashionEval = Evaluation.of(fashion, fashionTest);
Console.WriteLine($"fashion-mnist softmax on {subset.n_samples} of {fashionTrain.n_samples} training images ({fashion.result!.iterations} iterations): " +
    $"accuracy {fashionEval.accuracy:F4}, log loss {fashionEval.log_loss:F4} on all {fashionTest.n_samples} test images (published full-data benchmark: 0.842)");
write("06-fashion-weights.png", WeightImagesPlot.png(fashion.module.parameters_to_vector()[..(10 * 784)], 10, 28, 28, fashionTest.classes,
    "Fashion-MNIST (10 000-image subset), softmax: weight per pixel and class (red: for, blue: against)", 1500, 700));
