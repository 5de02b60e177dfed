namespace TorchLogistic.Cli;

/// <summary>The one check of every --threads: at most one libtorch thread per core, so that no value can start unbounded threads.</summary>
internal static class ThreadCount
{
    /// <summary>Returns <paramref name="threads"/> when it is between <paramref name="minimum"/> and the number of cores; else refuses it.</summary>
    public static int Check(int threads, int minimum)
    {
        int cores = Environment.ProcessorCount;
        if (threads < minimum)
            throw new ArgumentException(minimum == 0
                ? $"--threads {threads} must be ≥ 0 (0 chooses automatically)."
                : $"--threads {threads} must be ≥ {minimum}.");
        if (threads > cores)
            throw new ArgumentException($"--threads {threads} is more than the {cores} cores of this machine; more threads than cores only add contention. Use at most --threads {cores} (or 0: automatic).");
        return threads;
    }
}
