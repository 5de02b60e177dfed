namespace TorchLogistic.Inference;

/// <summary>Marginal effects on the probability of one class, one row per feature, with delta-method statistics.</summary>
/// <param name="Label">The class whose probability is differentiated, e.g. <c>P(benign)</c>.</param>
/// <param name="Names">Feature names (no intercept).</param>
/// <param name="Effects">The effects.</param>
/// <param name="StandardErrors">Delta-method standard errors √(J Σ Jᵀ)ᵢᵢ, J = ∂effect/∂β.</param>
/// <param name="Z">effect / se.</param>
/// <param name="PValues">Two-sided p-values.</param>
/// <param name="ConfidenceLower">effect − z₁₋α/₂·se.</param>
/// <param name="ConfidenceUpper">effect + z₁₋α/₂·se.</param>
/// <param name="Discrete">Whether each row is a discrete change (0 → 1, or base level → level) rather than a derivative.</param>
public sealed record MarginalEffectTable(string Label, string[] Names, double[] Effects, double[] StandardErrors, double[] Z, double[] PValues,
    double[] ConfidenceLower, double[] ConfidenceUpper, bool[] Discrete);
