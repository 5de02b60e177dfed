namespace TorchLogistic.Inference;

/// <summary>
/// The estimates and their covariance, all that prediction intervals need: what <see cref="InferenceResult.Estimates"/>
/// gives and what a model file stores (header key <c>inference</c>).
/// </summary>
/// <param name="Classes">Class names; the first is the reference.</param>
/// <param name="Names"><c>const</c> then the feature names (in the model's scale).</param>
/// <param name="Coefficients">β equation by equation (one for binary, K − 1 for multinomial), each <c>[const, features…]</c>.</param>
/// <param name="Covariance">Covariance of <paramref name="Coefficients"/>.</param>
/// <param name="CovarianceKind">How the covariance was computed.</param>
public sealed record CoefficientEstimates(string[] Classes, string[] Names, double[] Coefficients, double[,] Covariance, CovarianceKind CovarianceKind)
{
    /// <summary>Number of equations: 1 for a binary model, K − 1 for a multinomial one.</summary>
    public int EquationCount => Coefficients.Length / Names.Length;
}
