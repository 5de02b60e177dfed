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
    public static JsonObject create(string data, FittedModel model, Dataset train, Dataset? test)
    {
        var result = model.result ?? throw new ArgumentException("The model has no training result (was it loaded from a file?).");
        var module = model.module;
        int k = (int)module.n_outputs;
        int d = (int)module.in_features;
        double[] theta = module.parameters_to_vector();
        var report = new JsonObject
        {
            ["data"] = data,
            ["n_train"] = train.n_samples,
            ["n_test"] = test?.n_samples ?? 0,
            ["n_features"] = d,
            ["feature_names"] = strings(model.feature_names),
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
            ["train"] = evaluation(model, train),
            ["test"] = test == null ? null : evaluation(model, test),
            ["intercept"] = numbers(theta.Skip(k * d)),
            ["coef"] = new JsonArray(Enumerable.Range(0, k).Select(r => (JsonNode)numbers(theta.Skip(r * d).Take(d))).ToArray()),
            ["options"] = ModelFile.options_to_json(model.options),
            ["history"] = new JsonArray(result.history.Select(h => (JsonNode)new JsonObject
            {
                ["iteration"] = h.iteration,
                ["objective"] = h.objective,
                ["criterion"] = h.criterion,
                ["function_evaluations"] = h.function_evaluations,
                ["seconds"] = h.seconds,
                ["test_loss"] = h.test_loss,
            }).ToArray()),
        };
        if (model.member_results != null) report["ovr"] = members(model);
        return report;
    }

    /// <summary>The report as indented JSON text.</summary>
    public static string to_text(JsonObject report) => report.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>
    /// Accuracy, log loss (scikit-learn's), the confusion matrix (rows: true classes, columns: predicted) with
    /// per-class precision, recall and support, and for one-vs-rest how its members agree (<see cref="agreement"/>).
    /// </summary>
    private static JsonObject evaluation(FittedModel model, Dataset data)
    {
        int k = model.classes.Length;
        double[] proba = model.predict_proba(data);
        int[] predicted = FittedModel.argmax_rows(proba, k);
        var confusion = new ConfusionMatrix(data.labels, predicted, k);
        var result = new JsonObject
        {
            ["n_samples"] = data.n_samples,
            ["accuracy"] = ClassificationMetrics.accuracy(data.labels, predicted),
            ["log_loss"] = ClassificationMetrics.log_loss(data.labels, proba, k),
            ["confusion_matrix"] = new JsonArray(confusion.to_rows().Select(r => (JsonNode)new JsonArray(r.Select(c => (JsonNode)c).ToArray())).ToArray()),
            ["precision"] = numbers(confusion.precision()),
            ["recall"] = numbers(confusion.recall()),
            ["support"] = new JsonArray(confusion.support.Select(c => (JsonNode)c).ToArray()),
        };
        if (model.module is OneVsRest) result["ovr"] = agreement(model.member_proba(data), k);
        return result;
    }

    /// <summary>
    /// What normalising one-vs-rest probabilities hides: ties (rows whose two most confident members are within
    /// <see cref="OneVsRest.tie_tolerance"/>), rows no member claims (every member probability &lt; 0.5), rows
    /// several members claim (two or more ≥ 0.5), and the spread of the members' probability sums.
    /// </summary>
    private static JsonObject agreement(double[] memberProba, int k)
    {
        int m = memberProba.Length / k;
        var sums = new double[m];
        int unclaimed = 0, contested = 0;
        for (int i = 0; i < m; i++)
        {
            int claims = 0;
            for (int j = 0; j < k; j++)
            {
                double p = memberProba[i * k + j];
                sums[i] += p;
                if (p >= 0.5) claims++;
            }
            if (claims == 0) unclaimed++;
            if (claims >= 2) contested++;
        }
        return new JsonObject
        {
            ["ties"] = OneVsRest.count_ties(memberProba, k),
            ["tie_tolerance"] = OneVsRest.tie_tolerance,
            ["rows_no_member_claims"] = unclaimed,
            ["rows_several_members_claim"] = contested,
            ["member_proba_sum"] = new JsonObject { ["min"] = sums.Min(), ["mean"] = sums.Average(), ["max"] = sums.Max() },
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

    private static JsonArray strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());

    private static JsonArray numbers(IEnumerable<double> values) => new(values.Select(v => (JsonNode)v).ToArray());
}
