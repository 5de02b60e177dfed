namespace TorchLogistic.Objectives;

/// <summary>
/// An objective that is a mean over rows whose Hessian-vector product can be taken over a subsample of them — the
/// curvature of subsampled Newton methods (Byrd, Chin, Neveitt &amp; Nocedal 2011), which costs that fraction of a
/// pass over the data.
/// </summary>
public interface ISubsampledCurvatureObjective : IObjective
{
    /// <summary>Number of rows m.</summary>
    long SampleCount { get; }

    /// <summary>
    /// ∇²f_S(θ)·v for the data term over the first <paramref name="rows"/> rows S (normalised by their own count,
    /// so its expectation is the data term's Hessian when the rows are in random order) plus the full penalty's.
    /// </summary>
    /// <param name="theta">θ = [vec(W); b].</param>
    /// <param name="v">The direction.</param>
    /// <param name="result">Receives the product.</param>
    /// <param name="rows">1 ≤ rows ≤ m; m gives <see cref="IObjective.HessianVectorProduct"/>.</param>
    void HessianVectorProduct(double[] theta, double[] v, double[] result, long rows);
}
