using System.Text.Json.Serialization;

namespace TorchLogistic.Reporting;

/// <summary>
/// The schema of the <c>metrics.json</c> that <c>torchlogistic evaluate</c> writes (docs/metrics-json.md): a saved
/// model scored on labelled rows. <see cref="Test"/> and <see cref="Curves"/> have exactly the shape of a training
/// run's <c>test</c> and <c>curves</c> (<see cref="MetricsFile"/>), so that evaluating a model on its own test rows
/// reproduces them.
/// </summary>
public sealed record EvaluationFile
{
    /// <summary>What the data is: a built-in name or the path given.</summary>
    [JsonPropertyName("data")] public required string Data { get; init; }
    /// <summary>The model file scored.</summary>
    [JsonPropertyName("model_file")] public required string ModelFile { get; init; }
    /// <summary>logistic, softmax or ovr.</summary>
    [JsonPropertyName("model")] public required string Model { get; init; }
    /// <summary>The model's class names, in label order (rows may lack some).</summary>
    [JsonPropertyName("classes")] public required string[] Classes { get; init; }
    /// <summary>Names of the model's input columns.</summary>
    [JsonPropertyName("input_features")] public required string[] InputFeatures { get; init; }
    /// <summary>Whether the model has intercepts.</summary>
    [JsonPropertyName("fit_intercept")] public required bool FitIntercept { get; init; }
    /// <summary>Rows scored.</summary>
    [JsonPropertyName("n_test")] public required int NTest { get; init; }
    /// <summary>Classes of the model with no row in the data (their recall is 0 by convention).</summary>
    [JsonPropertyName("classes_without_rows")] public required string[] ClassesWithoutRows { get; init; }
    /// <summary>The metrics of the rows, as a training run's <c>test</c>.</summary>
    [JsonPropertyName("test")] public required EvaluationJson Test { get; init; }
    /// <summary>ROC, precision–recall and (binary) calibration curves of the rows, as a training run's <c>curves</c>.</summary>
    [JsonPropertyName("curves")] public required CurvesJson Curves { get; init; }
}
