using TorchLogistic.Data;

namespace TorchLogistic.Distributed;

/// <summary>Statistics of all rows computed from the shards by allreduce: what one process would compute on every row.</summary>
public static class ShardStatistics
{
    /// <summary>
    /// <see cref="StandardScaler.Fit"/> of all rows: the mean from Σx (one allreduce), then the population variance
    /// from Σ(x − mean)² (a second one) — the same two passes as one process, so no cancellation of Σx² − n·mean².
    /// </summary>
    public static StandardScaler Scaler(ICommunicator communicator, Dataset local, long totalRows)
    {
        int m = local.SampleCount, d = local.FeatureCount;
        var sums = new double[d];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < d; j++) sums[j] += local[i, j];
        }
        communicator.AllreduceSum(sums);
        var mean = sums.Select(s => s / totalRows).ToArray();
        var squares = new double[d];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double c = local[i, j] - mean[j];
                squares[j] += c * c;
            }
        }
        communicator.AllreduceSum(squares);
        return StandardScaler.FromMoments(mean, squares.Select(s => s / totalRows).ToArray(), totalRows);
    }

    /// <summary>Rows of each class over all ranks (one allreduce).</summary>
    public static long[] ClassCounts(ICommunicator communicator, Dataset local)
    {
        var counts = local.ClassCounts().Select(c => (long)c).ToArray();
        communicator.AllreduceSum(counts);
        return counts;
    }

    /// <summary>
    /// <see cref="StandardScaler.FitWithoutCentering"/> of all rows of sparse shards (no centring, so X stays sparse):
    /// the mean from Σx over the stored entries (one allreduce), then Σ(x − mean)² over the stored entries plus
    /// (M − nnzⱼ)·meanⱼ² for the implicit zeros (a second one, the non-zero counts travelling with it).
    /// </summary>
    public static StandardScaler ScalerWithoutCentering(ICommunicator communicator, SparseDataset local, long totalRows)
    {
        int d = local.FeatureCount;
        var x = local.Features;
        var sums = new double[d];
        for (int p = 0; p < x.NonZeroCount; p++) sums[x.ColumnIndices[p]] += x.Values[p];
        communicator.AllreduceSum(sums);
        var mean = sums.Select(s => s / totalRows).ToArray();
        var squares = new double[2 * d];
        for (int p = 0; p < x.NonZeroCount; p++)
        {
            int j = x.ColumnIndices[p];
            double c = x.Values[p] - mean[j];
            squares[j] += c * c;
            squares[d + j] += 1;
        }
        communicator.AllreduceSum(squares);
        var variance = new double[d];
        for (int j = 0; j < d; j++) variance[j] = (squares[j] + (totalRows - squares[d + j]) * mean[j] * mean[j]) / totalRows;
        var moments = StandardScaler.FromMoments(mean, variance, totalRows);
        return new StandardScaler(new double[d], moments.Scale.ToArray());
    }

    /// <summary>Rows of each class over all ranks of sparse shards (one allreduce).</summary>
    public static long[] ClassCounts(ICommunicator communicator, SparseDataset local)
    {
        var counts = local.ClassCounts().Select(c => (long)c).ToArray();
        communicator.AllreduceSum(counts);
        return counts;
    }
}
