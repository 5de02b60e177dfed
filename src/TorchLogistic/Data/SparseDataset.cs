using TorchLogistic.Sparse;

namespace TorchLogistic.Data;

/// <summary>
/// A labelled table whose features are a sparse <see cref="CsrMatrix"/> (<c>n_samples × n_features</c>, memory
/// proportional to the non-zeros): what a LIBSVM/svmlight file holds (<see cref="LibSvmFile"/>). Labels are
/// indices into <see cref="Classes"/>; feature j is named <c>f{j+1}</c>, its 1-based index in the file.
/// </summary>
public sealed class SparseDataset
{
    private string[]? _featureNames;

    /// <summary>Creates a data set and checks that every array has the length the matrix implies.</summary>
    /// <param name="name">What the data is (a file path); used in messages.</param>
    /// <param name="features">X, one row per sample.</param>
    /// <param name="labels">Class index of each row, in <c>[0, classes.Length)</c>.</param>
    /// <param name="classes">Class names in index order (numerically sorted labels when read from a file).</param>
    /// <param name="sampleWeight">Optional non-negative weight per row; null means every row weighs 1.</param>
    public SparseDataset(string name, CsrMatrix features, int[] labels, string[] classes, double[]? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (labels.Length != features.RowCount)
            throw new ArgumentException($"Data set '{name}': {labels.Length} labels for {features.RowCount} rows.");
        if (sampleWeight != null && sampleWeight.Length != features.RowCount)
            throw new ArgumentException($"Data set '{name}': {sampleWeight.Length} sample weights for {features.RowCount} rows.");
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0 || labels[i] >= classes.Length)
                throw new ArgumentException($"Data set '{name}': row {i} has class index {labels[i]}, outside [0, {classes.Length}).");
        }
        this.Name = name;
        this.Features = features;
        this.Labels = labels;
        this.Classes = classes;
        this.SampleWeight = sampleWeight;
    }

    /// <summary>What the data is.</summary>
    public string Name { get; }

    /// <summary>X.</summary>
    public CsrMatrix Features { get; }

    /// <summary>Number of rows.</summary>
    public int SampleCount => Features.RowCount;

    /// <summary>Number of feature columns.</summary>
    public int FeatureCount => Features.ColumnCount;

    /// <summary>Class index of each row.</summary>
    public int[] Labels { get; }

    /// <summary>Class names; index <c>k</c> names class <c>k</c>.</summary>
    public string[] Classes { get; }

    /// <summary>Number of classes.</summary>
    public int ClassCount => Classes.Length;

    /// <summary>Per-row weights, or null when every row weighs 1.</summary>
    public double[]? SampleWeight { get; }

    /// <summary>Feature names <c>f1 … fd</c> (the file's 1-based indices).</summary>
    public string[] FeatureNames => _featureNames ??= Enumerable.Range(1, FeatureCount).Select(j => $"f{j}").ToArray();

    /// <summary>Share of entries that are stored: nnz / (rows × columns).</summary>
    public double Density => SampleCount == 0 || FeatureCount == 0 ? 0 : (double)Features.NonZeroCount / ((double)SampleCount * FeatureCount);

    /// <summary>Bytes the same matrix would take dense in float64: rows × columns × 8.</summary>
    public double DenseBytes => 8.0 * SampleCount * FeatureCount;

    /// <summary>The rows listed in <paramref name="rows"/>, in that order, as a new data set.</summary>
    public SparseDataset Subset(IReadOnlyList<int> rows) =>
        new(Name, Features.SelectRows(rows), rows.Select(i => Labels[i]).ToArray(), Classes, SampleWeight == null ? null : rows.Select(i => SampleWeight[i]).ToArray());

    /// <summary>Count of rows in each class.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassCount];
        foreach (int label in Labels) counts[label]++;
        return counts;
    }

    /// <summary>The same rows as a dense <see cref="Dataset"/> (small data only: rows × columns doubles).</summary>
    public Dataset ToDense() => new(Name, Features.ToDense(), SampleCount, FeatureCount, Labels, Classes, FeatureNames, SampleWeight);
}
