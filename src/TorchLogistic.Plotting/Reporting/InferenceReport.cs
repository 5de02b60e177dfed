using System.Text.Json.Nodes;
using TorchLogistic.Inference;

namespace TorchLogistic.Reporting;

/// <summary>The <c>inference</c> entry of <c>metrics.json</c>: the coefficient tables and fit statistics, or why inference was refused.</summary>
public static class InferenceReport
{
    /// <summary>The tables and statistics of <paramref name="result"/> as JSON.</summary>
    public static JsonObject to_json(InferenceResult result) => new()
    {
        ["model"] = result.model,
        ["penalty"] = result.penalty,
        ["C"] = result.C,
        ["standardized"] = result.standardized,
        ["reference_class"] = result.reference_class,
        ["n_obs"] = result.n_obs,
        ["df_model"] = result.df_model,
        ["df_resid"] = result.df_resid,
        ["log_likelihood"] = result.log_likelihood,
        ["null_log_likelihood"] = result.null_log_likelihood,
        ["pseudo_r_squared"] = result.pseudo_r_squared,
        ["llr"] = result.llr,
        ["llr_p_value"] = result.llr_p_value,
        ["alpha"] = result.alpha,
        ["newton_iterations"] = result.newton_iterations,
        ["equations"] = new JsonArray(result.equations.Select(e => (JsonNode)new JsonObject
        {
            ["label"] = e.label,
            ["names"] = new JsonArray(e.names.Select(n => (JsonNode)n).ToArray()),
            ["coef"] = numbers(e.coef),
            ["std_err"] = numbers(e.std_err),
            ["z"] = numbers(e.z),
            ["p_values"] = numbers(e.p_values),
            ["conf_lower"] = numbers(e.conf_lower),
            ["conf_upper"] = numbers(e.conf_upper),
            ["odds_ratio"] = numbers(e.odds_ratio),
            ["odds_ratio_lower"] = numbers(e.odds_ratio_lower),
            ["odds_ratio_upper"] = numbers(e.odds_ratio_upper),
        }).ToArray()),
        ["notes"] = new JsonArray(result.notes.Select(n => (JsonNode)n).ToArray()),
    };

    /// <summary>A refusal as JSON: the reason, the features involved and the full explanation.</summary>
    public static JsonObject to_json(InferenceRefusal refusal) => new()
    {
        ["refused"] = refusal.reason.ToString(),
        ["features"] = new JsonArray(refusal.features.Select(f => (JsonNode)f).ToArray()),
        ["message"] = refusal.message,
    };

    /// <summary>An outcome as JSON: the inference's tables (<see cref="to_json(InferenceResult)"/>) or the refusal's reason, features and explanation.</summary>
    public static JsonObject to_json(InferenceOutcome outcome) => outcome.refusal is { } refusal ? to_json(refusal) : to_json(outcome.result);

    // Infinite or NaN values (an overflowing odds ratio) are written as null: JSON has no such numbers.
    private static JsonArray numbers(IEnumerable<double> values) =>
        new(values.Select(v => double.IsFinite(v) ? (JsonNode)v : null).ToArray());
}
