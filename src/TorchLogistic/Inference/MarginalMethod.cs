namespace TorchLogistic.Inference;

/// <summary>What a marginal effect measures (statsmodels' <c>get_margeff(method=…)</c>), for probability p and feature x.</summary>
public enum MarginalMethod
{
    /// <summary>∂p/∂x: probability change per unit of x.</summary>
    Dydx,
    /// <summary>∂ln p/∂ln x: elasticity, percent change of p per percent change of x (continuous only).</summary>
    Eyex,
    /// <summary>∂p/∂ln x = x·∂p/∂x (continuous only).</summary>
    Dyex,
    /// <summary>∂ln p/∂x: relative change of p per unit of x.</summary>
    Eydx,
}
