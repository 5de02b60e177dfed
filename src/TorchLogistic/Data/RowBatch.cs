namespace TorchLogistic.Data;

/// <summary>
/// One mini-batch read from a <see cref="BatchStream"/>: raw features row-major, class indices, and sample weights.
/// The arrays have exactly the batch's length and belong to the stream, which refills them on its next read: use
/// (or copy) a batch before reading the next one.
/// </summary>
public sealed class RowBatch
{
    /// <summary>Allocates the buffers of a batch of <paramref name="n_rows"/> rows.</summary>
    internal RowBatch(int n_rows, int n_features, bool has_sample_weight)
    {
        this.n_rows = n_rows;
        this.n_features = n_features;
        features = new double[(long)n_rows * n_features];
        labels = new int[n_rows];
        sample_weight = has_sample_weight ? new double[n_rows] : null;
    }

    /// <summary>Rows in the batch.</summary>
    public int n_rows { get; }

    /// <summary>Features per row.</summary>
    public int n_features { get; }

    /// <summary>Raw feature values, row-major, <c>n_rows × n_features</c>.</summary>
    public double[] features { get; }

    /// <summary>Class index of each row.</summary>
    public int[] labels { get; }

    /// <summary>Per-row weights read from the file, or null when the data has none (every row weighs 1).</summary>
    public double[]? sample_weight { get; }
}
