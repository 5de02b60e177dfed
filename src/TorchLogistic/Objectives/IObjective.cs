namespace TorchLogistic.Objectives;

/// <summary>
/// What a solver sees: a function of the flat parameter vector θ = [vec(W); b], split as
/// <c>F(θ) = f(θ) + λ₁‖θ[0..PenalizedCount)‖₁</c> with f smooth (data term plus any L2 penalty) and an L1 term that
/// proximal solvers handle. Says up front what it can give (Hessians or not), like Math.NET's
/// <c>IObjectiveFunction</c>. Solvers work on managed float64 vectors; implementations do the tensor work.
/// </summary>
public interface IObjective : IDisposable
{
    /// <summary>Length of θ.</summary>
    int ParameterCount { get; }

    /// <summary>The leading entries θ[0..PenalizedCount) are penalised; the rest (intercepts) never are.</summary>
    int PenalizedCount { get; }

    /// <summary>λ₁ ≥ 0, the weight of the L1 term; 0 when the penalty is smooth.</summary>
    double L1Strength { get; }

    /// <summary>λ₂ ≥ 0, the factor of ½‖W‖² in f (the strong convexity the penalty guarantees); 0 without L2.</summary>
    double L2Strength { get; }

    /// <summary>Whether <see cref="Hessian"/> and <see cref="HessianVectorProduct"/> are available.</summary>
    bool IsHessianSupported { get; }

    /// <summary>f(θ), the smooth part.</summary>
    double Value(double[] theta);

    /// <summary>f(θ); writes ∇f(θ) into <paramref name="gradient"/> (length <see cref="ParameterCount"/>).</summary>
    double ValueAndGradient(double[] theta, double[] gradient);

    /// <summary>∇²f(θ), <c>ParameterCount × ParameterCount</c>, row-major.</summary>
    double[] Hessian(double[] theta);

    /// <summary>Writes ∇²f(θ)·v into <paramref name="result"/>.</summary>
    void HessianVectorProduct(double[] theta, double[] v, double[] result);

    /// <summary>
    /// An upper bound L on the Lipschitz constant of ∇f (‖∇f(a) − ∇f(b)‖ ≤ L‖a − b‖ for all a, b): the step 1/L
    /// of <c>gd-lipschitz</c> and <c>fista</c>. See <see cref="LinearModelGeometry.LipschitzBound"/>.
    /// </summary>
    double LipschitzBound();

    /// <summary>Unit directions along which f is constant for any data (softmax's shifts); see <see cref="LinearModelGeometry.NullDirections"/>.</summary>
    IReadOnlyList<double[]> NullDirections { get; }
}
