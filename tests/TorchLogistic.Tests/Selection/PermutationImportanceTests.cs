using TorchLogistic.Data;
using TorchLogistic.Models;
using TorchLogistic.Selection;
using TorchLogistic.Tests.Metrics;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;
using Xunit.Abstractions;

namespace TorchLogistic.Tests.Selection;

/// <summary>
/// Permutation importance against scikit-learn 1.2.1's <c>sklearn.inspection.permutation_importance</c>
/// (Fixtures/permutation_importance_sklearn.json, made by Fixtures/scripts/permutation_importance_sklearn.py, which
/// checks its numbers against permutation_importance bit for bit): the same model (its coefficients loaded), the same
/// rows (Fixtures/cv_breast_cancer.csv) and the same index arrays; and on carData's TitanicSurvival, a categorical
/// column permuted as a whole against permuting the raw column of the file and re-encoding it.
/// </summary>
public class PermutationImportanceTests(ITestOutputHelper output)
{
    private static readonly Lazy<(FittedModel Model, Dataset Data, int[][] Permutations)> Reference = new(() =>
    {
        var fixture = FixtureFile.Read("permutation_importance_sklearn.json");
        var raw = CsvDataset.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "cv_breast_cancer.csv"), "label");
        string[] names = fixture["feature_names"]!.AsArray().Select(n => (string)n!).ToArray();
        var data = LabelledRows.Align(raw, names, new[] { "0", "1" });
        var module = new LogisticRegression(names.Length);
        module.VectorToParameters(FixtureFile.Doubles(fixture["coef"]).Append((double)fixture["intercept"]!).ToArray());
        var model = new FittedModel(module, data.Classes, names, null, new TrainingOptions(), null);
        int[][] permutations = fixture["permutations"]!.AsArray().Select(FixtureFile.Ints).ToArray();
        return (model, data, permutations);
    });

    public static TheoryData<string, bool> Cases => new()
    {
        { "accuracy", false }, { "log_loss", false }, { "roc_auc", false }, { "log_loss", true }, { "accuracy", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Importances_equal_scikit_learn_for_the_same_permutations(string scoring, bool weighted)
    {
        var case_ = FixtureFile.Read("permutation_importance_sklearn.json")["cases"]!.AsArray()
            .Single(c => (string)c!["scoring"]! == scoring && (bool)c["weighted"]! == weighted)!;
        var (model, data, permutations) = Reference.Value;
        if (weighted)
        {
            var weights = Enumerable.Range(0, data.SampleCount).Select(i => 1.0 + i % 3).ToArray();
            data = new Dataset(data.Name, data.Features, data.SampleCount, data.FeatureCount, data.Labels, data.Classes, data.FeatureNames, weights);
        }
        var result = PermutationImportance.Compute(model, data, FoldScore.Parse(scoring), permutations);

        // scikit-learn's baseline is of the negated loss for neg_log_loss; ours keeps the loss.
        double baseline = (double)case_["baseline_score"]!;
        Close.Equal(scoring == "log_loss" ? -baseline : baseline, result.BaselineScore, 1e-12, 0, "baseline");
        Assert.Equal(data.FeatureNames, result.Features.Select(f => f.Name));
        var expected = case_["importances"]!.AsArray();
        double[] means = FixtureFile.Doubles(case_["importances_mean"]), sds = FixtureFile.Doubles(case_["importances_std"]);
        for (int j = 0; j < data.FeatureCount; j++)
        {
            Close.All(FixtureFile.Doubles(expected[j]), result.Features[j].Importances, 0, 1e-10, $"{scoring} {data.FeatureNames[j]} importances");
            Close.Equal(means[j], result.Features[j].Mean, 0, 1e-10, $"{scoring} {data.FeatureNames[j]} mean");
            Close.Equal(sds[j], result.Features[j].StandardDeviation, 0, 1e-10, $"{scoring} {data.FeatureNames[j]} sd");
        }
        double worst = Enumerable.Range(0, data.FeatureCount)
            .Max(j => FixtureFile.Doubles(expected[j]).Zip(result.Features[j].Importances, (a, b) => Math.Abs(a - b)).Max());
        output.WriteLine($"{scoring}{(weighted ? " weighted" : "")}: max |ours − scikit-learn| over {data.FeatureCount} × {permutations.Length} importances = {worst:E2}");
        // Not trivially zero: the reference ranks some features well above noise.
        Assert.True(means.Max() > 1e-3, $"largest mean importance {means.Max()}");
    }

    [Fact]
    public void A_feature_the_model_ignores_has_importance_exactly_zero()
    {
        var (reference, data, permutations) = Reference.Value;
        double[] theta = reference.Module.ParametersToVector();
        theta[3] = 0;
        using var module = new LogisticRegression(data.FeatureCount);
        module.VectorToParameters(theta);
        using var model = new FittedModel(module, data.Classes, data.FeatureNames, null, new TrainingOptions(), null);
        var result = PermutationImportance.Compute(model, data, CrossValidationScoring.LogLoss, permutations);
        Assert.All(result.Features[3].Importances, v => Assert.Equal(0.0, v));
        Assert.True(result.Features.Max(f => f.Mean) > 1e-3);
    }

    [Fact]
    public void The_same_seed_gives_the_same_numbers_and_another_seed_other_permutations()
    {
        var (model, data, _) = Reference.Value;
        var options = new PermutationImportanceOptions { Repeats = 3, Scoring = CrossValidationScoring.Accuracy, Seed = 7 };
        var first = PermutationImportance.Compute(model, data, options);
        var second = PermutationImportance.Compute(model, data, options);
        var other = PermutationImportance.Compute(model, data, options with { Seed = 8 });
        for (int j = 0; j < data.FeatureCount; j++) Assert.Equal(first.Features[j].Importances, second.Features[j].Importances);
        Assert.NotEqual(first.Features.SelectMany(f => f.Importances), other.Features.SelectMany(f => f.Importances));
        var permutations = PermutationImportance.Permutations(data.SampleCount, 3, 7);
        Assert.All(permutations, p => Assert.Equal(Enumerable.Range(0, data.SampleCount), p.Order()));
        Assert.Equal(permutations, PermutationImportance.Permutations(data.SampleCount, 3, 7));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(PermutationImportanceOptions.MaxRepeats + 1)]
    public void Repeats_outside_the_cap_are_refused_naming_it(int repeats)
    {
        var (model, data, _) = Reference.Value;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => PermutationImportance.Compute(model, data, new PermutationImportanceOptions { Repeats = repeats }));
        Assert.StartsWith($"PermutationImportanceOptions.Repeats = {repeats} is outside 1 … 1000 (repeats are capped at 1000", e.Message);
    }

    [Fact]
    public void Titanic_categorical_columns_are_permuted_as_a_whole_as_permuting_the_raw_column()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "data", "titanic_survival.csv");
        var train = TabularCsv.Load(path, new TabularOptions { Missing = MissingStrategy.Mean, MissingIndicator = true });
        using var model = Trainer.Fit(train, new TrainingOptions { Standardize = true, Tolerance = 1e-10 });
        Assert.Equal(new[] { "sex[female]", "sex[male]", "age", "age[missing]", "passengerClass[1st]", "passengerClass[2nd]", "passengerClass[3rd]" }, model.FeatureNames);
        var table = TabularTable.Load(path);
        var rows = LabelledRows.FromTable(table, model.Encode(table), model.FeatureNames, model.Classes);
        var permutations = PermutationImportance.Permutations(rows.SampleCount, 2, 3);
        var result = PermutationImportance.Compute(model, rows, CrossValidationScoring.LogLoss, permutations);

        Assert.Equal(new[] { "sex", "age", "passengerClass" }, result.Features.Select(f => f.Name));
        Assert.Equal(new[] { new[] { 0, 1 }, new[] { 2, 3 }, new[] { 4, 5, 6 } }, result.Features.Select(f => f.Columns));
        // Reference: shuffle the column's cells in the file's text, read and encode it again, score it.
        string[] lines = File.ReadAllLines(path);
        var cells = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        double baseline = ClassificationLogLoss(model, table);
        Close.Equal(baseline, result.BaselineScore, 1e-14, 0, "baseline");
        for (int c = 0; c < 3; c++)
        {
            for (int r = 0; r < permutations.Count; r++)
            {
                var text = new System.Text.StringBuilder(lines[0]).Append('\n');
                for (int i = 0; i < cells.Length; i++)
                {
                    var row = (string[])cells[i].Clone();
                    row[c] = cells[permutations[r][i]][c];
                    text.Append(string.Join(',', row)).Append('\n');
                }
                var permuted = TabularTable.Read(new StringReader(text.ToString()), "permuted");
                double loss = ClassificationLogLoss(model, permuted);
                Close.Equal(loss - baseline, result.Features[c].Importances[r], 0, 1e-13, $"{result.Features[c].Name} repeat {r}");
            }
        }
        // sex dominates (women survived far more often), as the survival table says.
        Assert.True(result.Features[0].Mean > result.Features[2].Mean && result.Features[0].Mean > 0.1, $"sex {result.Features[0].Mean}");
    }

    private static double ClassificationLogLoss(FittedModel model, TabularTable table)
    {
        var rows = LabelledRows.FromTable(table, model.Encode(table), model.FeatureNames, model.Classes);
        return TorchLogistic.Metrics.ClassificationMetrics.LogLoss(rows.Labels, model.PredictProbabilities(table).Values, 2);
    }
}
