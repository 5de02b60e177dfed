namespace TorchLogistic.Objectives;

/// <summary>
/// An objective that is a mean over rows, so a subset of rows gives an unbiased estimate of f and ∇f: the
/// mini-batch gradients of stochastic solvers (<c>sgd</c>).
/// </summary>
public interface IStochasticObjective : IObjective
{
    /// <summary>Number of rows m.</summary>
    long SampleCount { get; }

    /// <summary>
    /// The smooth part over the rows <paramref name="rows"/> only: <c>(1/|B|) Σ_{i∈B} sᵢℓᵢ + λ₂·½‖W‖²</c>, whose
    /// expectation over a uniformly drawn batch B is f(θ); writes its gradient into <paramref name="gradient"/>.
    /// </summary>
    /// <param name="theta">θ = [vec(W); b].</param>
    /// <param name="gradient">Receives the batch gradient (length <see cref="IObjective.ParameterCount"/>).</param>
    /// <param name="rows">Row indices in [0, m), at least one.</param>
    double ValueAndGradient(double[] theta, double[] gradient, long[] rows);
}
