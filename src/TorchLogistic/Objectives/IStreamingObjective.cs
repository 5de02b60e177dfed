namespace TorchLogistic.Objectives;

/// <summary>
/// An objective over rows that can only be read in passes, one mini-batch at a time (data streamed from a file):
/// stochastic solvers (<c>sgd</c>, <c>adagrad</c>) step on each batch of an epoch, in the order the stream hands
/// them out. <see cref="IObjective.ValueAndGradient"/> is one full pass.
/// </summary>
public interface IStreamingObjective : IObjective
{
    /// <summary>Number of rows m.</summary>
    long SampleCount { get; }

    /// <summary>Mini-batches per epoch.</summary>
    long BatchCount { get; }

    /// <summary>Starts an epoch: the next <see cref="NextBatch"/> returns its first batch.</summary>
    void BeginEpoch();

    /// <summary>
    /// The smooth part over the epoch's next mini-batch B only, <c>(1/|B|) Σ_{i∈B} sᵢℓᵢ + λ₂·½‖W‖²</c> (the same
    /// estimate of f as <see cref="IStochasticObjective.ValueAndGradient(double[], double[], long[])"/>), with its
    /// gradient written into <paramref name="gradient"/>. Returns false, writing nothing, when the epoch is over.
    /// </summary>
    /// <param name="theta">θ = [vec(W); b].</param>
    /// <param name="gradient">Receives the batch gradient (length <see cref="IObjective.ParameterCount"/>).</param>
    /// <param name="value">The batch estimate of f.</param>
    bool NextBatch(double[] theta, double[] gradient, out double value);
}
