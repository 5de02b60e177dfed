using System.Globalization;
using TorchLogistic.Data;
using TorchLogistic.Metrics;
using TorchLogistic.Models;
using TorchLogistic.Optim;
using TorchLogistic.Plotting;
using TorchLogistic.Training;

namespace TorchLogistic.Reporting;

/// <summary>
/// The charts that fit a trained model, as PNG bytes by file name: <c>loss.png</c> always; <c>roc.png</c>,
/// <c>pr.png</c>, <c>confusion.png</c> for every classifier (one-vs-rest curves per class for multiclass, up to 10);
/// <c>calibration.png</c> and <c>sigmoid.png</c> for binary logistic regression; <c>weights.png</c> when the features
/// are image pixels (8×8 digits, 28×28 Fashion-MNIST); <c>boundary.png</c> when there are two features.
/// </summary>
public static class ReportPlots
{
    /// <summary>Renders every chart that applies (nothing is written to disk here).</summary>
    /// <param name="model">The trained model (with its training result, for the loss curve).</param>
    /// <param name="evaluationRows">Rows the evaluation charts describe (the test rows, or the training rows without a test split).</param>
    /// <param name="setName">What those rows are, for the titles ("test" or "train").</param>
    /// <param name="title">Prefix of every title, e.g. the data set's name.</param>
    /// <param name="threshold">Decision threshold of a binary model's confusion matrix (default 0.5).</param>
    /// <param name="logScale">Draw the loss curve on a logarithmic axis.</param>
    public static IReadOnlyDictionary<string, byte[]> Render(FittedModel model, Dataset evaluationRows, string setName, string title,
        double? threshold = null, bool logScale = false)
    {
        var files = new Dictionary<string, byte[]>();
        int k = model.Classes.Length;
        int[] y = evaluationRows.Labels;
        var probabilities = model.PredictProbabilities(evaluationRows);
        double[] proba = probabilities.Values;

        AddLoss(files, model, title, logScale);

        var (rocSeries, prSeries) = ModelCurves.Of(probabilities, y, $"{setName}: {model.Classes[1]}");
        if (rocSeries.Count > 0)
        {
            using (var roc = RocPlot.Create(rocSeries, $"{title}: ROC curve ({setName} rows{(k > 2 ? ", one-vs-rest" : "")})"))
                files["roc.png"] = PlotImage.Png(roc, 800, 600);
            using (var pr = PrecisionRecallPlot.Create(prSeries, $"{title}: precision–recall ({setName} rows{(k > 2 ? ", one-vs-rest" : "")})"))
                files["pr.png"] = PlotImage.Png(pr, 800, 600);
        }

        AddConfusion(files, model, Evaluation.Of(y, proba, k, k == 2 ? threshold : null), setName, title);

        if (k == 2)
        {
            var cal = CalibrationCurve.Of(y, ClassificationMetrics.Column(proba, 2, 1), 10);
            using (var calibration = CalibrationPlot.Create(cal.PredictedProbabilities, cal.TrueProbabilities, cal.Counts, cal.BinEdges,
                       $"{title}: calibration ({setName} rows, 10 bins)", model.Classes[1]))
                files["calibration.png"] = PlotImage.Png(calibration, 700, 650);
        }
        AddModelPictures(files, model, title);

        if (model.FeatureNames.Length == 2)
        {
            double[] x1 = Enumerable.Range(0, evaluationRows.SampleCount).Select(i => evaluationRows[i, 0]).ToArray();
            double[] x2 = Enumerable.Range(0, evaluationRows.SampleCount).Select(i => evaluationRows[i, 1]).ToArray();
            double[] Predict(double[] grid)
            {
                double[] p = model.PredictProbabilities(grid, grid.Length / 2, 2).Values;
                return k == 2 ? ClassificationMetrics.Column(p, 2, 1) : p;
            }
            using var boundary = DecisionBoundaryPlot.Create(Predict, x1, x2, y, model.Classes, model.FeatureNames, $"{title}: decision regions ({setName} rows)");
            files["boundary.png"] = PlotImage.Png(boundary, 800, 650);
        }
        return files;
    }

