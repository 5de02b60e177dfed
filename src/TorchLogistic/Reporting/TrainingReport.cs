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
        var trainEval = Evaluation.of(model, train);
        var testEval = test == null ? null : Evaluation.of(model, test);
        return new JsonObject
        {
            ["data"] = data,
            ["n_train"] = train.n_samples,
            ["n_test"] = test?.n_samples ?? 0,
            ["n_features"] = d,
            ["feature_names"] = strings(model.feature_names),
            ["classes"] = strings(model.classes),
            ["model"] = module is LogisticRegression ? "logistic" : "softmax",
            ["loss"] = module is LogisticRegression ? "binary_cross_entropy_with_logits" : "cross_entropy",
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
            ["train"] = evaluation(trainEval),
            ["test"] = testEval == null ? null : evaluation(testEval),
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
    }

    /// <summary>The report as indented JSON text.</summary>
    public static string to_text(JsonObject report) => report.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    private static JsonObject evaluation(Evaluation e) => new()
    {
        ["n_samples"] = e.n_samples,
        ["accuracy"] = e.accuracy,
        ["log_loss"] = e.log_loss,
    };

    private static JsonArray strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());

    private static JsonArray numbers(IEnumerable<double> values) => new(values.Select(v => (JsonNode)v).ToArray());
}
