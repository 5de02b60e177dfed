namespace TorchLogistic.Objectives;

/// <summary>
/// What a solver sees: a function of the flat parameter vector θ = [vec(W); b], split as
/// <c>F(θ) = f(θ) + λ₁‖θ[0..n_penalized)‖₁</c> with f smooth (data term plus any L2 penalty) and an L1 term that
/// proximal solvers handle. Says up front what it can give (Hessians or not), like Math.NET's
/// <c>IObjectiveFunction</c>. Solvers work on managed float64 vectors; implementations do the tensor work.
/// </summary>
public interface IObjective : IDisposable
{
    /// <summary>Length of θ.</summary>
    int n_parameters { get; }

    /// <summary>The leading entries θ[0..n_penalized) are penalised; the rest (intercepts) never are.</summary>
    int n_penalized { get; }

    /// <summary>λ₁ ≥ 0, the weight of the L1 term; 0 when the penalty is smooth.</summary>
    double l1_strength { get; }

    /// <summary>λ₂ ≥ 0, the factor of ½‖W‖² in f (the strong convexity the penalty guarantees); 0 without L2.</summary>
    double l2_strength { get; }

    /// <summary>Whether <see cref="hessian"/> and <see cref="hessian_vector_product"/> are available.</summary>
    bool is_hessian_supported { get; }

    /// <summary>f(θ), the smooth part.</summary>
    double value(double[] theta);

    /// <summary>f(θ); writes ∇f(θ) into <paramref name="gradient"/> (length <see cref="n_parameters"/>).</summary>
    double value_and_gradient(double[] theta, double[] gradient);

    /// <summary>∇²f(θ), <c>n_parameters × n_parameters</c>, row-major.</summary>
    double[] hessian(double[] theta);

    /// <summary>Writes ∇²f(θ)·v into <paramref name="result"/>.</summary>
    void hessian_vector_product(double[] theta, double[] v, double[] result);

    /// <summary>
    /// An upper bound L on the Lipschitz constant of ∇f (‖∇f(a) − ∇f(b)‖ ≤ L‖a − b‖ for all a, b): the step 1/L
    /// of <c>gd-lipschitz</c> and <c>fista</c>. See <see cref="LinearModelGeometry.lipschitz_bound"/>.
    /// </summary>
    double lipschitz_bound();

    /// <summary>Unit directions along which f is constant for any data (softmax's shifts); see <see cref="LinearModelGeometry.null_directions"/>.</summary>
    IReadOnlyList<double[]> null_directions { get; }
}
