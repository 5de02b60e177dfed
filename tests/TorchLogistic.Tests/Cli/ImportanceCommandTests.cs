using System.Text.Json.Nodes;
using TorchLogistic.Data;
using TorchLogistic.IO;
using TorchLogistic.Selection;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.Cli;

/// <summary><c>torchlogistic importance</c> on carData's TitanicSurvival: the library's numbers for the same seed, sorted, and a chart.</summary>
public class ImportanceCommandTests
{
    private static string Titanic => Path.Combine(AppContext.BaseDirectory, "Fixtures", "data", "titanic_survival.csv");

    [Fact]
    public void Titanic_importance_is_the_library_s_sorted_with_a_chart_and_fixed_by_the_seed()
    {
        using var folder = new TempFolder();
        // Trained in process (as train --missing mean --test-fraction 0 would) to keep the test to two runs of the executable.
        string model = folder.File("model.bin");
        using (var trained = Trainer.Fit(TabularCsv.Load(Titanic, new TabularOptions { Missing = MissingStrategy.Mean }), new TrainingOptions()))
            ModelFile.Save(trained, model);
        var first = CliProcess.Run("importance", "--model", model, "--data", Titanic, "--repeats", "4", "--seed", "5", "--scoring", "accuracy", "--out", folder.File("a"));
        Assert.True(first.ExitCode == 0, first.Stderr);

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.File("a"), "importance.json")))!;
        Assert.Equal("accuracy", (string)json["scoring"]!);
        Assert.Equal(1309, (int)json["n_rows"]!);
        var features = json["features"]!.AsArray();
        Assert.Equal(new[] { "sex", "passengerClass", "age" }, features.Select(f => (string)f!["feature"]!));
        Assert.Equal(new[] { "sex[female]", "sex[male]" }, features[0]!["columns"]!.AsArray().Select(c => (string)c!));

        // The same numbers as the library with the same seed, in another process: the seed alone fixes them.
        using var loaded = ModelFile.Load(model);
        var table = TabularTable.Load(Titanic);
        var rows = LabelledRows.FromTable(table, loaded.Encode(table), loaded.FeatureNames, loaded.Classes);
        var expected = PermutationImportance.Compute(loaded, rows, new PermutationImportanceOptions { Repeats = 4, Seed = 5, Scoring = CrossValidationScoring.Accuracy });
        foreach (var f in features)
        {
            var want = expected.Features.Single(e => e.Name == (string)f!["feature"]!);
            Assert.Equal(want.Importances, FixtureFile(f!["importances"]));
            Assert.Equal(want.Mean, (double)f["mean"]!);
            Assert.Equal(want.StandardDeviation, (double)f["sd"]!);
        }
        Assert.Equal(expected.BaselineScore, (double)json["baseline_score"]!);

        string[] table_ = first.Stdout.Split('\n');
        Assert.StartsWith("baseline   accuracy 0.78", table_[0]);
        Assert.Matches(@"^sex\s+0\.\d{6}\s+0\.\d{6}  \(2 columns\)$", table_[2]);
        var (width, height) = Png.Size(Path.Combine(folder.File("a"), "importance.png"));
        Assert.Equal(800, width);
        Assert.True(height >= 400, $"height {height}");
        Assert.True(PngContent.Analyse(Path.Combine(folder.File("a"), "importance.png")).NonBackgroundShare > 0.05);
    }

    private static double[] FixtureFile(JsonNode? node) => node!.AsArray().Select(v => (double)v!).ToArray();
}
