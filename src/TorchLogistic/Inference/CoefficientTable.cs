namespace TorchLogistic.Inference;

/// <summary>
/// One equation of a fitted model's inference table: the intercept (<c>const</c>) and one row per feature, with
/// Wald statistics. For a binary model the single equation is the log-odds of the second class; for a
/// multinomial model there is one per non-reference class, log-odds against the reference class.
/// </summary>
/// <param name="label">What the equation models, e.g. <c>benign</c> or <c>versicolor vs setosa</c>.</param>
/// <param name="names"><c>const</c> then the feature names.</param>
/// <param name="coef">Estimates β.</param>
/// <param name="std_err">Standard errors √diag(Σ).</param>
/// <param name="z">Wald statistics β/se.</param>
/// <param name="p_values">Two-sided p-values 2·(1 − Φ(|z|)).</param>
/// <param name="conf_lower">Lower bounds β − z₁₋α/₂·se.</param>
/// <param name="conf_upper">Upper bounds β + z₁₋α/₂·se.</param>
public sealed record CoefficientTable(string label, string[] names, double[] coef, double[] std_err, double[] z, double[] p_values,
    double[] conf_lower, double[] conf_upper)
{
    /// <summary>Odds ratios exp(β): the factor the odds are multiplied by per unit of the feature.</summary>
    public double[] odds_ratio => coef.Select(Math.Exp).ToArray();

    /// <summary>Lower bounds of the odds ratios' intervals, exp(lower).</summary>
    public double[] odds_ratio_lower => conf_lower.Select(Math.Exp).ToArray();

    /// <summary>Upper bounds of the odds ratios' intervals, exp(upper).</summary>
    public double[] odds_ratio_upper => conf_upper.Select(Math.Exp).ToArray();
}
