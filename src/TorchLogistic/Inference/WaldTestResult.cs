namespace TorchLogistic.Inference;

/// <summary>A Wald test of linear restrictions <c>Rβ = q</c>: <c>W = (Rβ − q)ᵀ(RΣRᵀ)⁻¹(Rβ − q)</c>, χ² with rank R degrees of freedom.</summary>
/// <param name="Restrictions">The restrictions as given.</param>
/// <param name="Statistic">W.</param>
/// <param name="DegreesOfFreedom">Number of restrictions (rows of R).</param>
/// <param name="PValue">χ² survival of W.</param>
/// <param name="CovarianceKind">The covariance Σ the test used.</param>
public sealed record WaldTestResult(string Restrictions, double Statistic, int DegreesOfFreedom, double PValue, CovarianceKind CovarianceKind)
{
    /// <summary>One line: the restrictions, W, degrees of freedom and p-value.</summary>
    public string Summary() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"Wald test ({CovarianceOptions.NameOf(CovarianceKind)} covariance) of {Restrictions}: chi2({DegreesOfFreedom}) = {Statistic:G6}, p = {PValue:G4}");
}
