namespace TorchLogistic.Distributed;

/// <summary>
/// The rows of one rank: <c>[Offset, Offset + Count)</c> of <see cref="Total"/> rows in all. <see cref="Of"/> splits
/// contiguously, rank r taking rows <c>[⌊rT/N⌋, ⌊(r+1)T/N⌋)</c>, so shard sizes differ by at most one row.
/// </summary>
/// <param name="Offset">Index of the rank's first row among all rows.</param>
/// <param name="Count">Rows of this rank.</param>
/// <param name="Total">Rows over all ranks.</param>
public readonly record struct RowShard(long Offset, long Count, long Total)
{
    /// <summary>Rank <paramref name="rank"/>'s contiguous share of <paramref name="total"/> rows over <paramref name="size"/> ranks.</summary>
    public static RowShard Of(long total, int rank, int size)
    {
        if (size < 1 || rank < 0 || rank >= size) throw new ArgumentOutOfRangeException(nameof(rank), rank, $"Rank {rank} is not in [0, {size}).");
        if (total < 0) throw new ArgumentOutOfRangeException(nameof(total), total, "A row count cannot be negative.");
        long start = (long)((Int128)total * rank / size);
        long end = (long)((Int128)total * (rank + 1) / size);
        return new RowShard(start, end - start, total);
    }

    /// <summary>The shard of a rank whose <paramref name="count"/> rows are given (one file per rank): offsets from every rank's count (one allreduce).</summary>
    public static RowShard Agree(ICommunicator communicator, long count)
    {
        long[] counts = communicator.AllLengths(count);
        long offset = counts.Take(communicator.Rank).Sum();
        return new RowShard(offset, count, counts.Sum());
    }

    /// <summary>Whether global row <paramref name="row"/> is in this shard.</summary>
    public bool Contains(long row) => row >= Offset && row < Offset + Count;
}
