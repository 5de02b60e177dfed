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
    [JsonPropertyName("data")] public required string Data { get; init; }
    /// <summary>Training rows.</summary>
    [JsonPropertyName("n_train")] public required int NTrain { get; init; }
    /// <summary>Test rows (0 without a test set).</summary>
    [JsonPropertyName("n_test")] public required int NTest { get; init; }
    /// <summary>d: columns the model sees (after the polynomial expansion).</summary>
    [JsonPropertyName("n_features")] public required int FeatureCount { get; init; }
    /// <summary>Names of the d model columns.</summary>
    [JsonPropertyName("feature_names")] public required string[] FeatureNames { get; init; }
    /// <summary>Names of the input columns (before expansion).</summary>
    [JsonPropertyName("input_features")] public required string[] InputFeatures { get; init; }
    /// <summary>Class names, in label order.</summary>
    [JsonPropertyName("classes")] public required string[] Classes { get; init; }
    /// <summary>logistic, softmax or ovr.</summary>
    [JsonPropertyName("model")] public required string Model { get; init; }
    /// <summary>The training loss in words.</summary>
    [JsonPropertyName("loss")] public required string Loss { get; init; }
    /// <summary>The solver that ran (auto resolved).</summary>
    [JsonPropertyName("solver")] public required string Solver { get; init; }
    /// <summary>none, l2, l1 or elasticnet.</summary>
    [JsonPropertyName("penalty")] public required string Penalty { get; init; }
    /// <summary>Inverse regularisation strength.</summary>
    [JsonPropertyName("C")] public required double C { get; init; }
    /// <summary>Final training objective F(θ).</summary>
    [JsonPropertyName("objective")] public required double Objective { get; init; }
    /// <summary>Iterations (one-vs-rest: the largest member's).</summary>
    [JsonPropertyName("iterations")] public required int Iterations { get; init; }
    /// <summary>Whether the criterion reached the tolerance.</summary>
    [JsonPropertyName("converged")] public required bool Converged { get; init; }
    /// <summary>Why training stopped, in words.</summary>
    [JsonPropertyName("stop_reason")] public required string StopDescription { get; init; }
    /// <summary>Final convergence criterion.</summary>
    [JsonPropertyName("criterion")] public required double Criterion { get; init; }
    /// <summary>Objective evaluations.</summary>
    [JsonPropertyName("function_evaluations")] public required int FunctionEvaluations { get; init; }
    /// <summary>Wall time of training.</summary>
    [JsonPropertyName("fit_seconds")] public required double FitSeconds { get; init; }
    /// <summary>Metrics on the training rows.</summary>
    [JsonPropertyName("train")] public required EvaluationJson Train { get; init; }
    /// <summary>Metrics on the test rows (null without a test set).</summary>
    [JsonPropertyName("test")] public required EvaluationJson? Test { get; init; }
    /// <summary>Optional: ROC, precision–recall and calibration curves (not for streamed runs).</summary>
    [JsonPropertyName("curves"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public CurvesJson? Curves { get; init; }
    /// <summary>Intercepts b (K values; K zeros for a model without an intercept, options.fit_intercept false).</summary>
    [JsonPropertyName("intercept")] public required double[] Intercept { get; init; }
    /// <summary>Coefficients W (K rows of d).</summary>
    [JsonPropertyName("coef")] public required double[][] Coefficients { get; init; }
    /// <summary>The training options, as model files store them.</summary>
    [JsonPropertyName("options")] public required JsonObject Options { get; init; }
    /// <summary>Iteration records.</summary>
    [JsonPropertyName("history")] public required HistoryRecordJson[] History { get; init; }
    /// <summary>Optional: one-vs-rest members.</summary>
    [JsonPropertyName("ovr"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public OneVsRestJson? Ovr { get; init; }
    /// <summary>Optional (set by the CLI): seed of the split and of sgd.</summary>
    [JsonPropertyName("seed"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Seed { get; init; }
    /// <summary>Optional (CLI): how the test rows were chosen.</summary>
    [JsonPropertyName("split"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Split { get; init; }
    /// <summary>Optional (CLI, in-memory runs): the share of rows held out.</summary>
    [JsonPropertyName("test_fraction"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? TestFraction { get; init; }
    /// <summary>Optional (CLI, <c>--test-data</c> without streaming): the test file scored instead of a split.</summary>
    [JsonPropertyName("test_data"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? TestData { get; init; }
    /// <summary>Optional (CLI, streamed runs): the streaming settings.</summary>
    [JsonPropertyName("streaming"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public StreamingJson? Streaming { get; init; }
    /// <summary>Optional (CLI, LIBSVM input): the sparse matrix's shape, non-zeros and memory against its dense size.</summary>
    [JsonPropertyName("sparse"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public SparseJson? Sparse { get; init; }
    /// <summary>Optional (CLI, <c>--summary</c>): the inference table, or the refusal (<see cref="InferenceReport"/>).</summary>
    [JsonPropertyName("inference"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public JsonObject? Inference { get; init; }
    /// <summary>Optional (CLI, <c>--calibrate</c>): the calibrator fitted on out-of-fold logits and the scores before and after it (<see cref="CalibrationReportJson"/>).</summary>
    [JsonPropertyName("calibration"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public CalibrationReportJson? Calibration { get; init; }
    /// <summary>Optional (CLI): peak resident memory of the process.</summary>
    [JsonPropertyName("peak_memory_bytes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? PeakMemoryBytes { get; init; }
}

/// <summary>
/// A calibration of the model's probabilities (<c>--calibrate</c>): the method, what it maps, the grid point whose
/// out-of-fold logits it was fitted on, its parameters (model.bin's <c>calibration</c> object), and the Brier score and
/// log loss of the uncalibrated and calibrated probabilities on the out-of-fold rows and on the test rows.
/// </summary>
public sealed record CalibrationReportJson(
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("input")] string Input,
    [property: JsonPropertyName("C")] double C,
    [property: JsonPropertyName("n_folds")] int FoldCount,
    [property: JsonPropertyName("out_of_fold")] CalibrationScoresJson OutOfFold,
    [property: JsonPropertyName("test")] CalibrationScoresJson? Test,
    [property: JsonPropertyName("calibrator")] JsonObject Calibrator);

/// <summary>
/// Brier score (binary: of class 1, scikit-learn's <c>brier_score_loss</c>; multiclass: summed over classes) and log loss of
/// one set of rows, before (the model's own probabilities) and after calibration; unweighted, as <c>train</c> and <c>test</c>.
/// </summary>
public sealed record CalibrationScoresJson(
    [property: JsonPropertyName("n_samples")] int SampleCount,
    [property: JsonPropertyName("brier_before")] double BrierBefore,
    [property: JsonPropertyName("brier_after")] double BrierAfter,
    [property: JsonPropertyName("log_loss_before")] double LogLossBefore,
    [property: JsonPropertyName("log_loss_after")] double LogLossAfter);

/// <summary>One evaluation (every field of <see cref="Metrics.Evaluation"/>).</summary>
public sealed record EvaluationJson(
    [property: JsonPropertyName("n_samples")] int SampleCount,
    [property: JsonPropertyName("accuracy")] double Accuracy,
    [property: JsonPropertyName("log_loss")] double LogLoss,
    [property: JsonPropertyName("threshold")] double? Threshold,
    [property: JsonPropertyName("balanced_accuracy")] double BalancedAccuracy,
    [property: JsonPropertyName("precision")] double Precision,
    [property: JsonPropertyName("recall")] double Recall,
    [property: JsonPropertyName("f1")] double F1,
    [property: JsonPropertyName("macro")] ScoresJson Macro,
    [property: JsonPropertyName("weighted")] ScoresJson Weighted,
    [property: JsonPropertyName("per_class")] PerClassJson PerClass,
    [property: JsonPropertyName("confusion_matrix")] int[][] ConfusionMatrix,
    [property: JsonPropertyName("brier_score")] double BrierScore,
    [property: JsonPropertyName("roc_auc")] double? RocAuc,
    [property: JsonPropertyName("average_precision")] double? AveragePrecision)
{
    /// <summary>Optional: how one-vs-rest members agree on these rows.</summary>
    [JsonPropertyName("ovr"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public AgreementJson? Ovr { get; init; }
}

/// <summary>Averaged precision, recall and F1.</summary>
public sealed record ScoresJson(
    [property: JsonPropertyName("precision")] double Precision,
    [property: JsonPropertyName("recall")] double Recall,
    [property: JsonPropertyName("f1")] double F1);

/// <summary>Per-class precision, recall, F1 and support.</summary>
public sealed record PerClassJson(
    [property: JsonPropertyName("precision")] double[] Precision,
    [property: JsonPropertyName("recall")] double[] Recall,
    [property: JsonPropertyName("f1")] double[] F1,
    [property: JsonPropertyName("support")] int[] Support);

/// <summary>What normalising one-vs-rest probabilities hides (see <see cref="Models.OneVsRestAgreement"/>).</summary>
public sealed record AgreementJson(
    [property: JsonPropertyName("ties")] int Ties,
    [property: JsonPropertyName("tie_tolerance")] double TieTolerance,
    [property: JsonPropertyName("rows_no_member_claims")] int RowsNoMemberClaims,
    [property: JsonPropertyName("rows_several_members_claim")] int RowsSeveralMembersClaim,
    [property: JsonPropertyName("member_proba_sum")] RangeJson MemberProbabilitySum);

/// <summary>Minimum, mean and maximum.</summary>
public sealed record RangeJson(
    [property: JsonPropertyName("min")] double Min,
    [property: JsonPropertyName("mean")] double Mean,
    [property: JsonPropertyName("max")] double Max);

/// <summary>The curves of one set of rows: per class (binary: the positive class) ROC and precision–recall; binary: calibration.</summary>
public sealed record CurvesJson
{
    /// <summary>"test" or "train".</summary>
    [JsonPropertyName("set")] public required string Set { get; init; }
    /// <summary>Optional (binary): 10 uniform calibration bins.</summary>
    [JsonPropertyName("calibration"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public CalibrationJson? Calibration { get; init; }
    /// <summary>Class name → its curves (classes with one label value only are left out).</summary>
    [JsonPropertyName("by_class")] public required Dictionary<string, ClassCurvesJson> ByClass { get; init; }
}

/// <summary>Calibration bins (<see cref="Metrics.CalibrationCurve"/>).</summary>
public sealed record CalibrationJson(
    [property: JsonPropertyName("prob_pred")] double[] PredictedProbabilities,
    [property: JsonPropertyName("prob_true")] double[] TrueProbabilities,
    [property: JsonPropertyName("counts")] int[] Counts,
    [property: JsonPropertyName("bin_edges")] double[] BinEdges);

/// <summary>ROC and precision–recall of one class.</summary>
public sealed record ClassCurvesJson(
    [property: JsonPropertyName("roc")] RocJson Roc,
    [property: JsonPropertyName("precision_recall")] PrecisionRecallJson PrecisionRecall);

/// <summary>A ROC curve and its area.</summary>
public sealed record RocJson(
    [property: JsonPropertyName("fpr")] double[] FalsePositiveRates,
    [property: JsonPropertyName("tpr")] double[] TruePositiveRates,
    [property: JsonPropertyName("thresholds")] double[] Thresholds,
    [property: JsonPropertyName("auc")] double Auc);

/// <summary>A precision–recall curve and its average precision.</summary>
public sealed record PrecisionRecallJson(
    [property: JsonPropertyName("precision")] double[] Precision,
    [property: JsonPropertyName("recall")] double[] Recall,
    [property: JsonPropertyName("thresholds")] double[] Thresholds,
    [property: JsonPropertyName("average_precision")] double AveragePrecision);

/// <summary>One iteration record.</summary>
public sealed record HistoryRecordJson(
    [property: JsonPropertyName("iteration")] int Iteration,
    [property: JsonPropertyName("objective")] double Objective,
    [property: JsonPropertyName("criterion")] double Criterion,
    [property: JsonPropertyName("function_evaluations")] int FunctionEvaluations,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("test_loss")] double? TestLoss);

/// <summary>The one-vs-rest members' runs.</summary>
public sealed record OneVsRestJson(
    [property: JsonPropertyName("members")] MemberJson[] Members,
    [property: JsonPropertyName("note")] string Note);

/// <summary>One member's run.</summary>
public sealed record MemberJson(
    [property: JsonPropertyName("class")] string @Class,
    [property: JsonPropertyName("objective")] double Objective,
    [property: JsonPropertyName("iterations")] int Iterations,
    [property: JsonPropertyName("converged")] bool Converged,
    [property: JsonPropertyName("criterion")] double Criterion,
    [property: JsonPropertyName("function_evaluations")] int FunctionEvaluations,
    [property: JsonPropertyName("fit_seconds")] double FitSeconds,
    [property: JsonPropertyName("stop_reason")] string StopDescription);

/// <summary>How a streamed run read its data.</summary>
public sealed record StreamingJson(
    [property: JsonPropertyName("batch_size")] int BatchSize,
    [property: JsonPropertyName("epochs")] int Epochs,
    [property: JsonPropertyName("batches_per_epoch")] long BatchesPerEpoch,
    [property: JsonPropertyName("order")] string Order,
    [property: JsonPropertyName("test_data")] string? TestData);

/// <summary>The sparse input of a LIBSVM run (all rows read, before any split).</summary>
public sealed record SparseJson(
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("rows")] int Rows,
    [property: JsonPropertyName("columns")] int Columns,
    [property: JsonPropertyName("nnz")] long NonZeros,
    [property: JsonPropertyName("density")] double Density,
    [property: JsonPropertyName("storage_bytes")] long StorageBytes,
    [property: JsonPropertyName("dense_bytes")] double DenseBytes);

/// <summary>The source-generated serializer of <see cref="MetricsFile"/>, <see cref="EvaluationFile"/> and <see cref="ImportanceFile"/>: indented, the default (ASCII-safe) encoder.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(MetricsFile))]
[JsonSerializable(typeof(EvaluationFile))]
[JsonSerializable(typeof(ImportanceFile))]
public sealed partial class MetricsJsonContext : JsonSerializerContext;
