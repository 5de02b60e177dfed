using System.Globalization;
using TorchLogistic.Inference;
using TorchLogistic.Tests.Inference;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Cli;

/// <summary>Likelihood-ratio test, AIC and BIC against statsmodels 0.13.5 (Fixtures/robust_inference_statsmodels.json, "compare").</summary>
public class CompareModelsTests
{
    [Fact]
    public void Lr_test_aic_and_bic_equal_statsmodels()
    {
        var reference = RobustCovarianceTests.Sm["compare"]!;
        var rows = RobustCovarianceTests.Rows();
        var full = LogitInference.Fit(rows).Result;
        var small = LogitInference.Fit(rows.SelectFeatures(new[] { "x1" })).Result;
        var comparison = ModelComparison.Of(full, small);
        Assert.False(comparison.RestrictedIsFirst);
        Close.Equal((double)reference["lr"]!, comparison.Statistic, 1e-9, 0, "LR");
        Close.Equal((double)reference["p"]!, comparison.PValue, 1e-8, 0, "p");
        Assert.Equal((int)(double)reference["df"]!, comparison.DegreesOfFreedom);
        Close.Equal((double)reference["full"]!["aic"]!, full.Aic, 1e-10, 0, "AIC full");
        Close.Equal((double)reference["full"]!["bic"]!, full.Bic, 1e-10, 0, "BIC full");
        Close.Equal((double)reference["small"]!["aic"]!, small.Aic, 1e-10, 0, "AIC small");
        Close.Equal((double)reference["small"]!["bic"]!, small.Bic, 1e-10, 0, "BIC small");
        var other = LogitInference.Fit(rows.SelectFeatures(new[] { "x2" })).Result;
        var e = Assert.Throws<ArgumentException>(() => ModelComparison.Of(small, other));
        Assert.Contains("not nested", e.Message);
    }

    [Fact]
    public void Cli_prints_the_test_and_refuses_models_that_are_not_nested()
    {
        using var folder = new TempFolder();
        string csv = InferenceCliTests.WriteRows(folder, withGroups: false, withWeights: false);
        string Train(string name, params string[] dropped)
        {
            // Each model sees only its columns: write them to its own CSV.
            var lines = File.ReadAllLines(csv).Select(l => l.Split(',')).ToArray();
            var keep = Enumerable.Range(0, lines[0].Length).Where(j => !dropped.Contains(lines[0][j])).ToArray();
            string path = folder.File(name + ".csv");
            File.WriteAllLines(path, lines.Select(l => string.Join(",", keep.Select(j => l[j]))));
            string outDir = folder.File(name);
            var run = CliProcess.Run("train", "--data", path, "--label", "y", "--penalty", "none", "--test-fraction", "0", "--quiet", "--out", outDir);
            Assert.True(run.ExitCode == 0, run.Stderr);
            return Path.Combine(outDir, "model.bin");
        }
        string full = Train("full"), small = Train("small", "x2", "d"), other = Train("other", "x1", "d");
        var compare = CliProcess.Run("compare-models", small, full, "--data", csv, "--label", "y");
        Assert.True(compare.ExitCode == 0, compare.Stderr);
        double lr = (double)RobustCovarianceTests.Sm["compare"]!["lr"]!;
        Assert.Contains($"LR = {lr.ToString("G6", CultureInfo.InvariantCulture)}, df = 2", compare.Stdout);
        var refused = CliProcess.Run("compare-models", small, other, "--data", csv, "--label", "y");
        BadInputRun.AssertRefused(refused, "The models are not nested: the features of");
    }
}
