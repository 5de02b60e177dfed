using System.Text.Json.Nodes;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Cli;

[Collection(TwoLaneCollections.ChildProcesses)]
public class TrainCommandTests
{
    [Fact]
    public void Train_writes_metrics_plot_and_model_and_predict_reads_them()
    {
        using var folder = new TempFolder();
        string outDir = folder.File("run");
        var train = CliProcess.Run("train", "--data", "breast-cancer", "--standardize", "--out", outDir, "--seed", "3", "--tol", "1e-8");
        Assert.True(train.ExitCode == 0, train.Stderr);

        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")))!.AsObject();
        foreach (string key in new[] { "data", "n_train", "n_test", "n_features", "classes", "model", "loss", "solver", "penalty", "C",
                     "objective", "iterations", "converged", "fit_seconds", "train", "test", "intercept", "coef", "history" })
            Assert.True(metrics.ContainsKey(key), $"metrics.json lacks '{key}'");
        Assert.Equal(455, (int)metrics["n_train"]!);                  // 569 − ceil(0.2 · 569)
        Assert.Equal(114, (int)metrics["n_test"]!);
        Assert.Equal(30, metrics["coef"]!.AsArray()[0]!.AsArray().Count);
        Assert.Single(metrics["intercept"]!.AsArray());
        Assert.True((bool)metrics["converged"]!);
        Assert.True((double)metrics["test"]!["accuracy"]! > 0.94);
        var history = metrics["history"]!.AsArray();
        Assert.Equal(0, (int)history[0]!["iteration"]!);
        Assert.NotNull(history[^1]!["test_loss"]);
        // The objective only decreases under L-BFGS's line search.
        var objectives = history.Select(h => (double)h!["objective"]!).ToList();
        Assert.True(objectives.Zip(objectives.Skip(1)).All(p => p.Second <= p.First + 1e-15));

        Assert.Equal((800, 500), Png.Size(Path.Combine(outDir, "loss.png")));
        var (colors, drawn) = PngContent.Analyse(Path.Combine(outDir, "loss.png"));
        Assert.True(colors > 20 && drawn > 0.02, $"loss.png looks blank: {colors} colours, {drawn:P1} drawn");

        // predict on a CSV with the model's columns (by name, in another order, plus a label column).
        string csv = folder.File("new.csv");
        var data = TorchLogistic.Data.BuiltinDatasets.Load("breast-cancer");
        var names = data.FeatureNames.Reverse().ToArray();
        var lines = new List<string> { string.Join(",", names.Select(n => n).Append("label")) };
        for (int i = 0; i < 5; i++)
            lines.Add(string.Join(",", names.Select(n => data[i, Array.IndexOf(data.FeatureNames, n)].ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append("x")));
        File.WriteAllLines(csv, lines);
        string predictions = folder.File("predictions.csv");
        var predict = CliProcess.Run("predict", "--model", Path.Combine(outDir, "model.bin"), "--data", csv, "--out", predictions);
        Assert.True(predict.ExitCode == 0, predict.Stderr);
        var rows = File.ReadAllLines(predictions);
        Assert.Equal("proba_malignant,proba_benign,predicted", rows[0]);
        Assert.Equal(6, rows.Length);
        foreach (var row in rows.Skip(1))
        {
            var cells = row.Split(',');
            Close.Equal(1.0, double.Parse(cells[0], System.Globalization.CultureInfo.InvariantCulture) + double.Parse(cells[1], System.Globalization.CultureInfo.InvariantCulture), 1e-12);
        }
        // The first rows of breast cancer are malignant.
        Assert.Equal("malignant", rows[1].Split(',')[2]);
    }

    [Fact]
    public void Test_fraction_zero_trains_on_every_row_and_test_is_null()
    {
        using var folder = new TempFolder();
        var run = CliProcess.Run("train", "--data", "iris", "--test-fraction", "0", "--out", folder.Path, "--quiet");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var metrics = JsonNode.Parse(File.ReadAllText(folder.File("metrics.json")))!.AsObject();
        Assert.Equal(150, (int)metrics["n_train"]!);
        Assert.Null(metrics["test"]);
        Assert.Equal("softmax", (string)metrics["model"]!);
        Assert.Equal(3, metrics["coef"]!.AsArray().Count);
    }

    [Fact]
    public void Help_lists_the_train_options()
    {
        var run = CliProcess.Run("train", "--help");
        Assert.Equal(0, run.ExitCode);
        foreach (string option in new[] { "--data", "--label", "--test-fraction", "--seed", "--standardize", "--penalty", "--C", "--solver", "--max-iter", "--tol", "--out" })
            Assert.Contains(option, run.Stdout);
    }

    [Fact]
    public void Bad_option_values_fail_with_one_clear_line_and_write_nothing()
    {
        using var folder = new TempFolder();
        string outDir = folder.File("run");
        var run = CliProcess.Run("train", "--data", "breast-cancer", "--C", "0", "--out", outDir);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: --C 0 must be", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.False(Directory.Exists(outDir));
    }
}
