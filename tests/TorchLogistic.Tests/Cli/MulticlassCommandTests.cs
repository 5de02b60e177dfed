using System.Text.Json.Nodes;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Cli;

[Collection(TwoLaneCollections.ChildProcesses)]
public class MulticlassCommandTests
{
    [Fact]
    public void Train_ovr_writes_k_members_a_confusion_matrix_and_the_ties()
    {
        using var folder = new TempFolder();
        var run = CliProcess.Run("train", "--data", "digits", "--model", "ovr", "--standardize", "--out", folder.Path, "--quiet", "--tol", "1e-8");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var metrics = JsonNode.Parse(File.ReadAllText(folder.File("metrics.json")))!.AsObject();
        Assert.Equal("ovr", (string)metrics["model"]!);
        Assert.Equal("ovr", (string)metrics["options"]!["model"]!);
        Assert.Equal(10, metrics["coef"]!.AsArray().Count);
        Assert.Equal(10, metrics["intercept"]!.AsArray().Count);
        Assert.Equal(10, metrics["ovr"]!["members"]!.AsArray().Count);
        Assert.All(metrics["ovr"]!["members"]!.AsArray(), m => Assert.True((bool)m!["converged"]!));
        var test = metrics["test"]!;
        var confusion = test["confusion_matrix"]!.AsArray();
        Assert.Equal(10, confusion.Count);
        long total = confusion.Sum(r => r!.AsArray().Sum(c => (long)c!));
        Assert.Equal((int)metrics["n_test"]!, total);
        long diagonal = Enumerable.Range(0, 10).Sum(k => (long)confusion[k]![k]!);
        Assert.Equal((double)test["accuracy"]!, (double)diagonal / total, 12);
        Assert.Equal(10, test["per_class"]!["precision"]!.AsArray().Count);
        Assert.Equal(10, test["per_class"]!["recall"]!.AsArray().Count);
        Assert.True((int)test["ovr"]!["ties"]! >= 0);
        Assert.Equal(1e-12, (double)test["ovr"]!["tie_tolerance"]!);
        Assert.True((double)test["ovr"]!["member_proba_sum"]!["min"]! < 1);
        Assert.True((double)test["accuracy"]! >= 0.95);

        // predict reads the OvR model back: normalised probabilities.
        string predictions = folder.File("p.csv");
        var predict = CliProcess.Run("predict", "--model", folder.File("model.bin"), "--data", "digits", "--out", predictions);
        Assert.True(predict.ExitCode == 0, predict.Stderr);
        var row = File.ReadAllLines(predictions)[1].Split(',');
        Close.Equal(1.0, row.Take(10).Sum(c => double.Parse(c, System.Globalization.CultureInfo.InvariantCulture)), 1e-12);
    }

    [Fact]
    public void Train_softmax_with_label_smoothing_records_it()
    {
        using var folder = new TempFolder();
        var run = CliProcess.Run("train", "--data", "iris", "--model", "softmax", "--label-smoothing", "0.1", "--out", folder.Path, "--quiet");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var metrics = JsonNode.Parse(File.ReadAllText(folder.File("metrics.json")))!.AsObject();
        Assert.Equal(0.1, (double)metrics["options"]!["label_smoothing"]!);
        Assert.Equal(3, metrics["test"]!["confusion_matrix"]!.AsArray().Count);
    }

    [Theory]
    [InlineData(new[] { "--data", "fashion-mnist", "--test-fraction", "0.3" }, "official train/test split")]
    [InlineData(new[] { "--data", "fashion-mnist", "--data-dir", "/nonexistent/fmnist" }, "apt-get install dataset-fashion-mnist")]
    [InlineData(new[] { "--data", "iris", "--data-dir", "/tmp" }, "--data-dir names the folder of fashion-mnist")]
    [InlineData(new[] { "--data", "iris", "--label-smoothing", "1" }, "--label-smoothing 1 must be in [0, 1)")]
    [InlineData(new[] { "--data", "iris", "--model", "tree" }, "Use logistic, softmax, ovr or auto")]
    public void Bad_multiclass_options_fail_with_one_clear_line(string[] args, string message)
    {
        using var folder = new TempFolder();
        string outDir = folder.File("run");
        var run = CliProcess.Run(args.Concat(new[] { "--out", outDir }).Prepend("train").ToArray());
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", run.Stderr);
        Assert.Contains(message, run.Stderr);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Help_lists_the_multiclass_options()
    {
        var run = CliProcess.Run("train", "--help");
        foreach (string option in new[] { "--data-dir", "--label-smoothing", "ovr" })
            Assert.Contains(option, run.Stdout);
    }
}
