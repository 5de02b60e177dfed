using TorchLogistic.Data;
using TorchLogistic.Metrics;
using TorchLogistic.Plotting;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.Plotting;

/// <summary>Every plot type is rendered to a PNG of the requested size with real content (many colours, much drawn).</summary>
public class PlotTests
{
    private static readonly Lazy<(int[] Y, double[] Proba)> BreastCancer = new(() =>
    {
        var data = BuiltinDatasets.Load("breast-cancer");
        using var model = Trainer.Fit(data, new TrainingOptions { Standardize = true });
        return (data.Labels, model.PredictProbabilities(data).Values);
    });

    internal static void AssertDrawn(string path, int width, int height, int minColors = 20, double minDrawn = 0.03)
    {
        // TORCHLOGISTIC_KEEP_PLOTS=folder keeps a copy of every chart the tests draw, for a person to look at.
        string? keep = Environment.GetEnvironmentVariable("TORCHLOGISTIC_KEEP_PLOTS");
        if (!string.IsNullOrEmpty(keep))
        {
            Directory.CreateDirectory(keep);
            File.Copy(path, Path.Combine(keep, Path.GetFileName(path)), overwrite: true);
        }
        Assert.Equal((width, height), Png.Size(path));
        var (colors, drawn) = PngContent.Analyse(path);
        Assert.True(colors >= minColors && drawn >= minDrawn, $"{Path.GetFileName(path)} looks blank: {colors} colours, {drawn:P1} drawn");
    }

    private static void Save(ScottPlot.Plot plot, string path, int width, int height)
    {
        using (plot) PlotImage.SavePng(plot, path, width, height);
        AssertDrawn(path, width, height);
    }

    [Fact]
    public void Roc_precision_recall_and_calibration_plots_are_drawn()
    {
        using var folder = new TempFolder();
        var (y, proba) = BreastCancer.Value;
        double[] p1 = ClassificationMetrics.Column(proba, 2, 1);
        var roc = RankingMetrics.RocCurve(y, p1);
        Save(RocPlot.Create(new[] { new RocSeries("train", roc.FalsePositiveRates, roc.TruePositiveRates, RankingMetrics.RocAucScore(y, p1)) }), folder.File("roc.png"), 640, 480);
        var pr = RankingMetrics.PrecisionRecallCurve(y, p1);
        Save(PrecisionRecallPlot.Create(new[] { new PrecisionRecallSeries("train", pr.Recall, pr.Precision, RankingMetrics.AveragePrecisionScore(y, p1), y.Average()) }),
            folder.File("pr.png"), 700, 500);
        var cal = CalibrationCurve.Of(y, p1, 10);
        Save(CalibrationPlot.Create(cal.PredictedProbabilities, cal.TrueProbabilities, cal.Counts, cal.BinEdges, positiveClass: "benign"), folder.File("calibration.png"), 600, 600);
    }

    [Fact]
    public void Confusion_matrix_sigmoid_and_loss_plots_are_drawn()
    {
        using var folder = new TempFolder();
        var (y, proba) = BreastCancer.Value;
        var cm = ClassificationMetrics.ConfusionMatrix(y, FittedModel.ArgmaxRows(proba, 2), 2);
        Save(ConfusionMatrixPlot.Create(cm, new[] { "malignant", "benign" }), folder.File("confusion.png"), 600, 500);
        Save(SigmoidPlot.Create(), folder.File("sigmoid.png"), 800, 500);
        var runs = new[]
        {
            new LossSeries("gd", new double[] { 0, 1, 2, 3, 4 }, new[] { 0.69, 0.4, 0.3, 0.25, 0.22 }),
            new LossSeries("lbfgs", new double[] { 0, 1, 2, 3 }, new[] { 0.69, 0.2, 0.08, 0.07 }),
        };
        Save(LossCurvePlot.Create(runs, "two solvers", logScale: true), folder.File("loss.png"), 800, 500);
    }

