namespace TorchLogistic.Training;

/// <summary>
/// How many libtorch threads a training run uses. Small problems run on one thread: each evaluation is a
/// handful of tiny kernels, where threading only adds synchronisation (measured 5–15× slower on 2 busy cores),
/// and one thread makes every reduction happen in the same order, so the same seed gives bit-identical models.
/// Problems with at least <see cref="ParallelThreshold"/> multiply-adds per evaluation use every core.
/// </summary>
public static class ThreadPolicy
{
    /// <summary>Multiply-adds per evaluation (m·d·K) from which all cores are used: 10⁷.</summary>
    public const long ParallelThreshold = 10_000_000;

    /// <summary>The thread count for <paramref name="sampleCount"/> × <paramref name="featureCount"/> data and <paramref name="outputCount"/> logits.</summary>
    public static int Choose(long sampleCount, long featureCount, long outputCount) =>
        sampleCount * featureCount * outputCount < ParallelThreshold ? 1 : Environment.ProcessorCount;
}
