using System.Text.Json;
using System.Text.Json.Serialization;
using TorchLogistic.Selection;

namespace TorchLogistic.Reporting;

/// <summary>
/// The schema of the <c>importance.json</c> that <c>torchlogistic importance</c> writes (docs/metrics-json.md):
/// permutation importances of a saved model on labelled rows, features by decreasing mean importance.
/// </summary>
public sealed record ImportanceFile
{
    /// <summary>What the data is: a built-in name or the path given.</summary>
    [JsonPropertyName("data")] public required string Data { get; init; }
    /// <summary>The model file scored.</summary>
    [JsonPropertyName("model_file")] public required string ModelFile { get; init; }
    /// <summary>log_loss, accuracy, roc_auc or balanced_accuracy.</summary>
    [JsonPropertyName("scoring")] public required string Scoring { get; init; }
    /// <summary>Whether the score is a loss (log loss): then importance is the rise of the loss.</summary>
    [JsonPropertyName("lower_is_better")] public required bool LowerIsBetter { get; init; }
    /// <summary>The score of the rows as given (a loss for log loss).</summary>
    [JsonPropertyName("baseline_score")] public required double BaselineScore { get; init; }
    /// <summary>Permutations per feature.</summary>
    [JsonPropertyName("n_repeats")] public required int Repeats { get; init; }
    /// <summary>Seed of the permutations.</summary>
    [JsonPropertyName("seed")] public required int Seed { get; init; }
    /// <summary>Rows scored.</summary>
    [JsonPropertyName("n_rows")] public required int Rows { get; init; }
    /// <summary>Whether row weights weighed the scores.</summary>
    [JsonPropertyName("weighted")] public required bool Weighted { get; init; }
    /// <summary>One entry per raw feature, by decreasing mean importance.</summary>
    [JsonPropertyName("features")] public required FeatureImportanceJson[] Features { get; init; }

    /// <summary>The file of <paramref name="result"/>.</summary>
    public static ImportanceFile Of(PermutationImportanceResult result, string data, string modelFile, int seed, IReadOnlyList<string> modelFeatureNames) => new()
    {
        Data = data,
        ModelFile = modelFile,
        Scoring = FoldScore.NameOf(result.Scoring),
        LowerIsBetter = FoldScore.LowerIsBetter(result.Scoring),
        BaselineScore = result.BaselineScore,
        Repeats = result.Repeats,
        Seed = seed,
        Rows = result.RowCount,
        Weighted = result.Weighted,
        Features = result.Ranked.Select(f => new FeatureImportanceJson(f.Name, f.Columns.Select(j => modelFeatureNames[j]).ToArray(),
            f.Mean, f.StandardDeviation, f.Importances)).ToArray(),
    };

    /// <summary>The file as indented JSON text (the source-generated <see cref="MetricsJsonContext"/>).</summary>
    public string ToText() => JsonSerializer.Serialize(this, MetricsJsonContext.Default.ImportanceFile) + Environment.NewLine;
}

/// <summary>One raw feature's permutation importance.</summary>
/// <param name="Feature">The raw feature (a tabular column's name).</param>
/// <param name="Columns">The model's columns permuted together (a categorical column's <c>name[level]</c> columns and indicator).</param>
/// <param name="Mean">Mean importance over the repeats.</param>
/// <param name="Sd">Population standard deviation over the repeats (as scikit-learn's <c>importances_std</c>).</param>
/// <param name="Importances">Each repeat's importance: baseline score − permuted score, higher-is-better scale.</param>
public sealed record FeatureImportanceJson(
    [property: JsonPropertyName("feature")] string Feature,
    [property: JsonPropertyName("columns")] string[] Columns,
    [property: JsonPropertyName("mean")] double Mean,
    [property: JsonPropertyName("sd")] double Sd,
    [property: JsonPropertyName("importances")] double[] Importances);
