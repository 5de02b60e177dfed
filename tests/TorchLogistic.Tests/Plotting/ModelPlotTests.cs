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
    private static string[] Legends(ScottPlot.Plot plot) =>
        plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Select(s => s.LegendText).ToArray();

    private static string[] MarkerLegends(ScottPlot.Plot plot) =>
        plot.GetPlottables().OfType<ScottPlot.Plottables.Marker>().Select(s => s.LegendText).ToArray();

    [Fact]
    public void Binary_charts_from_the_model_show_its_auc_ap_operating_point_and_confusion()
    {
        var (train, test) = TrainTestSplit.Split(BuiltinDatasets.Load("breast-cancer"), 0.2, seed: 0);
        using var model = Trainer.Fit(train, new TrainingOptions { Standardize = true });
        var c = CultureInfo.InvariantCulture;
        double[] p1 = model.PredictProbabilities(test).Column(1);
        using var folder = new TempFolder();

        using (var roc = RocPlot.From(model, test, threshold: 0.3))
        {
            Assert.Equal(new[] { $"{model.Classes[1]} (AUC = {RankingMetrics.RocAucScore(test.Labels, p1).ToString("F3", c)})" }, Legends(roc));
            Assert.Equal(new[] { $"{model.Classes[1]} at threshold 0.3" }, MarkerLegends(roc));
            roc.SavePng(folder.File("roc.png"), 640, 480);
            PlotTests.AssertDrawn(folder.File("roc.png"), 640, 480);
        }
        using (var pr = PrecisionRecallPlot.From(model, test))
        {
            Assert.Equal(new[] { $"{model.Classes[1]} (AP = {RankingMetrics.AveragePrecisionScore(test.Labels, p1).ToString("F3", c)})" }, Legends(pr));
            Assert.Equal(new[] { $"{model.Classes[1]} at threshold 0.5" }, MarkerLegends(pr));
            pr.SavePng(folder.File("pr.png"), 640, 480);
            PlotTests.AssertDrawn(folder.File("pr.png"), 640, 480);
        }
        using (var calibration = CalibrationPlot.From(model, test, nBins: 5))
        {
            var curve = CalibrationCurve.Of(test.Labels, p1, 5);
            var points = calibration.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Single(s => s.LegendText == "model").Data.GetScatterPoints();
            Assert.Equal(curve.PredictedProbabilities, points.Select(p => p.X));
            Assert.Equal(curve.TrueProbabilities, points.Select(p => p.Y));
            calibration.SavePng(folder.File("calibration.png"), 600, 600);
            PlotTests.AssertDrawn(folder.File("calibration.png"), 600, 600);
        }
        using (var confusion = ConfusionMatrixPlot.From(model, test))
        {
            var e = model.Evaluate(test);
            var counts = confusion.GetPlottables().OfType<ScottPlot.Plottables.Text>().Select(t => t.LabelText).ToArray();
            Assert.Equal(new[] { e.ConfusionMatrix[0, 0], e.ConfusionMatrix[0, 1], e.ConfusionMatrix[1, 0], e.ConfusionMatrix[1, 1] }.Select(v => v.ToString(c)), counts);
            Assert.Equal(test.SampleCount, e.ConfusionMatrix.Cast<int>().Sum());
            confusion.SavePng(folder.File("confusion.png"), 600, 500);
            PlotTests.AssertDrawn(folder.File("confusion.png"), 600, 500);
        }
    }

    [Fact]
    public void Multiclass_curves_are_one_vs_rest_and_calibration_is_refused()
    {
        var (train, test) = TrainTestSplit.Split(BuiltinDatasets.Load("iris"), 0.3, seed: 0);
        using var model = Trainer.Fit(train, new TrainingOptions { Standardize = true, Model = ModelKind.Softmax });
        var p = model.PredictProbabilities(test);
        using (var roc = RocPlot.From(model, test))
        {
            string[] expected = model.Classes.Select((name, k) =>
                $"{name} vs rest (AUC = {RankingMetrics.RocAucScore(test.Labels.Select(y => y == k ? 1 : 0).ToArray(), p.Column(k)).ToString("F3", CultureInfo.InvariantCulture)})").ToArray();
            Assert.Equal(expected, Legends(roc));
            Assert.Empty(MarkerLegends(roc));
        }
        var e = Assert.Throws<ArgumentException>(() => CalibrationPlot.From(model, test));
        Assert.StartsWith("A reliability diagram is drawn for binary models; this one has 3 classes.", e.Message);
    }

    [Fact]
    public void Curves_of_rows_of_a_single_class_are_refused()
    {
        var data = BuiltinDatasets.Load("breast-cancer");
        using var model = Trainer.Fit(data, new TrainingOptions { Standardize = true });
        var one = data.Subset(Enumerable.Range(0, data.SampleCount).Where(i => data.Labels[i] == 1).ToArray());
        var e = Assert.Throws<ArgumentException>(() => RocPlot.From(model, one));
        Assert.StartsWith("The rows hold a single class, so there is no ROC curve;", e.Message);
    }
}
