using System.Text.Json.Nodes;
using TorchLogistic.Inference;

namespace TorchLogistic.Reporting;

/// <summary>The <c>inference</c> entry of <c>metrics.json</c>: the coefficient tables and fit statistics, or why inference was refused.</summary>
public static class InferenceReport
{
    /// <summary>The tables and statistics of <paramref name="result"/> as JSON.</summary>
    public static JsonObject ToJson(InferenceResult result) => new()
    {
        ["model"] = result.Model,
        ["penalty"] = result.Penalty,
        ["cov_type"] = CovarianceOptions.NameOf(result.CovarianceKind),
        ["C"] = result.C,
        ["standardized"] = result.Standardized,
        ["reference_class"] = result.ReferenceClass,
        ["n_obs"] = result.ObservationCount,
        ["df_model"] = result.ModelDegreesOfFreedom,
        ["df_resid"] = result.ResidualDegreesOfFreedom,
        ["log_likelihood"] = result.LogLikelihood,
        ["null_log_likelihood"] = result.NullLogLikelihood,
        ["pseudo_r_squared"] = result.PseudoRSquared,
        ["llr"] = result.LogLikelihoodRatio,
        ["llr_p_value"] = result.LogLikelihoodRatioPValue,
        ["alpha"] = result.Alpha,
        ["newton_iterations"] = result.NewtonIterations,
        ["equations"] = new JsonArray(result.Equations.Select(e => (JsonNode)new JsonObject
        {
            ["label"] = e.Label,
            ["names"] = new JsonArray(e.Names.Select(n => (JsonNode)n).ToArray()),
            ["coef"] = Numbers(e.Coefficients),
            ["std_err"] = Numbers(e.StandardErrors),
            ["z"] = Numbers(e.Z),
            ["p_values"] = Numbers(e.PValues),
            ["conf_lower"] = Numbers(e.ConfidenceLower),
            ["conf_upper"] = Numbers(e.ConfidenceUpper),
            ["odds_ratio"] = Numbers(e.OddsRatio),
            ["odds_ratio_lower"] = Numbers(e.OddsRatioLower),
            ["odds_ratio_upper"] = Numbers(e.OddsRatioUpper),
        }).ToArray()),
        ["notes"] = new JsonArray(result.Notes.Select(n => (JsonNode)n).ToArray()),
    };

    /// <summary>Marginal effects as JSON: at, method, and per class probability the effects with delta-method statistics.</summary>
    public static JsonObject ToJson(MarginalEffectsResult effects) => new()
    {
        ["at"] = effects.Options.At.ToString().ToLowerInvariant(),
        ["method"] = effects.Options.Method.ToString().ToLowerInvariant(),
        ["tables"] = new JsonArray(effects.Tables.Select(t => (JsonNode)new JsonObject
        {
            ["label"] = t.Label,
            ["names"] = new JsonArray(t.Names.Select(n => (JsonNode)n).ToArray()),
            ["effect"] = Numbers(t.Effects),
            ["std_err"] = Numbers(t.StandardErrors),
            ["z"] = Numbers(t.Z),
            ["p_values"] = Numbers(t.PValues),
            ["conf_lower"] = Numbers(t.ConfidenceLower),
            ["conf_upper"] = Numbers(t.ConfidenceUpper),
            ["discrete"] = new JsonArray(t.Discrete.Select(v => (JsonNode)v).ToArray()),
        }).ToArray()),
    };

    /// <summary>Profile-likelihood intervals as JSON: names, level, lower and upper (null where a bound does not exist).</summary>
    public static JsonObject ToJson(ProfileIntervalsResult intervals) => new()
    {
        ["level"] = 1 - intervals.Alpha,
        ["names"] = new JsonArray(intervals.Names.Select(n => (JsonNode)n).ToArray()),
        ["lower"] = Numbers(intervals.Lower),
        ["upper"] = Numbers(intervals.Upper),
    };

    /// <summary>A refusal as JSON: the reason, the features involved and the full explanation.</summary>
    public static JsonObject ToJson(InferenceRefusal refusal) => new()
    {
        ["refused"] = refusal.Reason.ToString(),
        ["features"] = new JsonArray(refusal.Features.Select(f => (JsonNode)f).ToArray()),
        ["message"] = refusal.Message,
    };

    /// <summary>An outcome as JSON: the inference's tables (<see cref="ToJson(InferenceResult)"/>) or the refusal's reason, features and explanation.</summary>
    public static JsonObject ToJson(InferenceOutcome outcome) => outcome.Refusal is { } refusal ? ToJson(refusal) : ToJson(outcome.Result);

    // Infinite or NaN values (an overflowing odds ratio) are written as null: JSON has no such numbers.
    private static JsonArray Numbers(IEnumerable<double> values) =>
        new(values.Select(v => double.IsFinite(v) ? (JsonNode)v : null).ToArray());
}
