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
void Write(string name, byte[] png)
{
    string path = Path.Combine(outDir, name);
    File.WriteAllBytes(path, png);
    Console.WriteLine($"wrote {path}");
}

var digits = BuiltinDatasets.Load("digits");
var (train, test) = TrainTestSplit.Split(digits, 0.2, seed: 0);
var options = new TrainingOptions { Standardize = true };
using var softmax = Trainer.Fit(train, options with { Model = ModelKind.Softmax });
using var ovr = Trainer.Fit(train, options with { Model = ModelKind.OneVsRest });
var softmaxTest = Evaluation.Of(softmax, test);
var ovrTest = Evaluation.Of(ovr, test);
Console.WriteLine($"digits: {train.SampleCount} training and {test.SampleCount} test rows");
Console.WriteLine($"softmax:     test accuracy {softmaxTest.Accuracy:F4}, log loss {softmaxTest.LogLoss:F4}");
Console.WriteLine($"one-vs-rest: test accuracy {ovrTest.Accuracy:F4}, log loss {ovrTest.LogLoss:F4}");
Console.WriteLine("digit   recall: softmax  one-vs-rest   precision: softmax  one-vs-rest");
for (int k = 0; k < digits.ClassCount; k++)
    Console.WriteLine($"{digits.Classes[k],5}   {softmaxTest.PerClass!.Recall[k],15:F3}  {ovrTest.PerClass!.Recall[k],11:F3}   {softmaxTest.PerClass.Precision[k],18:F3}  {ovrTest.PerClass.Precision[k],11:F3}");
using (var plot = ConfusionMatrixPlot.Create(softmaxTest.ConfusionMatrix, digits.Classes, "digits, softmax: test confusion matrix"))
    Write("06-confusion-softmax.png", PlotImage.Png(plot, 600, 500));
using (var plot = ConfusionMatrixPlot.Create(ovrTest.ConfusionMatrix, digits.Classes, "digits, one-vs-rest: test confusion matrix"))
    Write("06-confusion-ovr.png", PlotImage.Png(plot, 600, 500));

// Rows no member claims (all member probabilities < ½) or several claim: what the normalised probabilities hide.
var agreement = OneVsRestAgreement.Of(ovr.MemberProbabilities(test), digits.ClassCount);
Console.WriteLine($"of {agreement.RowCount} test rows: {agreement.ClaimedOnce} claimed by exactly one member, {agreement.Unclaimed} by none, " +
    $"{agreement.Contested} by several; ties: {agreement.Ties}; member probability sums {agreement.MemberProbabilitySum.Min():F3} to {agreement.MemberProbabilitySum.Max():F3}");
int[] softmaxPred = softmax.Predict(test), ovrPred = ovr.Predict(test);
double Accuracy(int[] predicted, IEnumerable<int> rows) => rows.Average(i => predicted[i] == test.Labels[i] ? 1.0 : 0.0);
var once = Enumerable.Range(0, test.SampleCount).Where(i => agreement.Claims[i] == 1).ToArray();
Console.WriteLine($"accuracy one-vs-rest / softmax: claimed once {Accuracy(ovrPred, once):F3} / {Accuracy(softmaxPred, once):F3}, " +
    $"unclaimed {Accuracy(ovrPred, agreement.UnclaimedRows):F3} / {Accuracy(softmaxPred, agreement.UnclaimedRows):F3}, " +
    $"contested {Accuracy(ovrPred, agreement.ContestedRows):F3} / {Accuracy(softmaxPred, agreement.ContestedRows):F3}");

int d = digits.FeatureCount, classCount = digits.ClassCount;
Write("06-digits-weights.png", WeightImagesPlot.Png(softmax.Module.ParametersToVector()[..(classCount * d)], classCount, 8, 8,
    digits.Classes.Select(c => $"digit {c}").ToArray(), "digits, softmax: weight per standardised pixel and class (red: evidence for the class, blue: against)", 1500, 700));

// Fashion-MNIST: a subset (the first 10 000 training images, at most 100 iterations) keeps this to seconds.
var (fashionTrain, fashionTest) = FashionMnist.Load();
var subset = fashionTrain.Subset(Enumerable.Range(0, 10_000).ToArray());
using var fashion = Trainer.Fit(subset, new TrainingOptions { Model = ModelKind.Softmax, C = 0.1, MaxIterations = 100 });
var fashionEval = Evaluation.Of(fashion, fashionTest);
Console.WriteLine($"fashion-mnist softmax on {subset.SampleCount} of {fashionTrain.SampleCount} training images ({fashion.Result!.Iterations} iterations): " +
    $"accuracy {fashionEval.Accuracy:F4}, log loss {fashionEval.LogLoss:F4} on all {fashionTest.SampleCount} test images (published full-data benchmark: 0.842)");
Write("06-fashion-weights.png", WeightImagesPlot.Png(fashion.Module.ParametersToVector()[..(10 * 784)], 10, 28, 28, fashionTest.Classes,
    "Fashion-MNIST (10 000-image subset), softmax: weight per pixel and class (red: for, blue: against)", 1500, 700));
