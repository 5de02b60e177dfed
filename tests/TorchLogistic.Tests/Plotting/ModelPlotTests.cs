using System.Globalization;
using TorchLogistic.Data;
using TorchLogistic.Metrics;
using TorchLogistic.Plotting;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.Plotting;

/// <summary>The charts drawn from a model and rows in one call: their numbers are the model's, and they save as PNGs.</summary>
public class ModelPlotTests
{
    private static string[] legends(ScottPlot.Plot plot) =>
        plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Select(s => s.LegendText).ToArray();

    private static string[] marker_legends(ScottPlot.Plot plot) =>
        plot.GetPlottables().OfType<ScottPlot.Plottables.Marker>().Select(s => s.LegendText).ToArray();

    [Fact]
    public void Binary_charts_from_the_model_show_its_auc_ap_operating_point_and_confusion()
    {
        var (train, test) = TrainTestSplit.split(BuiltinDatasets.load("breast-cancer"), 0.2, seed: 0);
        using var model = Trainer.fit(train, new TrainingOptions { standardize = true });
        var c = CultureInfo.InvariantCulture;
        double[] p1 = model.predict_proba(test).column(1);
        using var folder = new TempFolder();

        using (var roc = RocPlot.from(model, test, threshold: 0.3))
        {
            Assert.Equal(new[] { $"{model.classes[1]} (AUC = {RankingMetrics.roc_auc_score(test.labels, p1).ToString("F3", c)})" }, legends(roc));
            Assert.Equal(new[] { $"{model.classes[1]} at threshold 0.3" }, marker_legends(roc));
            roc.SavePng(folder.file("roc.png"), 640, 480);
            PlotTests.assert_drawn(folder.file("roc.png"), 640, 480);
        }
        using (var pr = PrecisionRecallPlot.from(model, test))
        {
            Assert.Equal(new[] { $"{model.classes[1]} (AP = {RankingMetrics.average_precision_score(test.labels, p1).ToString("F3", c)})" }, legends(pr));
            Assert.Equal(new[] { $"{model.classes[1]} at threshold 0.5" }, marker_legends(pr));
            pr.SavePng(folder.file("pr.png"), 640, 480);
            PlotTests.assert_drawn(folder.file("pr.png"), 640, 480);
        }
        using (var calibration = CalibrationPlot.from(model, test, n_bins: 5))
        {
            var curve = CalibrationCurve.of(test.labels, p1, 5);
            var points = calibration.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Single(s => s.LegendText == "model").Data.GetScatterPoints();
            Assert.Equal(curve.prob_pred, points.Select(p => p.X));
            Assert.Equal(curve.prob_true, points.Select(p => p.Y));
            calibration.SavePng(folder.file("calibration.png"), 600, 600);
            PlotTests.assert_drawn(folder.file("calibration.png"), 600, 600);
        }
        using (var confusion = ConfusionMatrixPlot.from(model, test))
        {
            var e = model.evaluate(test);
            var counts = confusion.GetPlottables().OfType<ScottPlot.Plottables.Text>().Select(t => t.LabelText).ToArray();
            Assert.Equal(new[] { e.confusion_matrix[0, 0], e.confusion_matrix[0, 1], e.confusion_matrix[1, 0], e.confusion_matrix[1, 1] }.Select(v => v.ToString(c)), counts);
            Assert.Equal(test.n_samples, e.confusion_matrix.Cast<int>().Sum());
            confusion.SavePng(folder.file("confusion.png"), 600, 500);
            PlotTests.assert_drawn(folder.file("confusion.png"), 600, 500);
        }
    }

    [Fact]
    public void Multiclass_curves_are_one_vs_rest_and_calibration_is_refused()
    {
        var (train, test) = TrainTestSplit.split(BuiltinDatasets.load("iris"), 0.3, seed: 0);
        using var model = Trainer.fit(train, new TrainingOptions { standardize = true, model = ModelKind.Softmax });
        var p = model.predict_proba(test);
        using (var roc = RocPlot.from(model, test))
        {
            string[] expected = model.classes.Select((name, k) =>
                $"{name} vs rest (AUC = {RankingMetrics.roc_auc_score(test.labels.Select(y => y == k ? 1 : 0).ToArray(), p.column(k)).ToString("F3", CultureInfo.InvariantCulture)})").ToArray();
            Assert.Equal(expected, legends(roc));
            Assert.Empty(marker_legends(roc));
        }
        var e = Assert.Throws<ArgumentException>(() => CalibrationPlot.from(model, test));
        Assert.StartsWith("A reliability diagram is drawn for binary models; this one has 3 classes.", e.Message);
    }

    [Fact]
    public void Curves_of_rows_of_a_single_class_are_refused()
    {
        var data = BuiltinDatasets.load("breast-cancer");
        using var model = Trainer.fit(data, new TrainingOptions { standardize = true });
        var one = data.subset(Enumerable.Range(0, data.n_samples).Where(i => data.labels[i] == 1).ToArray());
        var e = Assert.Throws<ArgumentException>(() => RocPlot.from(model, one));
        Assert.StartsWith("The rows hold a single class, so there is no ROC curve;", e.Message);
    }
}
