using TorchLogistic.Data;
using TorchLogistic.Distributed;

namespace TorchLogistic.Training;

/// <summary>
/// The labels and class probabilities of every training row of a distributed run, on every rank: each rank predicts
/// its own rows and writes them at its rows' place (<see cref="RowShard.Offset"/>) of zero-filled buffers of all
/// rows, and one allreduce per buffer fills them in (every sum is exact: each entry has one non-zero term). So the
/// metrics of all rows — AUC and the curves included, which need every score at once — are those one process
/// computes on the same rows in the same order. Costs M·K doubles (and M integers) on every rank.
/// </summary>
public static class DistributedPredictions
{
    /// <summary>Every row's label and its K probabilities (row-major), in the order of the rows over the ranks.</summary>
    /// <param name="communicator">The ranks; every rank calls this.</param>
    /// <param name="model">The trained model (the same on every rank).</param>
    /// <param name="local">This rank's rows (raw features; the model's scaler and polynomial features apply).</param>
    /// <param name="shard">Where they sit among all rows.</param>
    public static (int[] Labels, double[] Probabilities) Gather(ICommunicator communicator, FittedModel model, Dataset local, RowShard shard)
    {
        if (shard.Count != local.SampleCount)
            throw new ArgumentException($"The shard says {shard.Count} rows but the data has {local.SampleCount}.", nameof(shard));
        return Gather(communicator, model.Classes.Length, model.PredictProbabilities(local).Values, local.Labels, shard);
    }

    /// <summary>Every row's label and its K probabilities (row-major), for sparse shards.</summary>
    /// <param name="communicator">The ranks; every rank calls this.</param>
    /// <param name="model">The trained model (the same on every rank).</param>
    /// <param name="local">This rank's sparse rows (raw features; the model's scaler applies).</param>
    /// <param name="shard">Where they sit among all rows.</param>
    public static (int[] Labels, double[] Probabilities) Gather(ICommunicator communicator, FittedModel model, SparseDataset local, RowShard shard)
    {
        if (shard.Count != local.SampleCount)
            throw new ArgumentException($"The shard says {shard.Count} rows but the data has {local.SampleCount}.", nameof(shard));
        return Gather(communicator, model.Classes.Length, model.PredictProbabilities(local).Values, local.Labels, shard);
    }

    private static (int[] Labels, double[] Probabilities) Gather(ICommunicator communicator, int k, double[] own, int[] ownLabels, RowShard shard)
    {
        int total = checked((int)shard.Total);
        int offset = checked((int)shard.Offset);
        var probabilities = new double[checked((long)total * k)];
        own.CopyTo(probabilities, (long)offset * k);
        var labels = new long[total];
        for (int i = 0; i < ownLabels.Length; i++) labels[offset + i] = ownLabels[i];
        communicator.AllreduceSum(probabilities);
        communicator.AllreduceSum(labels);
        return (labels.Select(l => checked((int)l)).ToArray(), probabilities);
    }
}
