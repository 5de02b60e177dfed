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
    public static MetricsFile create(string data, FittedModel model, Dataset train, Dataset? test, double? threshold = null)
    {
        check(model, threshold);
        var trainEval = Evaluation.of(model, train, threshold);
        var testEval = test == null ? null : Evaluation.of(model, test, threshold);
        var curvesSet = test ?? train;
        return build(data, model, train.n_samples, test?.n_samples ?? 0, evaluation(model, train, trainEval), test == null ? null : evaluation(model, test, testEval!),
            curves(curvesSet.labels, model.predict_proba(curvesSet).values, model.classes, test != null ? "test" : "train"));
    }

    /// <summary>
    /// The report of a model trained on streamed data, from evaluations made by streaming passes
    /// (<see cref="StreamingEvaluation"/>): the same content as <see cref="create"/> except the curves, which need
    /// every score at once.
    /// </summary>
    /// <param name="data">What the data is (a built-in name or a path).</param>
    /// <param name="model">The trained model.</param>
    /// <param name="train">Its evaluation on the training rows.</param>
    /// <param name="test">Its evaluation on the test rows, or null.</param>
    public static MetricsFile create_streamed(string data, FittedModel model, Evaluation train, Evaluation? test)
    {
        check(model, null);
        return build(data, model, train.n_samples, test?.n_samples ?? 0, evaluation(train), test == null ? null : evaluation(test), null);
    }

    private static void check(FittedModel model, double? threshold)
    {
        if (model.result == null) throw new ArgumentException("The model has no training result (was it loaded from a file?).");
        if (threshold.HasValue && model.classes.Length != 2)
            throw new ArgumentException($"A decision threshold applies to binary models; this one has {model.classes.Length} classes. Leave TrainingReport.threshold out.");
    }

    private static MetricsFile build(string data, FittedModel model, int n_train, int n_test, EvaluationJson train, EvaluationJson? test, CurvesJson? curves)
    {
        var result = model.result!;
        var module = model.module;
        int k = (int)module.n_outputs;
        int d = (int)module.in_features;
        double[] theta = module.parameters_to_vector();
        return new MetricsFile
        {
            data = data,
            n_train = n_train,
            n_test = n_test,
            n_features = d,
            feature_names = model.model_feature_names.ToArray(),
            input_features = model.feature_names.ToArray(),
            classes = model.classes.ToArray(),
            model = ModelFile.kind_name(module),
            loss = module switch
            {
                LogisticRegression => "binary_cross_entropy_with_logits",
                OneVsRest => "binary_cross_entropy_with_logits (one per member)",
                _ => "cross_entropy",
            },
            solver = SolverRegistry.name_of(result.solver),
            penalty = model.options.penalty_object.name,
            C = model.options.C,
            objective = result.objective,
            iterations = result.iterations,
            converged = result.converged,
            stop_reason = result.stop_reason,
            criterion = result.criterion,
            function_evaluations = result.function_evaluations,
            fit_seconds = result.fit_seconds,
            train = train,
            test = test,
            curves = curves,
            intercept = theta[(k * d)..],
            coef = Enumerable.Range(0, k).Select(r => theta[(r * d)..((r + 1) * d)]).ToArray(),
            options = ModelFile.options_to_json(model.options),
            history = result.history.Select(h => new HistoryRecordJson(h.iteration, h.objective, h.criterion, h.function_evaluations, h.seconds, h.test_loss)).ToArray(),
            ovr = model.member_results == null ? null : members(model),
        };
    }

    /// <summary>The report as indented JSON text (the source-generated <see cref="MetricsJsonContext"/>).</summary>
    public static string to_text(MetricsFile report) => JsonSerializer.Serialize(report, MetricsJsonContext.Default.MetricsFile);

    /// <summary>The report as a JSON tree (for readers of single fields, such as the CLI's summary).</summary>
    public static JsonObject to_node(MetricsFile report) => JsonSerializer.SerializeToNode(report, MetricsJsonContext.Default.MetricsFile)!.AsObject();

    /// <summary>
    /// One evaluation, and for one-vs-rest how its members agree (<see cref="agreement"/>).
    /// </summary>
    private static EvaluationJson evaluation(FittedModel model, Dataset data, Evaluation e) =>
        model.module is OneVsRest ? evaluation(e) with { ovr = agreement(model.member_proba(data), model.classes.Length) } : evaluation(e);

    /// <summary>
    /// What normalising one-vs-rest probabilities hides: ties (rows whose two most confident members are within
    /// <see cref="OneVsRest.tie_tolerance"/>), rows no member claims (every member probability &lt; 0.5), rows
    /// several members claim (two or more ≥ 0.5), and the spread of the members' probability sums (<see cref="OneVsRestAgreement"/>).
    /// </summary>
    private static AgreementJson agreement(double[] memberProba, int k)
    {
        var a = OneVsRestAgreement.of(memberProba, k);
        return new AgreementJson(a.ties, OneVsRest.tie_tolerance, a.unclaimed, a.contested,
            new RangeJson(a.member_proba_sum.Min(), a.member_proba_sum.Average(), a.member_proba_sum.Max()));
    }

    /// <summary>Each member's run: its class, objective, iterations, criterion, convergence and time.</summary>
    private static OneVsRestJson members(FittedModel model) => new(
        model.member_results!.Select((r, k) => new MemberJson(model.classes[k], r.objective, r.iterations, r.converged, r.criterion,
            r.function_evaluations, r.fit_seconds, r.stop_reason)).ToArray(),
        "objective is the sum of the members' objectives; iterations is the largest member's count");

    /// <summary>The metrics of one evaluation (every field of <see cref="Evaluation"/>).</summary>
    public static EvaluationJson evaluation(Evaluation e) => new(e.n_samples, e.accuracy, e.log_loss, e.threshold, e.balanced_accuracy,
        e.precision, e.recall, e.f1, scores(e.macro!), scores(e.weighted!),
        new PerClassJson(e.per_class!.precision, e.per_class.recall, e.per_class.f1, e.per_class.support),
        matrix(e.confusion_matrix), e.brier_score, e.roc_auc, e.average_precision);

    /// <summary>
    /// ROC and precision–recall curves (binary: of class 1; multiclass: one-vs-rest per class) and, for binary
    /// models, the calibration bins (10 uniform bins), of the rows named by <paramref name="set"/>.
    /// </summary>
    public static CurvesJson curves(int[] y_true, double[] proba, string[] classes, string set)
    {
        int k = classes.Length;
        CalibrationJson? calibration = null;
        var perClass = new Dictionary<string, ClassCurvesJson>();
        foreach (int c in k == 2 ? new[] { 1 } : Enumerable.Range(0, k))
        {
            var positive = y_true.Select(y => y == c ? 1 : 0).ToArray();
            if (positive.All(v => v == 0) || positive.All(v => v == 1)) continue;
            double[] score = ClassificationMetrics.column(proba, k, c);
            var roc = RankingMetrics.roc_curve(positive, score);
            var pr = RankingMetrics.precision_recall_curve(positive, score);
            perClass[classes[c]] = new ClassCurvesJson(
                new RocJson(roc.fpr, roc.tpr, roc.thresholds, RankingMetrics.auc(roc.fpr, roc.tpr)),
                new PrecisionRecallJson(pr.precision, pr.recall, pr.thresholds, RankingMetrics.average_precision_score(positive, score)));
            if (k == 2)
            {
                var cal = CalibrationCurve.of(positive, score, 10);
                calibration = new CalibrationJson(cal.prob_pred, cal.prob_true, cal.counts, cal.bin_edges);
            }
        }
        return new CurvesJson { set = set, calibration = calibration, by_class = perClass };
    }

    private static ScoresJson scores(AveragedScores s) => new(s.precision, s.recall, s.f1);

    private static int[][] matrix(int[,] m) =>
        Enumerable.Range(0, m.GetLength(0)).Select(i => Enumerable.Range(0, m.GetLength(1)).Select(j => m[i, j]).ToArray()).ToArray();
}
