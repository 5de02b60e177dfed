namespace TorchLogistic.Inference;

/// <summary>Where marginal effects are evaluated (statsmodels' <c>get_margeff(at=…)</c>).</summary>
public enum MarginalAt
{
    /// <summary>At every training row, then averaged (average marginal effects).</summary>
    Overall,
    /// <summary>At the column means.</summary>
    Mean,
    /// <summary>At the column medians (continuous effects only).</summary>
    Median,
    /// <summary>At every feature 0 (continuous effects only).</summary>
    Zero,
}
