using static TorchSharp.torch;

namespace TorchLogistic.Native;

/// <summary>
/// Runs libtorch work on one intra-op thread. LAPACK calls (eigh, Cholesky) and the Gram products of the curvature
/// bound make many small BLAS calls, each of which forks and joins libtorch's OpenMP threads; on a machine whose cores
/// other processes keep busy that is ruinous (Fashion-MNIST's (d+1)² eigh: 24–35 s on two threads, 0.24 s on one;
/// the binary bound: 21.8 s against 1.1 s, load average 14–26 on 2 cores). The thread count is libtorch's global one:
/// it is set back afterwards, and callers on several threads at once already run on one (cross-validation's folds).
/// </summary>
internal static class LibtorchThreads
{
    /// <summary>The value of <paramref name="call"/>, computed with libtorch's intra-op thread count at 1.</summary>
    public static T OnOne<T>(Func<T> call)
    {
        int threads = get_num_threads();
        if (threads == 1) return call();
        set_num_threads(1);
        try
        {
            return call();
        }
        finally
        {
            set_num_threads(threads);
        }
    }
}
