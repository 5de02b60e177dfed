using TorchLogistic.Calibration;
using TorchLogistic.Data;
using TorchLogistic.Export;
using TorchLogistic.IO;
using TorchLogistic.Selection;
using TorchLogistic.Tests.Export;
using TorchLogistic.Tests.Metrics;
using TorchLogistic.Tests.Selection;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;
using Xunit.Abstractions;

namespace TorchLogistic.Tests.Calibration;

/// <summary>
/// Calibration on out-of-fold logits against scikit-learn 1.2.1's CalibratedClassifierCV(ensemble=False, cv=PredefinedSplit)
/// on the same folds (Fixtures/calibration_sklearn.json, made by Fixtures/scripts/calibration_sklearn.py from
/// Fixtures/cv_breast_cancer.csv and cv_iris.csv), base LogisticRegression(C=1, newton-cg) fitted tightly on both sides.
/// </summary>
public class CalibrationTests(ITestOutputHelper output)
{
    /// <summary>The issue's tolerance on calibrated probabilities.</summary>
    private const double Tolerance = 1e-6;

    public static TheoryData<string, string, CalibrationMethod> Cases => new()
    {
        { "cv_breast_cancer.csv", "breast_cancer", CalibrationMethod.Sigmoid },
        { "cv_breast_cancer.csv", "breast_cancer", CalibrationMethod.Isotonic },
        { "cv_iris.csv", "iris", CalibrationMethod.Sigmoid },
        { "cv_iris.csv", "iris", CalibrationMethod.Isotonic },
    };

    /// <summary>The base model fitted on the fixture's folds at C = 1 and calibrated on its out-of-fold logits; the caller disposes it.</summary>
    internal static (FittedModel Model, Dataset Data, OutOfFoldCalibrationResult Fit, CrossValidationResult Search) Calibrated(string file, CalibrationMethod method)
    {
        var (data, folds) = CrossValidationTests.Load(file);
        var options = CrossValidationTests.Tight with { Model = data.ClassCount == 2 ? ModelKind.Logistic : ModelKind.Softmax };
        var search = CrossValidation.Run(data, options, new CrossValidationOptions { Cs = new[] { 1.0 }, FoldAssignment = folds, Parallelism = 1 });
        var fit = OutOfFoldCalibration.Fit(data, search, options.Model, method, 0, 0);
        var model = CrossValidation.Refit(data, options, 1.0, search.BestL1Ratio);
        model.Calibration = fit.Calibrator;
        return (model, data, fit, search);
    }

