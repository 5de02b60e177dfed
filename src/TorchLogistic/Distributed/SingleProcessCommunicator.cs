namespace TorchLogistic.Distributed;

/// <summary>The group of one rank: every sum is the value itself, every broadcast a no-op. MPI is never loaded.</summary>
public sealed class SingleProcessCommunicator : ICommunicator
{
    /// <inheritdoc />
    public int Rank => 0;

    /// <inheritdoc />
    public int Size => 1;

    /// <inheritdoc />
    public double AllreduceSeconds => 0;

    /// <inheritdoc />
    public long AllreduceCalls { get; private set; }

    /// <inheritdoc />
    public void AllreduceSum(Span<double> values) => AllreduceCalls++;

    /// <inheritdoc />
    public void AllreduceSum(Span<long> values) => AllreduceCalls++;

    /// <inheritdoc />
    public void Broadcast(Span<byte> bytes, int root)
    {
        if (root != 0) throw new ArgumentOutOfRangeException(nameof(root), root, "A single process has only rank 0.");
    }

    /// <inheritdoc />
    public void Barrier()
    {
    }

    /// <inheritdoc />
    public void Abort(int code) => Environment.Exit(code);

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
