using System.Text.Json;
using System.Text.Json.Nodes;
using TorchLogistic.Data;
using TorchLogistic.IO;
using TorchLogistic.Metrics;
using TorchLogistic.Models;
using TorchLogistic.Optim;
using TorchLogistic.Training;

namespace TorchLogistic.Reporting;

/// <summary>
/// The content of <c>metrics.json</c> (<see cref="MetricsFile"/>): what was trained, how training went, and how the
/// model does.
/// </summary>
public static class TrainingReport
{
    /// <summary>Builds the report of <paramref name="model"/> trained on <paramref name="train"/>, evaluated on <paramref name="test"/> if given.</summary>
    /// <param name="data">What the data is (a built-in name or a path).</param>
    /// <param name="model">The trained model.</param>
    /// <param name="train">Its training rows.</param>
    /// <param name="test">Held-out rows, or null.</param>
    /// <param name="threshold">Binary models: the decision threshold of the label metrics (default 0.5).</param>
    public static MetricsFile Create(string data, FittedModel model, Dataset train, Dataset? test, double? threshold = null)
    {
        Check(model, threshold);
        var trainEval = global::TorchLogistic.Metrics.Evaluation.Of(model, train, threshold);
        var testEval = test == null ? null : global::TorchLogistic.Metrics.Evaluation.Of(model, test, threshold);
        var curvesSet = test ?? train;
        return Build(data, model, train.SampleCount, test?.SampleCount ?? 0, Evaluation(model, train, trainEval), test == null ? null : Evaluation(model, test, testEval!),
            Curves(curvesSet.Labels, model.PredictProbabilities(curvesSet).Values, model.Classes, test != null ? "test" : "train"));
    }

    /// <summary>
    /// The report of a model from the labels and probabilities of its training rows (a distributed run's rows over
    /// all ranks, <c>DistributedPredictions.Gather</c>), without a test set: the content of <c>Create</c> on
    /// those rows. Not for one-vs-rest models (their member agreement needs the rows).
    /// </summary>
    /// <param name="data">What the data is (a built-in name or a path).</param>
    /// <param name="model">The trained model.</param>
    /// <param name="labels">Every training row's class index.</param>
    /// <param name="probabilities">Every training row's class probabilities, row-major (rows × classes).</param>
    /// <param name="threshold">Binary models: the decision threshold of the label metrics (default 0.5).</param>
    public static MetricsFile CreateFromScores(string data, FittedModel model, int[] labels, double[] probabilities, double? threshold = null)
    {
        Check(model, threshold);
        if (model.Module is OneVsRest) throw new ArgumentException("A one-vs-rest model's report needs its rows; pass the Dataset.");
        var train = global::TorchLogistic.Metrics.Evaluation.Of(labels, probabilities, model.Classes.Length, threshold);
        return Build(data, model, labels.Length, 0, Evaluation(train), null, Curves(labels, probabilities, model.Classes, "train"));
    }

    /// <summary>
    /// The report of a model trained on streamed data, from evaluations made by streaming passes
    /// (<see cref="StreamingEvaluation"/>): the same content as <see cref="Create"/> except the curves, which need
    /// every score at once.
    /// </summary>
    /// <param name="data">What the data is (a built-in name or a path).</param>
    /// <param name="model">The trained model.</param>
    /// <param name="train">Its evaluation on the training rows.</param>
    /// <param name="test">Its evaluation on the test rows, or null.</param>
    public static MetricsFile CreateStreamed(string data, FittedModel model, global::TorchLogistic.Metrics.Evaluation train, global::TorchLogistic.Metrics.Evaluation? test)
    {
        Check(model, null);
        return Build(data, model, train.SampleCount, test?.SampleCount ?? 0, Evaluation(train), test == null ? null : Evaluation(test), null);
    }

    private static void Check(FittedModel model, double? threshold)
    {
        if (model.Result == null) throw new ArgumentException("The model has no training result (was it loaded from a file?).");
        if (threshold.HasValue && model.Classes.Length != 2)
            throw new ArgumentException($"A decision threshold applies to binary models; this one has {model.Classes.Length} classes. Leave TrainingReport.threshold out.");
    }

    private static MetricsFile Build(string data, FittedModel model, int nTrain, int nTest, EvaluationJson train, EvaluationJson? test, CurvesJson? curves)
    {
        var result = model.Result!;
        var module = model.Module;
        int k = (int)module.OutputCount;
        int d = (int)module.FeatureCount;
        double[] theta = module.ParametersToVector();
        return new MetricsFile
        {
            Data = data,
            NTrain = nTrain,
            NTest = nTest,
            FeatureCount = d,
            FeatureNames = model.ModelFeatureNames.ToArray(),
            InputFeatures = model.FeatureNames.ToArray(),
            Classes = model.Classes.ToArray(),
            Model = ModelFile.KindName(module),
            Loss = module switch
            {
                LogisticRegression => "binary_cross_entropy_with_logits",
                OneVsRest => "binary_cross_entropy_with_logits (one per member)",
                _ => "cross_entropy",
            },
            Solver = SolverRegistry.NameOf(result.Solver),
            Penalty = model.Options.PenaltyObject.Name,
            C = model.Options.C,
            Objective = result.Objective,
            Iterations = result.Iterations,
            Converged = result.Converged,
            StopDescription = result.StopDescription,
            Criterion = result.Criterion,
            FunctionEvaluations = result.FunctionEvaluations,
            FitSeconds = result.FitSeconds,
            Train = train,
            Test = test,
            Curves = curves,
            Intercept = module.FitIntercept ? theta[(k * d)..] : new double[k],
            Coefficients = Enumerable.Range(0, k).Select(r => theta[(r * d)..((r + 1) * d)]).ToArray(),
            Options = ModelFile.OptionsToJson(model.Options),
            History = result.History.Select(h => new HistoryRecordJson(h.Iteration, h.Objective, h.Criterion, h.FunctionEvaluations, h.Seconds, h.TestLoss)).ToArray(),
            Ovr = model.MemberResults == null ? null : Members(model),
        };
    }

