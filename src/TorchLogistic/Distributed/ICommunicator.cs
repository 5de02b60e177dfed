namespace TorchLogistic.Distributed;

/// <summary>
/// The collective operations data-parallel training needs, over a fixed group of ranks that all call them in the
/// same order: sums (allreduce) and copies from one rank (broadcast). <see cref="MpiCommunicator"/> runs them over
/// MPI; <see cref="SingleProcessCommunicator"/> is the group of one.
/// </summary>
public interface ICommunicator : IDisposable
{
    /// <summary>This process's rank, in [0, <see cref="Size"/>).</summary>
    int Rank { get; }

    /// <summary>Number of ranks.</summary>
    int Size { get; }

    /// <summary>Replaces <paramref name="values"/> on every rank by their elementwise sum over all ranks.</summary>
    void AllreduceSum(Span<double> values);

    /// <summary>Replaces <paramref name="values"/> on every rank by their elementwise sum over all ranks.</summary>
    void AllreduceSum(Span<long> values);

    /// <summary>Copies <paramref name="bytes"/> of rank <paramref name="root"/> into the same-length buffer of every other rank.</summary>
    void Broadcast(Span<byte> bytes, int root);

    /// <summary>Waits until every rank has called it.</summary>
    void Barrier();

    /// <summary>Ends every rank of the job with exit code <paramref name="code"/> (after an error on this rank).</summary>
    void Abort(int code);

    /// <summary>Seconds spent inside allreduce calls so far (the communication share of an iteration).</summary>
    double AllreduceSeconds { get; }

    /// <summary>Allreduce calls so far.</summary>
    long AllreduceCalls { get; }
}
