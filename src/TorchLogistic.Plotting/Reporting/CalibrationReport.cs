using TorchLogistic.Calibration;
using TorchLogistic.IO;
using TorchLogistic.Metrics;
using TorchLogistic.Plotting;

namespace TorchLogistic.Reporting;

/// <summary>metrics.json's <c>calibration</c> entry and the before/after reliability diagrams of a calibrated model.</summary>
public static class CalibrationReport
{
    /// <summary>The Brier score and log loss of one set of rows before and after calibration (<see cref="CalibrationScoresJson"/>).</summary>
    /// <param name="labels">True class indices.</param>
    /// <param name="before">Uncalibrated probabilities, row-major <c>(m, K)</c>.</param>
    /// <param name="after">Calibrated probabilities, row-major <c>(m, K)</c>.</param>
    /// <param name="classCount">K.</param>
    public static CalibrationScoresJson Scores(int[] labels, double[] before, double[] after, int classCount) =>
        new(labels.Length, Brier(labels, before, classCount), Brier(labels, after, classCount),
            ClassificationMetrics.LogLoss(labels, before, classCount), ClassificationMetrics.LogLoss(labels, after, classCount));

    /// <summary>The <c>calibration</c> entry of metrics.json.</summary>
    /// <param name="calibrator">The fitted calibrator.</param>
    /// <param name="c">The C whose out-of-fold logits it was fitted on (the refit's).</param>
    /// <param name="folds">K of the cross-validation.</param>
    /// <param name="outOfFold">Scores on the out-of-fold rows.</param>
    /// <param name="test">Scores on the test rows, or null.</param>
    public static CalibrationReportJson Create(ProbabilityCalibrator calibrator, double c, int folds, CalibrationScoresJson outOfFold, CalibrationScoresJson? test)
    {
        var json = ModelFile.CalibrationToJson(calibrator);
        return new CalibrationReportJson(ModelFile.CalibrationMethodName(calibrator.Method), (string)json["input"]!, c, folds, outOfFold, test, json);
    }

    /// <summary>
    /// A binary model's reliability diagram before and after calibration (10 uniform bins), as PNG bytes; null for more
    /// than two classes (a reliability diagram is of one class).
    /// </summary>
    /// <param name="labels">True class indices.</param>
    /// <param name="before">Uncalibrated probabilities, row-major <c>(m, 2)</c>.</param>
    /// <param name="after">Calibrated probabilities, row-major <c>(m, 2)</c>.</param>
    /// <param name="method">The calibration method, for the legend.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="positiveClass">Class 1's name.</param>
    public static byte[]? Png(int[] labels, double[] before, double[] after, CalibrationMethod method, string title, string positiveClass)
    {
        if (before.Length != labels.Length * 2) return null;
        var curveBefore = CalibrationCurve.Of(labels, ClassificationMetrics.Column(before, 2, 1), 10);
        var curveAfter = CalibrationCurve.Of(labels, ClassificationMetrics.Column(after, 2, 1), 10);
        using var plot = CalibrationPlot.Compare(curveBefore, curveAfter, $"calibrated ({ModelFile.CalibrationMethodName(method)})", title, positiveClass);
        return PlotImage.Png(plot, 700, 650);
    }

    private static double Brier(int[] labels, double[] proba, int classCount) => classCount == 2
        ? ClassificationMetrics.BrierScoreLoss(labels, ClassificationMetrics.Column(proba, 2, 1))
        : ClassificationMetrics.BrierScoreMulticlass(labels, proba, classCount);
}
