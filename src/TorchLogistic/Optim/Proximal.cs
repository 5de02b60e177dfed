namespace TorchLogistic.Optim;

/// <summary>
/// The L1 term <c>λ₁‖θ[0..PenalizedCount)‖₁</c> seen by the solvers: its proximal operator (soft-thresholding, which
/// sets coefficients to exactly 0), the prox-gradient mapping used as the convergence measure, and OWL-QN's
/// pseudo-gradient. The intercepts θ[PenalizedCount..] are never thresholded.
/// </summary>
internal static class Proximal
{
    /// <summary>‖θ[0..PenalizedCount)‖₁.</summary>
    public static double L1Norm(double[] theta, int penalizedCount)
    {
        double sum = 0;
        for (int j = 0; j < penalizedCount; j++) sum += Math.Abs(theta[j]);
        return sum;
    }

    /// <summary>sign(v)·max(|v| − τ, 0).</summary>
    public static double SoftThreshold(double v, double tau) => v > tau ? v - tau : v < -tau ? v + tau : 0.0;

    /// <summary>
    /// The proximal gradient step <c>prox_{t·λ₁‖·‖₁}(θ − t·g)</c> into <paramref name="result"/>; with
    /// λ₁ = 0 it is the plain gradient step.
    /// </summary>
    public static void GradientStep(double[] theta, double[] gradient, double t, double l1, int penalizedCount, double[] result)
    {
        double tau = t * l1;
        for (int j = 0; j < theta.Length; j++)
        {
            double v = theta[j] - t * gradient[j];
            result[j] = j < penalizedCount && tau > 0 ? SoftThreshold(v, tau) : v;
        }
    }

    /// <summary>
    /// ‖G(θ)‖∞ with <c>G(θ) = θ − prox_{λ₁‖·‖₁}(θ − ∇f(θ))</c>, the prox-gradient mapping with unit step: zero
    /// exactly at the minimisers of F = f + λ₁‖·‖₁, continuous in θ, and equal to ‖∇f(θ)‖∞ when λ₁ = 0. Per
    /// entry: <c>∇ⱼf + λ₁·sign(θⱼ − ∇ⱼf)</c> when |θⱼ − ∇ⱼf| &gt; λ₁, else θⱼ.
    /// </summary>
    public static double GradientMappingNorm(double[] theta, double[] gradient, double l1, int penalizedCount)
    {
        if (l1 == 0) return VectorMath.MaxAbs(gradient, theta.Length);
        double max = 0;
        for (int j = 0; j < theta.Length; j++)
        {
            double g = j < penalizedCount && l1 > 0 ? theta[j] - SoftThreshold(theta[j] - gradient[j], l1) : gradient[j];
            max = Math.Max(max, Math.Abs(g));
        }
        return max;
    }

    /// <summary>
    /// The minimum-norm subgradient of F (OWL-QN's pseudo-gradient): <c>∇ⱼf + λ₁·sign θⱼ</c> for θⱼ ≠ 0; for θⱼ = 0
    /// the one-sided derivative that points downhill, or 0 when <c>|∇ⱼf| ≤ λ₁</c>.
    /// </summary>
    public static void PseudoGradient(double[] theta, double[] gradient, double l1, int penalizedCount, double[] result)
    {
        for (int j = 0; j < theta.Length; j++)
        {
            double g = gradient[j];
            if (j >= penalizedCount || l1 == 0) result[j] = g;
            else if (theta[j] > 0) result[j] = g + l1;
            else if (theta[j] < 0) result[j] = g - l1;
            else if (g + l1 < 0) result[j] = g + l1;
            else if (g - l1 > 0) result[j] = g - l1;
            else result[j] = 0;
        }
    }
}
