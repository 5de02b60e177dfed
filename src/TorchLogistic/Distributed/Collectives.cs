using System.Text;

namespace TorchLogistic.Distributed;

/// <summary>Agreements built from allreduce and broadcast: totals, byte payloads from one rank, the union of string sets.</summary>
public static class Collectives
{
    /// <summary>Σ over ranks of <paramref name="value"/>.</summary>
    public static long Sum(this ICommunicator communicator, long value)
    {
        Span<long> buffer = stackalloc long[] { value };
        communicator.AllreduceSum(buffer);
        return buffer[0];
    }

    /// <summary>
    /// Replaces <paramref name="values"/> on every rank by their sum over the ranks added in rank order,
    /// <c>((v₀ + v₁) + v₂) + …</c>, the same bits on every rank and in every run whatever reduction algorithm the MPI
    /// library picks (it may pair ranks differently by message size and rank count). Each rank's values travel in its own
    /// slot of a zero-filled buffer of <c>Size × n</c> doubles — one allreduce in which every sum is exact (x + 0 = x),
    /// i.e. an allgather — so it moves Size times the data of <see cref="ICommunicator.AllreduceSum(Span{double})"/>.
    /// </summary>
    /// <param name="communicator">The ranks.</param>
    /// <param name="values">This rank's values; on return, the ordered sum.</param>
    /// <param name="scratch">A buffer of at least Size × n doubles to reuse between calls, or null to allocate one.</param>
    public static void SumInRankOrder(this ICommunicator communicator, Span<double> values, double[]? scratch = null)
    {
        int size = communicator.Size, n = values.Length;
        if (size == 1 || n == 0) return;
        long length = (long)size * n;
        var slots = scratch != null && scratch.LongLength >= length ? scratch.AsSpan(0, checked((int)length)) : new double[length];
        slots.Clear();
        values.CopyTo(slots.Slice(communicator.Rank * n, n));
        communicator.AllreduceSum(slots);
        slots.Slice(0, n).CopyTo(values);
        for (int r = 1; r < size; r++)
        {
            var slot = slots.Slice(r * n, n);
            for (int j = 0; j < n; j++) values[j] += slot[j];
        }
    }

    /// <summary>The lengths every rank gives, indexed by rank (one allreduce).</summary>
    public static long[] AllLengths(this ICommunicator communicator, long own)
    {
        var lengths = new long[communicator.Size];
        lengths[communicator.Rank] = own;
        communicator.AllreduceSum(lengths);
        return lengths;
    }

    /// <summary>Rank <paramref name="root"/>'s <paramref name="payload"/> on every rank (others pass anything, e.g. null).</summary>
    public static byte[] BroadcastPayload(this ICommunicator communicator, byte[]? payload, int root)
    {
        long length = communicator.AllLengths(communicator.Rank == root ? payload?.Length ?? 0 : 0)[root];
        var buffer = communicator.Rank == root && payload != null ? payload : new byte[length];
        if (length > 0) communicator.Broadcast(buffer, root);
        return buffer;
    }

    /// <summary>The union of every rank's <paramref name="own"/> strings, distinct, in the order the ranks give them (rank 0's first).</summary>
    public static string[] Union(this ICommunicator communicator, IEnumerable<string> own)
    {
        byte[] mine = Encoding.UTF8.GetBytes(string.Join('\0', own));
        long[] lengths = communicator.AllLengths(mine.Length);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        for (int r = 0; r < communicator.Size; r++)
        {
            if (lengths[r] == 0) continue;
            var buffer = r == communicator.Rank ? mine : new byte[lengths[r]];
            communicator.Broadcast(buffer, r);
            foreach (string s in Encoding.UTF8.GetString(buffer).Split('\0'))
            {
                if (seen.Add(s)) result.Add(s);
            }
        }
        return result.ToArray();
    }
}
