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
}