    /// <summary>The report as indented JSON text (the source-generated <see cref="MetricsJsonContext"/>).</summary>
    public static string ToText(MetricsFile report) => JsonSerializer.Serialize(report, MetricsJsonContext.Default.MetricsFile);

    /// <summary>The report as a JSON tree (for readers of single fields, such as the CLI's summary).</summary>
    public static JsonObject ToNode(MetricsFile report) => JsonSerializer.SerializeToNode(report, MetricsJsonContext.Default.MetricsFile)!.AsObject();

    /// <summary>
    /// One evaluation, and for one-vs-rest how its members agree (<see cref="Agreement"/>).
    /// </summary>
    internal static EvaluationJson Evaluation(FittedModel model, Dataset data, global::TorchLogistic.Metrics.Evaluation e) =>
        model.Module is OneVsRest ? Evaluation(e) with { Ovr = Agreement(model.MemberProbabilities(data), model.Classes.Length) } : Evaluation(e);

    /// <summary>
    /// What normalising one-vs-rest probabilities hides: ties (rows whose two most confident members are within
    /// <see cref="OneVsRest.TieTolerance"/>), rows no member claims (every member probability &lt; 0.5), rows
    /// several members claim (two or more ≥ 0.5), and the spread of the members' probability sums (<see cref="OneVsRestAgreement"/>).
    /// </summary>
    private static AgreementJson Agreement(double[] memberProba, int k)
    {
        var a = OneVsRestAgreement.Of(memberProba, k);
        return new AgreementJson(a.Ties, OneVsRest.TieTolerance, a.Unclaimed, a.Contested,
            new RangeJson(a.MemberProbabilitySum.Min(), a.MemberProbabilitySum.Average(), a.MemberProbabilitySum.Max()));
    }

    /// <summary>Each member's run: its class, objective, iterations, criterion, convergence and time.</summary>
    private static OneVsRestJson Members(FittedModel model) => new(
        model.MemberResults!.Select((r, k) => new MemberJson(model.Classes[k], r.Objective, r.Iterations, r.Converged, r.Criterion,
            r.FunctionEvaluations, r.FitSeconds, r.StopDescription)).ToArray(),
        "objective is the sum of the members' objectives; iterations is the largest member's count");

    /// <summary>The metrics of one evaluation (every field of <see cref="global::TorchLogistic.Metrics.Evaluation"/>).</summary>
    public static EvaluationJson Evaluation(global::TorchLogistic.Metrics.Evaluation e) => new(e.SampleCount, e.Accuracy, e.LogLoss, e.Threshold, e.BalancedAccuracy,
        e.Precision, e.Recall, e.F1, Scores(e.Macro!), Scores(e.Weighted!),
        new PerClassJson(e.PerClass!.Precision, e.PerClass.Recall, e.PerClass.F1, e.PerClass.Support),
        Matrix(e.ConfusionMatrix), e.BrierScore, e.RocAuc, e.AveragePrecision);

    /// <summary>
    /// ROC and precision–recall curves (binary: of class 1; multiclass: one-vs-rest per class) and, for binary
    /// models, the calibration bins (10 uniform bins), of the rows named by <paramref name="set"/>.
    /// </summary>
    public static CurvesJson Curves(int[] yTrue, double[] proba, string[] classes, string set)
    {
        int k = classes.Length;
        CalibrationJson? calibration = null;
        var perClass = new Dictionary<string, ClassCurvesJson>();
        foreach (int c in k == 2 ? new[] { 1 } : Enumerable.Range(0, k))
        {
            var positive = yTrue.Select(y => y == c ? 1 : 0).ToArray();
            if (positive.All(v => v == 0) || positive.All(v => v == 1)) continue;
            double[] score = ClassificationMetrics.Column(proba, k, c);
            var roc = RankingMetrics.RocCurve(positive, score);
            var pr = RankingMetrics.PrecisionRecallCurve(positive, score);
            perClass[classes[c]] = new ClassCurvesJson(
                new RocJson(roc.FalsePositiveRates, roc.TruePositiveRates, roc.Thresholds, RankingMetrics.Auc(roc.FalsePositiveRates, roc.TruePositiveRates)),
                new PrecisionRecallJson(pr.Precision, pr.Recall, pr.Thresholds, RankingMetrics.AveragePrecisionScore(positive, score)));
            if (k == 2)
            {
                var cal = CalibrationCurve.Of(positive, score, 10);
                calibration = new CalibrationJson(cal.PredictedProbabilities, cal.TrueProbabilities, cal.Counts, cal.BinEdges);
            }
        }
        return new CurvesJson { Set = set, Calibration = calibration, ByClass = perClass };
    }

    private static ScoresJson Scores(AveragedScores s) => new(s.Precision, s.Recall, s.F1);

    private static int[][] Matrix(int[,] m) =>
        Enumerable.Range(0, m.GetLength(0)).Select(i => Enumerable.Range(0, m.GetLength(1)).Select(j => m[i, j]).ToArray()).ToArray();
}