    private static double MaxDifference(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        Assert.Equal(a.Count, b.Count);
        return a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Calibrated_probabilities_equal_CalibratedClassifierCV_on_the_same_folds(string file, string name, CalibrationMethod method)
    {
        var reference = FixtureFile.Read("calibration_sklearn.json")[name]!;
        var expected = reference[ModelFile.CalibrationMethodName(method)]!;
        var (model, data, fit, search) = Calibrated(file, method);
        using var _ = model;
        double[] newRows = reference["new_rows"]!.AsArray().SelectMany(r => FixtureFile.Doubles(r)).ToArray();
        int newCount = newRows.Length / data.FeatureCount;

        // The out-of-fold logits (softmax: centred, as scikit-learn's intercepts sum to zero).
        double[] oof = ProbabilityCalibrator.ScoresOf(fit.Calibrator.Input, search.OutOfFoldLogits![0][0], fit.Calibrator.Maps.Count);
        double oofDifference = MaxDifference(FixtureFile.Doubles(expected["oof_logits"]), oof);
        double[] train = model.PredictProbabilities(data).Values;
        double[] fresh = model.PredictProbabilities(newRows, newCount, data.FeatureCount).Values;
        double trainDifference = MaxDifference(FixtureFile.Doubles(expected["proba_train"]), train);
        double newDifference = MaxDifference(FixtureFile.Doubles(expected["proba_new"]), fresh);
        output.WriteLine($"{name} {method}: max |Δ| out-of-fold logits {oofDifference:E2}, probabilities train {trainDifference:E2}, new rows {newDifference:E2}");
        Assert.True(oofDifference <= 1e-6, $"out-of-fold logits differ by {oofDifference:E2}");
        Assert.True(trainDifference <= Tolerance, $"training rows' probabilities differ by {trainDifference:E2}");
        Assert.True(newDifference <= Tolerance, $"new rows' probabilities differ by {newDifference:E2}");

        var maps = expected["maps"]!.AsArray();
        Assert.Equal(maps.Count, fit.Calibrator.Maps.Count);
        for (int c = 0; c < maps.Count; c++)
        {
            if (method == CalibrationMethod.Sigmoid)
            {
                // scikit-learn's fmin_bfgs stops at gradient ~1e-5 (a, b within ~3e-7 of the optimum); the script's refinement reaches 1e-13.
                var platt = (PlattScaling)fit.Calibrator.Maps[c];
                Close.Equal((double)maps[c]!["refined_a"]!, platt.A, 0, 1e-8, $"{name} a[{c}] vs the refined optimum");
                Close.Equal((double)maps[c]!["refined_b"]!, platt.B, 0, 1e-8, $"{name} b[{c}] vs the refined optimum");
                Close.Equal((double)maps[c]!["a"]!, platt.A, 0, 1e-6, $"{name} a[{c}] vs scikit-learn");
            }
            else
            {
                var isotonic = (IsotonicCalibration)fit.Calibrator.Maps[c];
                Close.All(FixtureFile.Doubles(maps[c]!["x"]), isotonic.X, 0, 1e-6, $"{name} knots[{c}]");
                Close.All(FixtureFile.Doubles(maps[c]!["y"]), isotonic.Y, 0, 1e-12, $"{name} values[{c}]");
            }
        }
        if (method == CalibrationMethod.Sigmoid)
        {
            double refinedTrain = MaxDifference(FixtureFile.Doubles(expected["refined_proba_train"]), train);
            double refinedNew = MaxDifference(FixtureFile.Doubles(expected["refined_proba_new"]), fresh);
            output.WriteLine($"{name} sigmoid vs the refined Platt optimum: train {refinedTrain:E2}, new rows {refinedNew:E2}");
            Assert.True(Math.Max(refinedTrain, refinedNew) <= 1e-8, $"probabilities differ from the refined optimum's by {Math.Max(refinedTrain, refinedNew):E2}");
        }
    }

    [Fact]
    public void Isotonic_regression_is_the_pool_adjacent_violators_fit_with_weights_ties_and_clipping()
    {
        // By hand: scores 0, 1, 1 (a tie: one knot of mean 0.5, weight 2), 2 with labels 1, 0, 1, 0, then 56 rows of class 1
        // at 10 … 65. PAV pools (1 | 0.5 w2 | 0) into (1 + 1 + 0)/4 = 0.5; knots equal to both neighbours (1, 11 … 64) are dropped.
        double[] scores = Enumerable.Range(0, 60).Select(i => i < 56 ? 10.0 + i : new[] { 0.0, 1, 1, 2 }[i - 56]).ToArray();
        int[] labels = Enumerable.Range(0, 60).Select(i => i < 56 ? 1 : new[] { 1, 0, 1, 0 }[i - 56]).ToArray();
        double[] weight = Enumerable.Repeat(1.0, 60).ToArray();
        var map = IsotonicCalibration.Fit(scores, labels, weight);
        Assert.Equal(new[] { 0.0, 2.0, 10.0, 65.0 }, map.X);
        Assert.Equal(new[] { 0.5, 0.5, 1.0, 1.0 }, map.Y);
        Assert.Equal(0.5, map.Apply(-5));
        Assert.Equal(0.75, map.Apply(6), 15);
        Assert.Equal(1.0, map.Apply(1e9));

        var e = Assert.Throws<ArgumentException>(() => IsotonicCalibration.Fit(scores[..49], labels[..49]));
        Assert.Equal("Isotonic calibration needs at least 50 rows of positive weight; there are 49. Use CalibrationMethod.Sigmoid (2 parameters) or more rows.", e.Message);
    }

    [Fact]
    public void A_calibrated_model_file_round_trips_and_an_uncalibrated_one_has_no_calibration_key()
    {
        var (model, data, _, _) = Calibrated("cv_breast_cancer.csv", CalibrationMethod.Isotonic);
        using var owned = model;
        byte[] bytes = ModelFile.ToBytes(model);
        using var loaded = ModelFile.FromBytes(bytes, "model.bin");
        Assert.Equal(model.PredictProbabilities(data).Values, loaded.PredictProbabilities(data).Values);
        Assert.Equal(CalibrationMethod.Isotonic, loaded.Calibration!.Method);

        var calibration = model.Calibration;
        model.Calibration = null;
        byte[] plain = ModelFile.ToBytes(model);
        Assert.DoesNotContain("calibration", System.Text.Encoding.UTF8.GetString(plain));
        Assert.Equal(model.PredictUncalibratedProbabilities(data).Values, model.PredictProbabilities(data).Values);
        model.Calibration = calibration;

        using var fromJson = ExportDocument.FromJson(ExportDocument.ToText(model), "model.json");
        Assert.Equal(model.PredictProbabilities(data).Values, fromJson.PredictProbabilities(data).Values);
    }

    [Fact]
    public void A_calibrator_of_another_shape_is_refused()
    {
        var (model, _, _, _) = Calibrated("cv_breast_cancer.csv", CalibrationMethod.Sigmoid);
        using var owned = model;
        var three = new ProbabilityCalibrator(CalibrationInput.Logits, new ScoreCalibration[] { new PlattScaling(-1, 0), new PlattScaling(-1, 0), new PlattScaling(-1, 0) });
        var e = Assert.Throws<ArgumentException>(() => model.Calibration = three);
        Assert.Contains("Fit the calibrator on this model's logits", e.Message);
    }

    [Fact]
    public void A_binary_softmax_model_gets_one_map_per_class_and_normalised_probabilities()
    {
        // Two logits per row (scikit-learn never has this: its binary decision function is one column).
        var (data, folds) = CrossValidationTests.Load("cv_breast_cancer.csv");
        var options = CrossValidationTests.Tight with { Model = ModelKind.Softmax };
        var search = CrossValidation.Run(data, options, new CrossValidationOptions { Cs = new[] { 1.0 }, FoldAssignment = folds, Parallelism = 1 });
        var fit = OutOfFoldCalibration.Fit(data, search, ModelKind.Softmax, CalibrationMethod.Isotonic, 0, 0);
        Assert.Equal(2, fit.Calibrator.Maps.Count);
        Assert.Equal(CalibrationInput.CentredLogits, fit.Calibrator.Input);
        using var model = CrossValidation.Refit(data, options, 1.0, 0);
        model.Calibration = fit.Calibrator;
        double[] p = model.PredictProbabilities(data).Values;
        for (int i = 0; i < data.SampleCount; i++) Assert.Equal(1.0, p[2 * i] + p[2 * i + 1], 12);
        var (onnx, _, _) = OnnxRuntimeRun.Run(OnnxExport.ToBytes(model), model.FeatureNames, OnnxRuntimeRun.AsFloat32(data.Features), data.SampleCount);
        double[] expected = model.PredictProbabilities(OnnxRuntimeRun.AsFloat32(data.Features), data.SampleCount, data.FeatureCount).Values;
        Assert.True(MaxDifference(expected, onnx) <= 1e-7, $"ONNX differs by {MaxDifference(expected, onnx):E2}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Onnx_runtime_gives_the_calibrated_probabilities(string file, string name, CalibrationMethod method)
    {
        var (model, data, _, _) = Calibrated(file, method);
        using var owned = model;
        var reference = FixtureFile.Read("calibration_sklearn.json")[name]!;
        // The training rows and the new rows, whose logits lie beyond the calibration's range (the clipped ends).
        double[] rows = OnnxRuntimeRun.AsFloat32(data.Features.Concat(reference["new_rows"]!.AsArray().SelectMany(r => FixtureFile.Doubles(r))).ToArray());
        int count = rows.Length / data.FeatureCount;
        var (probabilities, labels, _) = OnnxRuntimeRun.Run(OnnxExport.ToBytes(model), model.FeatureNames, rows, count);
        double[] expected = model.PredictProbabilities(rows, count, data.FeatureCount).Values;
        double difference = MaxDifference(expected, probabilities);
        output.WriteLine($"{name} {method}: max |ONNX − library| = {difference:E2}; nodes {string.Join(" ", OnnxExport.NodeList(model))}");
        // float64 inside; only the float32 output rounding (≤ 6e-8) separates the two.
        Assert.True(difference <= 1e-7, $"max difference {difference:E3}");
        Assert.Equal(FittedModel.ArgmaxRows(probabilities, model.Classes.Length).Select(c => model.Classes[c]), labels);
    }
}
