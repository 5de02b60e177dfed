namespace TorchLogistic.Data;

/// <summary>
/// One mini-batch read from a <see cref="BatchStream"/>: raw features row-major, class indices, and sample weights.
/// The arrays have exactly the batch's length and belong to the stream, which refills them on its next read: use
/// (or copy) a batch before reading the next one.
/// </summary>
public sealed class RowBatch
{
    /// <summary>Allocates the buffers of a batch of <paramref name="rowCount"/> rows.</summary>
    internal RowBatch(int rowCount, int featureCount, bool hasSampleWeight)
    {
        this.RowCount = rowCount;
        this.FeatureCount = featureCount;
        Features = new double[(long)rowCount * featureCount];
        Labels = new int[rowCount];
        SampleWeight = hasSampleWeight ? new double[rowCount] : null;
    }

    /// <summary>Rows in the batch.</summary>
    public int RowCount { get; }

    /// <summary>Features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Raw feature values, row-major, <c>n_rows × n_features</c>.</summary>
    public double[] Features { get; }

    /// <summary>Class index of each row.</summary>
    public int[] Labels { get; }

    /// <summary>Per-row weights read from the file, or null when the data has none (every row weighs 1).</summary>
    public double[]? SampleWeight { get; }
}