    [Fact]
    public void Decision_boundary_takes_any_model_as_a_function()
    {
        using var folder = new TempFolder();
        // A circle: P(inside) = σ(4 − 4(x₁² + x₂²)), as a model on polynomial features would give.
        var rng = new Random(1);
        int n = 200;
        double[] a = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
        double[] b = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
        int[] labels = a.Select((v, i) => v * v + b[i] * b[i] < 1 ? 1 : 0).ToArray();
        int calls = 0;
        double[] Circle(double[] grid)
        {
            calls++;
            return Enumerable.Range(0, grid.Length / 2).Select(i => 1 / (1 + Math.Exp(-(4 - 4 * (grid[2 * i] * grid[2 * i] + grid[2 * i + 1] * grid[2 * i + 1]))))).ToArray();
        }
        Save(DecisionBoundaryPlot.Create(Circle, a, b, labels, new[] { "outside", "inside" }, new[] { "x1", "x2" }, "circle"), folder.File("boundary.png"), 700, 600);
        Assert.Equal(1, calls);

        // Multiclass: three classes by angle; the function returns K probabilities per grid point.
        int[] third = a.Select((v, i) => (int)((Math.Atan2(b[i], v) + Math.PI) / (2 * Math.PI / 3)) % 3).ToArray();
        double[] Sectors(double[] grid) => Enumerable.Range(0, grid.Length / 2).SelectMany(i =>
        {
            int s = (int)((Math.Atan2(grid[2 * i + 1], grid[2 * i]) + Math.PI) / (2 * Math.PI / 3)) % 3;
            return Enumerable.Range(0, 3).Select(k => k == s ? 0.8 : 0.1);
        }).ToArray();
        Save(DecisionBoundaryPlot.Create(Sectors, a, b, third, new[] { "A", "B", "C" }, new[] { "x1", "x2" }, "sectors"), folder.File("boundary3.png"), 700, 600);
        Assert.Throws<ArgumentException>(() => DecisionBoundaryPlot.Create(_ => new double[3], a, b, labels, new[] { "no", "yes" }, new[] { "x1", "x2" }));
    }

    [Fact]
    public void Weight_images_have_one_panel_per_class_for_8x8_and_28x28()
    {
        using var folder = new TempFolder();
        // Each class's weights: a bright blob at a class-specific place on a 8×8 grid, and stripes on 28×28.
        double[] blobs = Enumerable.Range(0, 10 * 64).Select(i => { int k = i / 64, r = i % 64 / 8, c = i % 8; return Math.Exp(-((r - k % 8) * (r - k % 8) + (c - k / 2) * (c - k / 2)) / 3.0) - 0.3; }).ToArray();
        File.WriteAllBytes(folder.File("weights8.png"), WeightImagesPlot.Png(blobs, 10, 8, 8, Enumerable.Range(0, 10).Select(k => $"digit {k}").ToArray()));
        AssertDrawn(folder.File("weights8.png"), 1500, 700);
        double[] stripes = Enumerable.Range(0, 3 * 784).Select(i => Math.Sin((i % 784 / 28 + (i / 784) * 5) / 3.0)).ToArray();
        File.WriteAllBytes(folder.File("weights28.png"), WeightImagesPlot.Png(stripes, 3, 28, 28, new[] { "T-shirt", "Trouser", "Bag" }, imageWidth: 1200, imageHeight: 450));
        AssertDrawn(folder.File("weights28.png"), 1200, 450);

        Assert.Equal((8, 8), WeightImagesPlot.ImageShape(BuiltinDatasets.Load("digits").FeatureNames));
        Assert.Equal((28, 28), WeightImagesPlot.ImageShape(Enumerable.Range(0, 784).Select(i => $"pixel{i + 1}").ToArray()));
        Assert.Null(WeightImagesPlot.ImageShape(BuiltinDatasets.Load("breast-cancer").FeatureNames));
        Assert.Throws<ArgumentException>(() => WeightImagesPlot.Png(new double[63], 1, 8, 8, new[] { "x" }));
    }
}
