using System.Text.Json;
using System.Text.Json.Nodes;
using TorchLogistic.Data;
using TorchLogistic.IO;
using TorchLogistic.Metrics;
using TorchLogistic.Models;
using TorchLogistic.Training;

namespace TorchLogistic.Reporting;

/// <summary>The content of <c>metrics.json</c>: what was trained, how training went, and how the model does.</summary>
public static class TrainingReport
{
    /// <summary>Builds the report of <paramref name="model"/> trained on <paramref name="train"/>, evaluated on <paramref name="test"/> if given.</summary>
    /// <param name="data">What the data is (a built-in name or a path).</param>
    /// <param name="model">The trained model.</param>
    /// <param name="train">Its training rows.</param>
    /// <param name="test">Held-out rows, or null.</param>
    /// <param name="threshold">Binary models: the decision threshold of the label metrics (default 0.5).</param>
    public static JsonObject create(string data, FittedModel model, Dataset train, Dataset? test, double? threshold = null)
    {
        check(model, threshold);
        var trainEval = Evaluation.of(model, train, threshold);
        var testEval = test == null ? null : Evaluation.of(model, test, threshold);
        var curvesSet = test ?? train;
        return build(data, model, train.n_samples, test?.n_samples ?? 0, evaluation(model, train, trainEval), test == null ? null : evaluation(model, test, testEval!),
            curves(curvesSet.labels, model.predict_proba(curvesSet), model.classes, test != null ? "test" : "train"));
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
    public static JsonObject create_streamed(string data, FittedModel model, Evaluation train, Evaluation? test)
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

    private static JsonObject build(string data, FittedModel model, int n_train, int n_test, JsonObject train, JsonObject? test, JsonObject? curves)
    {
        var result = model.result!;
        var module = model.module;
        int k = (int)module.n_outputs;
        int d = (int)module.in_features;
        double[] theta = module.parameters_to_vector();
        var report = new JsonObject
        {
            ["data"] = data,
            ["n_train"] = n_train,
            ["n_test"] = n_test,
            ["n_features"] = d,
            ["feature_names"] = strings(model.model_feature_names),
            ["input_features"] = strings(model.feature_names),
            ["classes"] = strings(model.classes),
            ["model"] = ModelFile.kind_name(module),
            ["loss"] = module switch
            {
                LogisticRegression => "binary_cross_entropy_with_logits",
                OneVsRest => "binary_cross_entropy_with_logits (one per member)",
                _ => "cross_entropy",
            },
            ["solver"] = result.solver,
            ["penalty"] = model.options.penalty_object.name,
            ["C"] = model.options.C,
            ["objective"] = result.objective,
            ["iterations"] = result.iterations,
            ["converged"] = result.converged,
            ["stop_reason"] = result.stop_reason,
            ["criterion"] = result.criterion,
            ["function_evaluations"] = result.function_evaluations,
            ["fit_seconds"] = result.fit_seconds,
            ["train"] = train,
            ["test"] = test,
        };
        if (curves != null) report["curves"] = curves;
        report["intercept"] = numbers(theta.Skip(k * d));
        report["coef"] = new JsonArray(Enumerable.Range(0, k).Select(r => (JsonNode)numbers(theta.Skip(r * d).Take(d))).ToArray());
        report["options"] = ModelFile.options_to_json(model.options);
        report["history"] = new JsonArray(result.history.Select(h => (JsonNode)new JsonObject
        {
            ["iteration"] = h.iteration,
            ["objective"] = h.objective,
            ["criterion"] = h.criterion,
            ["function_evaluations"] = h.function_evaluations,
            ["seconds"] = h.seconds,
            ["test_loss"] = h.test_loss,
        }).ToArray());
        if (model.member_results != null) report["ovr"] = members(model);
        return report;
    }

    /// <summary>The report as indented JSON text.</summary>
    public static string to_text(JsonObject report) => report.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>
    /// One evaluation as JSON, and for one-vs-rest how its members agree (<see cref="agreement"/>).
    /// </summary>
    private static JsonObject evaluation(FittedModel model, Dataset data, Evaluation e)
    {
        var result = evaluation(e);
        if (model.module is OneVsRest) result["ovr"] = agreement(model.member_proba(data), model.classes.Length);
        return result;
    }

    /// <summary>
    /// What normalising one-vs-rest probabilities hides: ties (rows whose two most confident members are within
    /// <see cref="OneVsRest.tie_tolerance"/>), rows no member claims (every member probability &lt; 0.5), rows
    /// several members claim (two or more ≥ 0.5), and the spread of the members' probability sums (<see cref="OneVsRestAgreement"/>).
    /// </summary>
    private static JsonObject agreement(double[] memberProba, int k)
    {
        var a = OneVsRestAgreement.of(memberProba, k);
        return new JsonObject
        {
            ["ties"] = a.ties,
            ["tie_tolerance"] = OneVsRest.tie_tolerance,
            ["rows_no_member_claims"] = a.unclaimed,
            ["rows_several_members_claim"] = a.contested,
            ["member_proba_sum"] = new JsonObject { ["min"] = a.member_proba_sum.Min(), ["mean"] = a.member_proba_sum.Average(), ["max"] = a.member_proba_sum.Max() },
        };
    }

    /// <summary>Each member's run: its class, objective, iterations, criterion, convergence and time.</summary>
    private static JsonObject members(FittedModel model) => new()
    {
        ["members"] = new JsonArray(model.member_results!.Select((r, k) => (JsonNode)new JsonObject
        {
            ["class"] = model.classes[k],
            ["objective"] = r.objective,
            ["iterations"] = r.iterations,
            ["converged"] = r.converged,
            ["criterion"] = r.criterion,
            ["function_evaluations"] = r.function_evaluations,
            ["fit_seconds"] = r.fit_seconds,
            ["stop_reason"] = r.stop_reason,
        }).ToArray()),
        ["note"] = "objective is the sum of the members' objectives; iterations is the largest member's count",
    };

    /// <summary>The metrics of one evaluation as JSON (every field of <see cref="Evaluation"/>).</summary>
    public static JsonObject evaluation(Evaluation e) => new()
    {
        ["n_samples"] = e.n_samples,
        ["accuracy"] = e.accuracy,
        ["log_loss"] = e.log_loss,
        ["threshold"] = e.threshold,
        ["balanced_accuracy"] = e.balanced_accuracy,
        ["precision"] = e.precision,
        ["recall"] = e.recall,
        ["f1"] = e.f1,
        ["macro"] = scores(e.macro!),
        ["weighted"] = scores(e.weighted!),
        ["per_class"] = new JsonObject
        {
            ["precision"] = numbers(e.per_class!.precision),
            ["recall"] = numbers(e.per_class.recall),
            ["f1"] = numbers(e.per_class.f1),
            ["support"] = new JsonArray(e.per_class.support.Select(v => (JsonNode)v).ToArray()),
        },
        ["confusion_matrix"] = matrix(e.confusion_matrix),
        ["brier_score"] = e.brier_score,
        ["roc_auc"] = e.roc_auc,
        ["average_precision"] = e.average_precision,
    };

    /// <summary>
    /// ROC and precision–recall curves (binary: of class 1; multiclass: one-vs-rest per class) and, for binary
    /// models, the calibration bins (10 uniform bins), of the rows named by <paramref name="set"/>.
    /// </summary>
    public static JsonObject curves(int[] y_true, double[] proba, string[] classes, string set)
    {
        int k = classes.Length;
        var result = new JsonObject { ["set"] = set };
        var perClass = new JsonObject();
        foreach (int c in k == 2 ? new[] { 1 } : Enumerable.Range(0, k))
        {
            var positive = y_true.Select(y => y == c ? 1 : 0).ToArray();
            if (positive.All(v => v == 0) || positive.All(v => v == 1)) continue;
            double[] score = ClassificationMetrics.column(proba, k, c);
            var roc = RankingMetrics.roc_curve(positive, score);
            var pr = RankingMetrics.precision_recall_curve(positive, score);
            perClass[classes[c]] = new JsonObject
            {
                ["roc"] = new JsonObject { ["fpr"] = numbers(roc.fpr), ["tpr"] = numbers(roc.tpr), ["thresholds"] = numbers(roc.thresholds), ["auc"] = RankingMetrics.auc(roc.fpr, roc.tpr) },
                ["precision_recall"] = new JsonObject
                {
                    ["precision"] = numbers(pr.precision), ["recall"] = numbers(pr.recall), ["thresholds"] = numbers(pr.thresholds),
                    ["average_precision"] = RankingMetrics.average_precision_score(positive, score),
                },
            };
            if (k == 2)
            {
                var cal = CalibrationCurve.of(positive, score, 10);
                result["calibration"] = new JsonObject
                {
                    ["prob_pred"] = numbers(cal.prob_pred), ["prob_true"] = numbers(cal.prob_true),
                    ["counts"] = new JsonArray(cal.counts.Select(v => (JsonNode)v).ToArray()), ["bin_edges"] = numbers(cal.bin_edges),
                };
            }
        }
        result["by_class"] = perClass;
        return result;
    }

    private static JsonObject scores(AveragedScores s) => new() { ["precision"] = s.precision, ["recall"] = s.recall, ["f1"] = s.f1 };

    private static JsonArray matrix(int[,] m) =>
        new(Enumerable.Range(0, m.GetLength(0)).Select(i => (JsonNode)new JsonArray(Enumerable.Range(0, m.GetLength(1)).Select(j => (JsonNode)m[i, j]).ToArray())).ToArray());

    private static JsonArray strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());

    private static JsonArray numbers(IEnumerable<double> values) => new(values.Select(v => (JsonNode)v).ToArray());
}
