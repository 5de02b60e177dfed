using TorchLogistic.Data;
using TorchLogistic.Metrics;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Plotting;
using TorchLogistic.Selection;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.Plotting;

/// <summary>The charts of the notebooks: solver convergence, regularisation paths, ROC and PR with operating points.</summary>
public class ConvergenceAndPathPlotTests
{
    private static void Save(ScottPlot.Plot plot, string path, int width, int height)
    {
        using (plot) PlotImage.SavePng(plot, path, width, height);
        PlotTests.AssertDrawn(path, width, height);
    }

    [Fact]
    public void Gap_series_subtract_the_optimum_and_leave_out_what_float64_cannot_resolve()
    {
        var history = new[]
        {
            new IterationRecord(0, 1.5, 1, 1, 0.0),
            new IterationRecord(1, 1.25, 1, 3, 0.5),
            new IterationRecord(2, 1.0 + 1e-17, 1, 4, 0.75),
            new IterationRecord(3, 1.0, 0, 6, 1.0),
        };
        var run = new ConvergenceRun("test", history);
        var byIteration = ConvergencePlot.GapSeries(run, 1.0, ConvergenceAxis.Iteration);
        Assert.Equal(new[] { 0.0, 1 }, byIteration.Iterations);
        Assert.Equal(new[] { 0.5, 0.25 }, byIteration.Values);
        Assert.Equal(new[] { 1.0, 3 }, ConvergencePlot.GapSeries(run, 1.0, ConvergenceAxis.Evaluations).Iterations);
        Assert.Equal(new[] { 0.0, 0.5 }, ConvergencePlot.GapSeries(run, 1.0, ConvergenceAxis.Seconds).Iterations);
        Assert.Throws<ArgumentException>(() => ConvergencePlot.GapSeries(run, double.NaN, ConvergenceAxis.Iteration));
    }

    [Fact]
    public void Solver_comparison_keeps_each_runs_history_and_the_convergence_charts_are_drawn()
    {
        using var folder = new TempFolder();
        var options = new TrainingOptions { Standardize = true, Tolerance = 1e-10, MaxIterations = 200 };
        var rows = SolverComparison.Run(BuiltinDatasets.Load("breast-cancer"), options, new[] { SolverKind.GdLipschitz, SolverKind.Newton, SolverKind.Lbfgs });
        foreach (var r in rows)
        {
            Assert.NotNull(r.History);
            Assert.Equal(r.Iterations, r.History![^1].Iteration);
            Assert.Equal(r.Objective, r.History[^1].Objective);
        }
        double optimum = rows.Min(r => r.Objective);
        var runs = rows.Select(r => new ConvergenceRun(SolverRegistry.NameOf(r.Solver), r.History!)).ToList();
        Save(ConvergencePlot.Create(runs, optimum), folder.File("gap-iterations.png"), 800, 500);
        Save(ConvergencePlot.Create(runs, optimum, ConvergenceAxis.Seconds, "gap against time"), folder.File("gap-seconds.png"), 800, 500);
    }

    [Fact]
    public void Operating_points_come_from_the_confusion_matrix_and_are_marked_on_roc_and_pr_curves()
    {
        // TN 50, FP 10, FN 5, TP 15.
        var confusion = new[,] { { 50, 10 }, { 5, 15 } };
        var roc = OperatingPoint.Roc(confusion, 0.3);
        Assert.Equal(10.0 / 60, roc.X, 15);
        Assert.Equal(15.0 / 20, roc.Y, 15);
        var pr = OperatingPoint.PrecisionRecall(confusion, 0.3);
        Assert.Equal(15.0 / 20, pr.X, 15);
        Assert.Equal(15.0 / 25, pr.Y, 15);
        Assert.Equal(1.0, OperatingPoint.PrecisionRecall(new[,] { { 60, 0 }, { 20, 0 } }, 0.99).Y);
        Assert.Equal("test at threshold 0.3", roc.Legend("test"));
        Assert.Throws<ArgumentException>(() => OperatingPoint.Roc(new int[3, 3], 0.5));

        using var folder = new TempFolder();
        var data = BuiltinDatasets.Load("breast-cancer");
        using var model = Trainer.Fit(data, new TrainingOptions { Standardize = true });
        double[] p1 = model.PredictProbabilities(data).Column(1);
        var evaluation = Evaluation.Of(model, data, 0.5);
        var curve = RankingMetrics.RocCurve(data.Labels, p1);
        Save(RocPlot.Create(new[] { new RocSeries("train", curve.FalsePositiveRates, curve.TruePositiveRates, evaluation.RocAuc!.Value, OperatingPoint.Roc(evaluation.ConfusionMatrix, 0.5)) }),
            folder.File("roc-point.png"), 700, 500);
        var prCurve = RankingMetrics.PrecisionRecallCurve(data.Labels, p1);
        Save(PrecisionRecallPlot.Create(new[] { new PrecisionRecallSeries("train", prCurve.Recall, prCurve.Precision, evaluation.AveragePrecision!.Value,
            data.Labels.Average(), OperatingPoint.PrecisionRecall(evaluation.ConfusionMatrix, 0.5)) }), folder.File("pr-point.png"), 700, 500);
    }

    [Fact]
    public void Regularisation_path_charts_are_drawn_and_refuse_mismatched_names()
    {
        using var folder = new TempFolder();
        var data = BuiltinDatasets.Load("breast-cancer");
        var (train, test) = TrainTestSplit.Split(data, 0.2, 0);
        var options = new TrainingOptions { Penalty = PenaltyKind.L1, Solver = SolverKind.OwlQn, Standardize = true, Tolerance = 1e-6 };
        double cMin = RegularizationPath.L1MinC(train, options);
        var path = RegularizationPath.Fit(train, options, RegularizationPath.LogGrid(0.5 * cMin, 50 * cMin, 8), test);
        Save(RegularizationPathPlot.Coefficients(path, data.FeatureNames, "L1 path", l1MinC: cMin), folder.File("coefficients.png"), 900, 500);
        Save(RegularizationPathPlot.Losses(path), folder.File("path-losses.png"), 700, 400);
        Assert.Throws<ArgumentException>(() => RegularizationPathPlot.Coefficients(path, new[] { "a", "b", "c", "d" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => RegularizationPathPlot.Coefficients(path, data.FeatureNames, l1MinC: 0));
        Assert.Throws<ArgumentException>(() => RegularizationPathPlot.Losses(Array.Empty<RegularizationPathStep>()));
    }
}
