using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace TorchLogistic.Reporting;

/// <summary>
/// The schema of <c>metrics.json</c> (docs/metrics-json.md lists every field). Each key is named by
/// <see cref="JsonPropertyNameAttribute"/>, so renaming a member cannot change the file; keys appear in declaration
/// order. A null member marked "optional" is left out; every other null is written as <c>null</c>.
/// </summary>
public sealed record MetricsFile
{
    /// <summary>What the data is: a built-in name or the path given.</summary>
    [JsonPropertyName("data")] public required string data { get; init; }
    /// <summary>Training rows.</summary>
    [JsonPropertyName("n_train")] public required int n_train { get; init; }
    /// <summary>Test rows (0 without a test set).</summary>
    [JsonPropertyName("n_test")] public required int n_test { get; init; }
    /// <summary>d: columns the model sees (after the polynomial expansion).</summary>
    [JsonPropertyName("n_features")] public required int n_features { get; init; }
    /// <summary>Names of the d model columns.</summary>
    [JsonPropertyName("feature_names")] public required string[] feature_names { get; init; }
    /// <summary>Names of the input columns (before expansion).</summary>
    [JsonPropertyName("input_features")] public required string[] input_features { get; init; }
    /// <summary>Class names, in label order.</summary>
    [JsonPropertyName("classes")] public required string[] classes { get; init; }
    /// <summary>logistic, softmax or ovr.</summary>
    [JsonPropertyName("model")] public required string model { get; init; }
    /// <summary>The training loss in words.</summary>
    [JsonPropertyName("loss")] public required string loss { get; init; }
    /// <summary>The solver that ran (auto resolved).</summary>
    [JsonPropertyName("solver")] public required string solver { get; init; }
    /// <summary>none, l2, l1 or elasticnet.</summary>
    [JsonPropertyName("penalty")] public required string penalty { get; init; }
    /// <summary>Inverse regularisation strength.</summary>
    [JsonPropertyName("C")] public required double C { get; init; }
    /// <summary>Final training objective F(θ).</summary>
    [JsonPropertyName("objective")] public required double objective { get; init; }
    /// <summary>Iterations (one-vs-rest: the largest member's).</summary>
    [JsonPropertyName("iterations")] public required int iterations { get; init; }
    /// <summary>Whether the criterion reached the tolerance.</summary>
    [JsonPropertyName("converged")] public required bool converged { get; init; }
    /// <summary>Why training stopped, in words.</summary>
    [JsonPropertyName("stop_reason")] public required string stop_reason { get; init; }
    /// <summary>Final convergence criterion.</summary>
    [JsonPropertyName("criterion")] public required double criterion { get; init; }
    /// <summary>Objective evaluations.</summary>
    [JsonPropertyName("function_evaluations")] public required int function_evaluations { get; init; }
    /// <summary>Wall time of training.</summary>
    [JsonPropertyName("fit_seconds")] public required double fit_seconds { get; init; }
    /// <summary>Metrics on the training rows.</summary>
    [JsonPropertyName("train")] public required EvaluationJson train { get; init; }
    /// <summary>Metrics on the test rows (null without a test set).</summary>
    [JsonPropertyName("test")] public required EvaluationJson? test { get; init; }
    /// <summary>Optional: ROC, precision–recall and calibration curves (not for streamed runs).</summary>
    [JsonPropertyName("curves"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public CurvesJson? curves { get; init; }
    /// <summary>Intercepts b (K values).</summary>
    [JsonPropertyName("intercept")] public required double[] intercept { get; init; }
    /// <summary>Coefficients W (K rows of d).</summary>
    [JsonPropertyName("coef")] public required double[][] coef { get; init; }
    /// <summary>The training options, as model files store them.</summary>
    [JsonPropertyName("options")] public required JsonObject options { get; init; }
    /// <summary>Iteration records.</summary>
    [JsonPropertyName("history")] public required HistoryRecordJson[] history { get; init; }
    /// <summary>Optional: one-vs-rest members.</summary>
    [JsonPropertyName("ovr"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public OneVsRestJson? ovr { get; init; }
    /// <summary>Optional (set by the CLI): seed of the split and of sgd.</summary>
    [JsonPropertyName("seed"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? seed { get; init; }
    /// <summary>Optional (CLI): how the test rows were chosen.</summary>
    [JsonPropertyName("split"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? split { get; init; }
    /// <summary>Optional (CLI, in-memory runs): the share of rows held out.</summary>
    [JsonPropertyName("test_fraction"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? test_fraction { get; init; }
    /// <summary>Optional (CLI, streamed runs): the streaming settings.</summary>
    [JsonPropertyName("streaming"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public StreamingJson? streaming { get; init; }
    /// <summary>Optional (CLI, <c>--summary</c>): the inference table, or the refusal (<see cref="InferenceReport"/>).</summary>
    [JsonPropertyName("inference"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public JsonObject? inference { get; init; }
    /// <summary>Optional (CLI): peak resident memory of the process.</summary>
    [JsonPropertyName("peak_memory_bytes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? peak_memory_bytes { get; init; }
}

/// <summary>One evaluation (every field of <see cref="Metrics.Evaluation"/>).</summary>
public sealed record EvaluationJson(
    [property: JsonPropertyName("n_samples")] int n_samples,
    [property: JsonPropertyName("accuracy")] double accuracy,
    [property: JsonPropertyName("log_loss")] double log_loss,
    [property: JsonPropertyName("threshold")] double? threshold,
    [property: JsonPropertyName("balanced_accuracy")] double balanced_accuracy,
    [property: JsonPropertyName("precision")] double precision,
    [property: JsonPropertyName("recall")] double recall,
    [property: JsonPropertyName("f1")] double f1,
    [property: JsonPropertyName("macro")] ScoresJson macro,
    [property: JsonPropertyName("weighted")] ScoresJson weighted,
    [property: JsonPropertyName("per_class")] PerClassJson per_class,
    [property: JsonPropertyName("confusion_matrix")] int[][] confusion_matrix,
    [property: JsonPropertyName("brier_score")] double brier_score,
    [property: JsonPropertyName("roc_auc")] double? roc_auc,
    [property: JsonPropertyName("average_precision")] double? average_precision)
{
    /// <summary>Optional: how one-vs-rest members agree on these rows.</summary>
    [JsonPropertyName("ovr"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public AgreementJson? ovr { get; init; }
}

/// <summary>Averaged precision, recall and F1.</summary>
public sealed record ScoresJson(
    [property: JsonPropertyName("precision")] double precision,
    [property: JsonPropertyName("recall")] double recall,
    [property: JsonPropertyName("f1")] double f1);

/// <summary>Per-class precision, recall, F1 and support.</summary>
public sealed record PerClassJson(
    [property: JsonPropertyName("precision")] double[] precision,
    [property: JsonPropertyName("recall")] double[] recall,
    [property: JsonPropertyName("f1")] double[] f1,
    [property: JsonPropertyName("support")] int[] support);

/// <summary>What normalising one-vs-rest probabilities hides (see <see cref="Models.OneVsRestAgreement"/>).</summary>
public sealed record AgreementJson(
    [property: JsonPropertyName("ties")] int ties,
    [property: JsonPropertyName("tie_tolerance")] double tie_tolerance,
    [property: JsonPropertyName("rows_no_member_claims")] int rows_no_member_claims,
    [property: JsonPropertyName("rows_several_members_claim")] int rows_several_members_claim,
    [property: JsonPropertyName("member_proba_sum")] RangeJson member_proba_sum);

/// <summary>Minimum, mean and maximum.</summary>
public sealed record RangeJson(
    [property: JsonPropertyName("min")] double min,
    [property: JsonPropertyName("mean")] double mean,
    [property: JsonPropertyName("max")] double max);

/// <summary>The curves of one set of rows: per class (binary: the positive class) ROC and precision–recall; binary: calibration.</summary>
public sealed record CurvesJson
{
    /// <summary>"test" or "train".</summary>
    [JsonPropertyName("set")] public required string set { get; init; }
    /// <summary>Optional (binary): 10 uniform calibration bins.</summary>
    [JsonPropertyName("calibration"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public CalibrationJson? calibration { get; init; }
    /// <summary>Class name → its curves (classes with one label value only are left out).</summary>
    [JsonPropertyName("by_class")] public required Dictionary<string, ClassCurvesJson> by_class { get; init; }
}

/// <summary>Calibration bins (<see cref="Metrics.CalibrationCurve"/>).</summary>
public sealed record CalibrationJson(
    [property: JsonPropertyName("prob_pred")] double[] prob_pred,
    [property: JsonPropertyName("prob_true")] double[] prob_true,
    [property: JsonPropertyName("counts")] int[] counts,
    [property: JsonPropertyName("bin_edges")] double[] bin_edges);

/// <summary>ROC and precision–recall of one class.</summary>
public sealed record ClassCurvesJson(
    [property: JsonPropertyName("roc")] RocJson roc,
    [property: JsonPropertyName("precision_recall")] PrecisionRecallJson precision_recall);

/// <summary>A ROC curve and its area.</summary>
public sealed record RocJson(
    [property: JsonPropertyName("fpr")] double[] fpr,
    [property: JsonPropertyName("tpr")] double[] tpr,
    [property: JsonPropertyName("thresholds")] double[] thresholds,
    [property: JsonPropertyName("auc")] double auc);

/// <summary>A precision–recall curve and its average precision.</summary>
public sealed record PrecisionRecallJson(
    [property: JsonPropertyName("precision")] double[] precision,
    [property: JsonPropertyName("recall")] double[] recall,
    [property: JsonPropertyName("thresholds")] double[] thresholds,
    [property: JsonPropertyName("average_precision")] double average_precision);

/// <summary>One iteration record.</summary>
public sealed record HistoryRecordJson(
    [property: JsonPropertyName("iteration")] int iteration,
    [property: JsonPropertyName("objective")] double objective,
    [property: JsonPropertyName("criterion")] double criterion,
    [property: JsonPropertyName("function_evaluations")] int function_evaluations,
    [property: JsonPropertyName("seconds")] double seconds,
    [property: JsonPropertyName("test_loss")] double? test_loss);

/// <summary>The one-vs-rest members' runs.</summary>
public sealed record OneVsRestJson(
    [property: JsonPropertyName("members")] MemberJson[] members,
    [property: JsonPropertyName("note")] string note);

/// <summary>One member's run.</summary>
public sealed record MemberJson(
    [property: JsonPropertyName("class")] string @class,
    [property: JsonPropertyName("objective")] double objective,
    [property: JsonPropertyName("iterations")] int iterations,
    [property: JsonPropertyName("converged")] bool converged,
    [property: JsonPropertyName("criterion")] double criterion,
    [property: JsonPropertyName("function_evaluations")] int function_evaluations,
    [property: JsonPropertyName("fit_seconds")] double fit_seconds,
    [property: JsonPropertyName("stop_reason")] string stop_reason);

/// <summary>How a streamed run read its data.</summary>
public sealed record StreamingJson(
    [property: JsonPropertyName("batch_size")] int batch_size,
    [property: JsonPropertyName("epochs")] int epochs,
    [property: JsonPropertyName("batches_per_epoch")] long batches_per_epoch,
    [property: JsonPropertyName("order")] string order,
    [property: JsonPropertyName("test_data")] string? test_data);

/// <summary>The source-generated serializer of <see cref="MetricsFile"/>: indented, the default (ASCII-safe) encoder.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(MetricsFile))]
public sealed partial class MetricsJsonContext : JsonSerializerContext;
