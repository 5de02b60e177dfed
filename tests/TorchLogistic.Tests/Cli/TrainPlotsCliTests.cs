using System.Globalization;
using System.Text.Json.Nodes;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Plotting;

/// <summary><c>train</c> writes the plots of the problem, the metrics, and with <c>--summary</c> the inference table or the separation message.</summary>
[Collection(TwoLaneCollections.ChildProcesses)]
public class TrainPlotsCliTests
{
    [Fact]
    public void Binary_train_with_summary_and_threshold_writes_plots_metrics_and_the_table()
    {
        using var folder = new TempFolder();
        var run = CliProcess.Run("train", "--data", "breast-cancer", "--standardize", "--summary", "--threshold", "0.4", "--out", folder.Path);
        Assert.True(run.ExitCode == 0, run.Stderr);
        foreach (string png in new[] { "loss.png", "roc.png", "pr.png", "calibration.png", "confusion.png", "sigmoid.png" })
            PlotTests.AssertDrawn(folder.File(png), Png.Size(folder.File(png)).Width, Png.Size(folder.File(png)).Height);
        Assert.False(File.Exists(folder.File("weights.png")));
        var metrics = JsonNode.Parse(File.ReadAllText(folder.File("metrics.json")))!.AsObject();
        var test = metrics["test"]!;
        Assert.Equal(0.4, (double)test["threshold"]!);
        foreach (string key in new[] { "balanced_accuracy", "precision", "recall", "f1", "macro", "weighted", "per_class", "confusion_matrix", "brier_score", "roc_auc", "average_precision" })
            Assert.True(test.AsObject().ContainsKey(key), $"test metrics lack '{key}'");
        Assert.Equal(114, test["confusion_matrix"]!.AsArray().SelectMany(r => r!.AsArray()).Sum(v => (int)v!));
        Assert.NotNull(metrics["curves"]!["by_class"]!["benign"]!["roc"]);
        Assert.Equal("Logit", (string)metrics["inference"]!["model"]!);
        string summary = File.ReadAllText(folder.File("summary.txt"));
        Assert.Contains("Logit Regression Results", summary);
        Assert.Contains("worst concave points", summary);
        Assert.Contains("Logit Regression Results", run.Stdout);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"AUC {(double)test["roc_auc"]!:F4}"), run.Stdout);
    }

    [Fact]
    public void Separable_csv_gets_the_separation_message_instead_of_a_table()
    {
        using var folder = new TempFolder();
        var lines = new List<string> { "dose,noise,label" };
        var rng = new Random(2);
        for (int i = 0; i < 80; i++)
        {
            double dose = rng.NextDouble() * 4 - 2;
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{dose:R},{rng.NextDouble():R},{(dose > 0.1 ? "high" : "low")}"));
        }
        File.WriteAllLines(folder.File("separable.csv"), lines);
        var run = CliProcess.Run("train", "--data", folder.File("separable.csv"), "--penalty", "none", "--summary", "--out", folder.File("run"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("complete separation", run.Stdout);
        Assert.Contains("'dose'", run.Stdout);
        Assert.DoesNotContain("std err", run.Stdout);
        Assert.Contains("--penalty l2", File.ReadAllText(Path.Combine(folder.File("run"), "summary.txt")));
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.File("run"), "metrics.json")))!;
        Assert.Equal("CompleteSeparation", (string)metrics["inference"]!["refused"]!);
        PlotTests.AssertDrawn(Path.Combine(folder.File("run"), "boundary.png"), 800, 650);
    }

    [Fact]
    public void Digits_train_writes_weight_images_and_a_10_class_confusion_matrix()
    {
        using var folder = new TempFolder();
        var run = CliProcess.Run("train", "--data", "digits", "--standardize", "--max-iter", "60", "--quiet", "--out", folder.Path);
        Assert.True(run.ExitCode == 0, run.Stderr);
        PlotTests.AssertDrawn(folder.File("weights.png"), 1500, 660);
        PlotTests.AssertDrawn(folder.File("confusion.png"), 900, 800);
        PlotTests.AssertDrawn(folder.File("roc.png"), 800, 600);
        Assert.False(File.Exists(folder.File("calibration.png")));
        Assert.Contains("--threshold applies to binary", CliProcess.Run("train", "--data", "digits", "--threshold", "0.3", "--out", folder.File("x")).Stderr);
    }
}
