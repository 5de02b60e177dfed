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
    /// <param name="evaluation_rows">Rows the evaluation charts describe (the test rows, or the training rows without a test split).</param>
    /// <param name="set_name">What those rows are, for the titles ("test" or "train").</param>
    /// <param name="title">Prefix of every title, e.g. the data set's name.</param>
    /// <param name="threshold">Decision threshold of a binary model's confusion matrix (default 0.5).</param>
    /// <param name="log_scale">Draw the loss curve on a logarithmic axis.</param>
    public static IReadOnlyDictionary<string, byte[]> render(FittedModel model, Dataset evaluation_rows, string set_name, string title,
        double? threshold = null, bool log_scale = false)
    {
        var files = new Dictionary<string, byte[]>();
        int k = model.classes.Length;
        int[] y = evaluation_rows.labels;
        var probabilities = model.predict_proba(evaluation_rows);
        double[] proba = probabilities.values;

        add_loss(files, model, title, log_scale);

        var (rocSeries, prSeries) = ModelCurves.of(probabilities, y, $"{set_name}: {model.classes[1]}");
        if (rocSeries.Count > 0)
        {
            using (var roc = RocPlot.create(rocSeries, $"{title}: ROC curve ({set_name} rows{(k > 2 ? ", one-vs-rest" : "")})"))
                files["roc.png"] = PlotImage.png(roc, 800, 600);
            using (var pr = PrecisionRecallPlot.create(prSeries, $"{title}: precision–recall ({set_name} rows{(k > 2 ? ", one-vs-rest" : "")})"))
                files["pr.png"] = PlotImage.png(pr, 800, 600);
        }

        add_confusion(files, model, Evaluation.of(y, proba, k, k == 2 ? threshold : null), set_name, title);

        if (k == 2)
        {
            var cal = CalibrationCurve.of(y, ClassificationMetrics.column(proba, 2, 1), 10);
            using (var calibration = CalibrationPlot.create(cal.prob_pred, cal.prob_true, cal.counts, cal.bin_edges,
                       $"{title}: calibration ({set_name} rows, 10 bins)", model.classes[1]))
                files["calibration.png"] = PlotImage.png(calibration, 700, 650);
        }
        add_model_pictures(files, model, title);

        if (model.feature_names.Length == 2)
        {
            double[] x1 = Enumerable.Range(0, evaluation_rows.n_samples).Select(i => evaluation_rows[i, 0]).ToArray();
            double[] x2 = Enumerable.Range(0, evaluation_rows.n_samples).Select(i => evaluation_rows[i, 1]).ToArray();
            double[] predict(double[] grid)
            {
                double[] p = model.predict_proba(grid, grid.Length / 2, 2).values;
                return k == 2 ? ClassificationMetrics.column(p, 2, 1) : p;
            }
            using var boundary = DecisionBoundaryPlot.create(predict, x1, x2, y, model.classes, model.feature_names, $"{title}: decision regions ({set_name} rows)");
            files["boundary.png"] = PlotImage.png(boundary, 800, 650);
        }
        return files;
    }

    /// <summary>
    /// The charts of a model trained on streamed data, from an evaluation made by a streaming pass: <c>loss.png</c>,
    /// <c>confusion.png</c>, and <c>sigmoid.png</c> / <c>weights.png</c> where they apply. The ROC, precision–recall,
    /// calibration and decision-boundary charts need every row's score at once and are not drawn.
    /// </summary>
    /// <param name="model">The trained model (with its training result).</param>
    /// <param name="evaluation">Its evaluation on the rows <paramref name="set_name"/> names.</param>
    /// <param name="set_name">What those rows are ("test" or "train").</param>
    /// <param name="title">Prefix of every title.</param>
    /// <param name="log_scale">Draw the loss curve on a logarithmic axis.</param>
    public static IReadOnlyDictionary<string, byte[]> render_streamed(FittedModel model, Evaluation evaluation, string set_name, string title, bool log_scale = false)
    {
        var files = new Dictionary<string, byte[]>();
        add_loss(files, model, title, log_scale);
        add_confusion(files, model, evaluation, set_name, title);
        add_model_pictures(files, model, title);
        return files;
    }

    private static void add_loss(Dictionary<string, byte[]> files, FittedModel model, string title, bool log_scale)
    {
        if (model.result == null) return;
        var c = CultureInfo.InvariantCulture;
        using var loss = LossCurvePlot.create(LossCurvePlot.series_of(model.result),
            $"{title}: {SolverRegistry.name_of(model.result.solver)}, {model.options.penalty_object.name} (C = {model.options.C.ToString(c)})", "loss", log_scale);
        files["loss.png"] = PlotImage.png(loss, 800, 500);
    }

    private static void add_confusion(Dictionary<string, byte[]> files, FittedModel model, Evaluation evaluation, string set_name, string title)
    {
        var c = CultureInfo.InvariantCulture;
        int k = model.classes.Length;
        string thresholdText = k == 2 ? $", threshold {evaluation.threshold!.Value.ToString("0.###", c)}" : "";
        using var confusion = ConfusionMatrixPlot.create(evaluation.confusion_matrix, model.classes,
            $"{title}: confusion matrix ({set_name} rows{thresholdText}, accuracy {evaluation.accuracy.ToString("F3", c)})");
        files["confusion.png"] = PlotImage.png(confusion, k <= 4 ? 700 : 900, k <= 4 ? 600 : 800);
    }

    /// <summary>The pictures of the model itself: the sigmoid of a logistic regression, the weights of pixel features.</summary>
    private static void add_model_pictures(Dictionary<string, byte[]> files, FittedModel model, string title)
    {
        if (model.module is LogisticRegression)
        {
            using var sigmoid = SigmoidPlot.create();
            files["sigmoid.png"] = PlotImage.png(sigmoid, 800, 500);
        }

        var shape = WeightImagesPlot.image_shape(model.feature_names);
        if (shape is var (h, w))
        {
            double[] theta = model.module.parameters_to_vector();
            int rows = (int)model.module.n_outputs;
            double[] coef = theta.Take(rows * h * w).ToArray();
            string[] names = rows == 1 ? new[] { $"{model.classes[1]} vs {model.classes[0]}" } : model.classes.Select(n => $"class {n}").ToArray();
            int columns = Math.Min(5, rows);
            int gridRows = (rows + columns - 1) / columns;
            files["weights.png"] = WeightImagesPlot.png(coef, rows, h, w, names,
                $"{title}: learned weights per class, {h}×{w} (red: evidence for the class, blue: against)", 300 * columns, 60 + 300 * gridRows, columns);
        }
    }
}