    /// <summary>
    /// The charts of a model trained on streamed data, from an evaluation made by a streaming pass: <c>loss.png</c>,
    /// <c>confusion.png</c>, and <c>sigmoid.png</c> / <c>weights.png</c> where they apply. The ROC, precision–recall,
    /// calibration and decision-boundary charts need every row's score at once and are not drawn.
    /// </summary>
    /// <param name="model">The trained model (with its training result).</param>
    /// <param name="evaluation">Its evaluation on the rows <paramref name="setName"/> names.</param>
    /// <param name="setName">What those rows are ("test" or "train").</param>
    /// <param name="title">Prefix of every title.</param>
    /// <param name="logScale">Draw the loss curve on a logarithmic axis.</param>
    public static IReadOnlyDictionary<string, byte[]> RenderStreamed(FittedModel model, Evaluation evaluation, string setName, string title, bool logScale = false)
    {
        var files = new Dictionary<string, byte[]>();
        AddLoss(files, model, title, logScale);
        AddConfusion(files, model, evaluation, setName, title);
        AddModelPictures(files, model, title);
        return files;
    }

    private static void AddLoss(Dictionary<string, byte[]> files, FittedModel model, string title, bool logScale)
    {
        if (model.Result == null) return;
        var c = CultureInfo.InvariantCulture;
        using var loss = LossCurvePlot.Create(LossCurvePlot.SeriesOf(model.Result),
            $"{title}: {SolverRegistry.NameOf(model.Result.Solver)}, {model.Options.PenaltyObject.Name} (C = {model.Options.C.ToString(c)})", "loss", logScale);
        files["loss.png"] = PlotImage.Png(loss, 800, 500);
    }

    private static void AddConfusion(Dictionary<string, byte[]> files, FittedModel model, Evaluation evaluation, string setName, string title)
    {
        var c = CultureInfo.InvariantCulture;
        int k = model.Classes.Length;
        string thresholdText = k == 2 ? $", threshold {evaluation.Threshold!.Value.ToString("0.###", c)}" : "";
        using var confusion = ConfusionMatrixPlot.Create(evaluation.ConfusionMatrix, model.Classes,
            $"{title}: confusion matrix ({setName} rows{thresholdText}, accuracy {evaluation.Accuracy.ToString("F3", c)})");
        files["confusion.png"] = PlotImage.Png(confusion, k <= 4 ? 700 : 900, k <= 4 ? 600 : 800);
    }

    /// <summary>The pictures of the model itself: the sigmoid of a logistic regression, the weights of pixel features.</summary>
    private static void AddModelPictures(Dictionary<string, byte[]> files, FittedModel model, string title)
    {
        if (model.Module is LogisticRegression)
        {
            using var sigmoid = SigmoidPlot.Create();
            files["sigmoid.png"] = PlotImage.Png(sigmoid, 800, 500);
        }

        var shape = WeightImagesPlot.ImageShape(model.FeatureNames);
        if (shape is var (h, w))
        {
            double[] theta = model.Module.ParametersToVector();
            int rows = (int)model.Module.OutputCount;
            double[] coefficients = theta.Take(rows * h * w).ToArray();
            string[] names = rows == 1 ? new[] { $"{model.Classes[1]} vs {model.Classes[0]}" } : model.Classes.Select(n => $"class {n}").ToArray();
            int columns = Math.Min(5, rows);
            int gridRows = (rows + columns - 1) / columns;
            files["weights.png"] = WeightImagesPlot.Png(coefficients, rows, h, w, names,
                $"{title}: learned weights per class, {h}×{w} (red: evidence for the class, blue: against)", 300 * columns, 60 + 300 * gridRows, columns);
        }
    }
}
