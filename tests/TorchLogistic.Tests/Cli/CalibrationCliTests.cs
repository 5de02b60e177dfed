using System.Globalization;
using System.Text.Json.Nodes;
using TorchLogistic.Calibration;
using TorchLogistic.IO;
using TorchLogistic.Tests.Metrics;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Cli;

/// <summary>
/// <c>cv --calibrate</c> on the fixture's folds: model.bin carries the calibrator, <c>predict</c> applies it, and metrics.json's
/// Brier score and log loss before and after equal scikit-learn's on the same out-of-fold rows (Fixtures/calibration_sklearn.json).
/// </summary>
public class CalibrationCliTests
{
    [Theory]
    [InlineData("sigmoid")]
    [InlineData("isotonic")]
    public void Cv_calibrate_stores_the_calibrator_and_predict_applies_it(string method)
    {
        using var folder = new TempFolder();
        string outDir = folder.File("out");
        string data = Path.Combine(AppContext.BaseDirectory, "Fixtures", "cv_breast_cancer.csv");
        var run = CliProcess.Run("cv", "--data", data, "--label", "label", "--fold-column", "fold", "--test-fraction", "0", "--Cs", "1",
            "--solver", "newton", "--tol", "1e-11", "--calibrate", method, "--out", outDir);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains($"calibration: {method} on the 5-fold out-of-fold logits at C = 1", run.Stdout);

        var reference = FixtureFile.Read("calibration_sklearn.json")["breast_cancer"]!;
        var expected = reference[method]!;
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")))!["calibration"]!;
        Assert.Equal(method, (string)metrics["method"]!);
        Assert.Equal(560, (int)metrics["out_of_fold"]!["n_samples"]!);
        foreach (string key in new[] { "brier_before", "brier_after", "log_loss_before", "log_loss_after" })
            Close.Equal((double)expected["oof_scores"]![key]!, (double)metrics["out_of_fold"]![key]!, 0, 1e-6, key);
        Assert.True(PngContent.Analyse(Path.Combine(outDir, "calibration_cv.png")).DistinctColors > 3, "calibration_cv.png is blank");

        using (var model = ModelFile.Load(Path.Combine(outDir, "model.bin")))
            Assert.Equal(method == "sigmoid" ? CalibrationMethod.Sigmoid : CalibrationMethod.Isotonic, model.Calibration!.Method);

        // predict on new rows (some beyond the calibration's range) gives scikit-learn's calibrated probabilities.
        var rows = reference["new_rows"]!.AsArray().Select(r => FixtureFile.Doubles(r)).ToArray();
        string csv = string.Join(",", Enumerable.Range(0, 30).Select(j => $"x{j}")) + "\n"
            + string.Concat(rows.Select(r => string.Join(",", r.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "\n"));
        File.WriteAllText(folder.File("new.csv"), csv);
        var predict = CliProcess.Run("predict", "--model", Path.Combine(outDir, "model.bin"), "--data", folder.File("new.csv"), "--out", folder.File("p.csv"));
        Assert.True(predict.ExitCode == 0, predict.Stderr);
        var lines = File.ReadAllLines(folder.File("p.csv"));
        Assert.StartsWith("proba_0,proba_1,predicted", lines[0]);
        double[] got = lines.Skip(1).SelectMany(l => l.Split(',').Take(2).Select(v => double.Parse(v, CultureInfo.InvariantCulture))).ToArray();
        Close.All(FixtureFile.Doubles(expected["proba_new"]), got, 0, 1e-6, "predict's calibrated probabilities");
    }
}
