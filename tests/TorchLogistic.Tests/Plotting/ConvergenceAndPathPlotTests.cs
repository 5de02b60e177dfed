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
    private static void save(ScottPlot.Plot plot, string path, int width, int height)
    {
        using (plot) PlotImage.save_png(plot, path, width, height);
        PlotTests.assert_drawn(path, width, height);
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
        var byIteration = ConvergencePlot.gap_series(run, 1.0, ConvergenceAxis.Iteration);
        Assert.Equal(new[] { 0.0, 1 }, byIteration.iterations);
        Assert.Equal(new[] { 0.5, 0.25 }, byIteration.values);
        Assert.Equal(new[] { 1.0, 3 }, ConvergencePlot.gap_series(run, 1.0, ConvergenceAxis.Evaluations).iterations);
        Assert.Equal(new[] { 0.0, 0.5 }, ConvergencePlot.gap_series(run, 1.0, ConvergenceAxis.Seconds).iterations);
        Assert.Throws<ArgumentException>(() => ConvergencePlot.gap_series(run, double.NaN, ConvergenceAxis.Iteration));
    }

    [Fact]
    public void Solver_comparison_keeps_each_runs_history_and_the_convergence_charts_are_drawn()
    {
        using var folder = new TempFolder();
        var options = new TrainingOptions { standardize = true, tol = 1e-10, max_iter = 200 };
        var rows = SolverComparison.run(BuiltinDatasets.load("breast-cancer"), options, new[] { SolverKind.GdLipschitz, SolverKind.Newton, SolverKind.Lbfgs });
        foreach (var r in rows)
        {
            Assert.NotNull(r.history);
            Assert.Equal(r.iterations, r.history![^1].iteration);
            Assert.Equal(r.objective, r.history[^1].objective);
        }
        double optimum = rows.Min(r => r.objective);
        var runs = rows.Select(r => new ConvergenceRun(SolverRegistry.name_of(r.solver), r.history!)).ToList();
        save(ConvergencePlot.create(runs, optimum), folder.file("gap-iterations.png"), 800, 500);
        save(ConvergencePlot.create(runs, optimum, ConvergenceAxis.Seconds, "gap against time"), folder.file("gap-seconds.png"), 800, 500);
    }

    [Fact]
    public void Operating_points_come_from_the_confusion_matrix_and_are_marked_on_roc_and_pr_curves()
    {
        // TN 50, FP 10, FN 5, TP 15.
        var confusion = new[,] { { 50, 10 }, { 5, 15 } };
        var roc = OperatingPoint.roc(confusion, 0.3);
        Assert.Equal(10.0 / 60, roc.x, 15);
        Assert.Equal(15.0 / 20, roc.y, 15);
        var pr = OperatingPoint.precision_recall(confusion, 0.3);
        Assert.Equal(15.0 / 20, pr.x, 15);
        Assert.Equal(15.0 / 25, pr.y, 15);
        Assert.Equal(1.0, OperatingPoint.precision_recall(new[,] { { 60, 0 }, { 20, 0 } }, 0.99).y);
        Assert.Equal("test at threshold 0.3", roc.legend("test"));
        Assert.Throws<ArgumentException>(() => OperatingPoint.roc(new int[3, 3], 0.5));

        using var folder = new TempFolder();
        var data = BuiltinDatasets.load("breast-cancer");
        using var model = Trainer.fit(data, new TrainingOptions { standardize = true });
        double[] p1 = model.predict_proba(data).column(1);
        var evaluation = Evaluation.of(model, data, 0.5);
        var curve = RankingMetrics.roc_curve(data.labels, p1);
        save(RocPlot.create(new[] { new RocSeries("train", curve.fpr, curve.tpr, evaluation.roc_auc!.Value, OperatingPoint.roc(evaluation.confusion_matrix, 0.5)) }),
            folder.file("roc-point.png"), 700, 500);
        var prCurve = RankingMetrics.precision_recall_curve(data.labels, p1);
        save(PrecisionRecallPlot.create(new[] { new PrecisionRecallSeries("train", prCurve.recall, prCurve.precision, evaluation.average_precision!.Value,
            data.labels.Average(), OperatingPoint.precision_recall(evaluation.confusion_matrix, 0.5)) }), folder.file("pr-point.png"), 700, 500);
    }

    [Fact]
    public void Regularisation_path_charts_are_drawn_and_refuse_mismatched_names()
    {
        using var folder = new TempFolder();
        var data = BuiltinDatasets.load("breast-cancer");
        var (train, test) = TrainTestSplit.split(data, 0.2, 0);
        var options = new TrainingOptions { penalty = PenaltyKind.L1, solver = SolverKind.OwlQn, standardize = true, tol = 1e-6 };
        double cMin = RegularizationPath.l1_min_c(train, options);
        var path = RegularizationPath.fit(train, options, RegularizationPath.log_grid(0.5 * cMin, 50 * cMin, 8), test);
        save(RegularizationPathPlot.coefficients(path, data.feature_names, "L1 path", l1_min_c: cMin), folder.file("coefficients.png"), 900, 500);
        save(RegularizationPathPlot.losses(path), folder.file("path-losses.png"), 700, 400);
        Assert.Throws<ArgumentException>(() => RegularizationPathPlot.coefficients(path, new[] { "a", "b", "c", "d" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => RegularizationPathPlot.coefficients(path, data.feature_names, l1_min_c: 0));
        Assert.Throws<ArgumentException>(() => RegularizationPathPlot.losses(Array.Empty<RegularizationPathStep>()));
    }
}
