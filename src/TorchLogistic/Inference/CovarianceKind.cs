namespace TorchLogistic.Inference;

/// <summary>
/// How the covariance of the estimates is computed. With <c>H</c> the observed information, <c>sᵢ</c> row i's score
/// (gradient of its log-likelihood), <c>wᵢ</c> its frequency weight, n = Σwᵢ rows and k coefficients, every robust
/// kind is the sandwich <c>H⁻¹ M H⁻¹</c>; they differ in the meat M (R's <c>sandwich::vcovHC</c> and <c>vcovCL</c>).
/// </summary>
public enum CovarianceKind
{
    /// <summary>Model-based: <c>H⁻¹</c> (statsmodels' default).</summary>
    Nonrobust,
    /// <summary>White's heteroskedasticity-consistent sandwich, <c>M = Σ wᵢ sᵢsᵢᵀ</c>.</summary>
    HC0,
    /// <summary>HC0 scaled by n/(n − k).</summary>
    HC1,
    /// <summary><c>M = Σ wᵢ sᵢsᵢᵀ/(1 − hᵢ)</c>, hᵢ the hat values of the weighted fit (binary models only).</summary>
    HC2,
    /// <summary><c>M = Σ wᵢ sᵢsᵢᵀ/(1 − hᵢ)²</c>, the jackknife-like choice (binary models only).</summary>
    HC3,
    /// <summary>
    /// Cluster-robust: <c>M = G/(G − 1)·(n − 1)/(n − k)·Σ_g S_g S_gᵀ</c> with S_g the weighted score sum of group g
    /// (statsmodels' <c>cov_type='cluster'</c>, <c>sandwich::vcovCL(type = "HC1")</c>).
    /// </summary>
    Cluster,
}
