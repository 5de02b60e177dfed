namespace TorchLogistic.Inference;

/// <summary>
/// One equation of a fitted model's inference table: the intercept (<c>const</c>) and one row per feature, with
/// Wald statistics. For a binary model the single equation is the log-odds of the second class; for a
/// multinomial model there is one per non-reference class, log-odds against the reference class.
/// </summary>
/// <param name="Label">What the equation models, e.g. <c>benign</c> or <c>versicolor vs setosa</c>.</param>
/// <param name="Names"><c>const</c> then the feature names.</param>
/// <param name="Coefficients">Estimates β.</param>
/// <param name="StandardErrors">Standard errors √diag(Σ).</param>
/// <param name="Z">Wald statistics β/se.</param>
/// <param name="PValues">Two-sided p-values 2·(1 − Φ(|z|)).</param>
/// <param name="ConfidenceLower">Lower bounds β − z₁₋α/₂·se.</param>
/// <param name="ConfidenceUpper">Upper bounds β + z₁₋α/₂·se.</param>
public sealed record CoefficientTable(string Label, string[] Names, double[] Coefficients, double[] StandardErrors, double[] Z, double[] PValues,
    double[] ConfidenceLower, double[] ConfidenceUpper)
{
    /// <summary>Odds ratios exp(β): the factor the odds are multiplied by per unit of the feature.</summary>
    public double[] OddsRatio => Coefficients.Select(Math.Exp).ToArray();

    /// <summary>Lower bounds of the odds ratios' intervals, exp(lower).</summary>
    public double[] OddsRatioLower => ConfidenceLower.Select(Math.Exp).ToArray();

    /// <summary>Upper bounds of the odds ratios' intervals, exp(upper).</summary>
    public double[] OddsRatioUpper => ConfidenceUpper.Select(Math.Exp).ToArray();
}
