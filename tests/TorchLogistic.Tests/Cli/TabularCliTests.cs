using System.Text.Json.Nodes;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Cli;

/// <summary>train and predict on a real tabular file: carData's TitanicSurvival (categorical sex and class, 263 missing ages).</summary>
[Collection(TwoLaneCollections.ChildProcesses)]
public class TabularCliTests
{
    private static string Titanic => Path.Combine(AppContext.BaseDirectory, "Fixtures", "data", "titanic_survival.csv");

    [Fact]
    public void Titanic_trains_with_imputation_names_features_by_level_and_predicts_raw_rows()
    {
        using var folder = new TempFolder();
        string outDir = folder.File("run");
        var train = CliProcess.Run("train", "--data", Titanic, "--missing", "median", "--missing-indicator", "--out", outDir, "--tol", "1e-8");
        Assert.True(train.ExitCode == 0, train.Stderr);
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")))!.AsObject();
        Assert.Equal(7, (int)metrics["n_features"]!);   // sex[female], sex[male], age, age[missing], passengerClass[1st], [2nd], [3rd]
        Assert.True((double)metrics["test"]!["accuracy"]! > 0.74, metrics["test"]!.ToJsonString());

        var predict = CliProcess.Run("predict", "--model", Path.Combine(outDir, "model.bin"), "--data", Titanic, "--out", folder.File("p.csv"));
        Assert.True(predict.ExitCode == 0, predict.Stderr);
        Assert.Equal(1310, File.ReadAllLines(folder.File("p.csv")).Length);
        Assert.Equal("proba_no,proba_yes,predicted", File.ReadLines(folder.File("p.csv")).First());
        Assert.Contains("sex[male]", File.ReadAllText(Path.Combine(outDir, "metrics.json")));
        Assert.Contains("age[missing]", File.ReadAllText(Path.Combine(outDir, "metrics.json")));
    }

    [Fact]
    public void Drop_reports_the_rows_and_an_unpenalised_summary_without_drop_first_says_why_it_fails()
    {
        using var folder = new TempFolder();
        var none = CliProcess.Run("train", "--data", Titanic, "--missing", "drop", "--penalty", "none", "--summary", "--out", folder.File("none"));
        Assert.True(none.ExitCode == 0, none.Stderr);
        Assert.Contains("note: --missing drop dropped 263 rows with a missing cell before the split.", none.Stderr);
        Assert.Contains("sum to 1, the intercept's column", none.Stdout);
        Assert.Contains("Use --categorical-drop first", File.ReadAllText(Path.Combine(folder.File("none"), "summary.txt")));

        var first = CliProcess.Run("train", "--data", Titanic, "--missing", "drop", "--penalty", "none", "--summary", "--categorical-drop", "first",
            "--test-fraction", "0", "--out", folder.File("first"));
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.DoesNotContain("--categorical-drop first", first.Stdout + first.Stderr);
        string summary = File.ReadAllText(Path.Combine(folder.File("first"), "summary.txt"));
        Assert.Contains("passengerClass[3rd]", summary);
        Assert.Contains("sex[male]", summary);
    }
}
