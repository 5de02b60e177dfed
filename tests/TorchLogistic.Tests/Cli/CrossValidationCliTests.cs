using System.Text.Json.Nodes;
using TorchLogistic.IO;
using TorchLogistic.Tests.Metrics;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Cli;

/// <summary><c>torchlogistic cv</c> with a fold column: cv.json carries LogisticRegressionCV's chosen C and fold scores, and the refit is written.</summary>
public class CrossValidationCliTests
{
    [Fact]
    public void Cv_with_the_fixtures_fold_column_writes_cv_json_cv_png_and_the_refit_at_scikit_learns_C()
    {
        using var folder = new TempFolder();
        string outDir = folder.File("out");
        string data = Path.Combine(AppContext.BaseDirectory, "Fixtures", "cv_breast_cancer.csv");
        var run = CliProcess.Run("cv", "--data", data, "--label", "label", "--fold-column", "fold", "--test-fraction", "0",
            "--solver", "newton", "--tol", "1e-11", "--out", outDir, "--quiet");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "cv.json")))!;
        var reference = FixtureFile.Read("cross_validation_sklearn.json")["breast_cancer"]!["neg_log_loss"]!;
        Close.Equal((double)reference["C"]!, (double)json["best_C"]!, 1e-12);
        Close.Equal((double)reference["C"]!, (double)json["refit_C"]!, 1e-12);
        var exact = FixtureFile.Read("cross_validation_exact.json")["log_loss"]!.AsArray();
        var folds = json["fold_scores"]!.AsArray();
        Assert.Equal(5, folds.Count);
        for (int f = 0; f < 5; f++) Close.All(FixtureFile.Doubles(exact[f]), FixtureFile.Doubles(folds[f]), 1e-6, 0, $"fold {f}");
        Assert.Equal(10, FixtureFile.Doubles(json["mean"]).Length);
        Assert.Equal(10, FixtureFile.Doubles(json["se"]).Length);
        Assert.True((double)json["one_se_C"]! <= (double)json["best_C"]!);
        Assert.True(PngContent.Analyse(Path.Combine(outDir, "cv.png")).DistinctColors > 3, "cv.png is blank");
        using var model = ModelFile.Load(Path.Combine(outDir, "model.bin"));
        Close.Equal((double)reference["C"]!, model.Options.C, 1e-12);
        Assert.Equal(30, model.FeatureNames.Length);
        Assert.DoesNotContain("fold", model.FeatureNames);
    }
}
