using static TorchSharp.torch;

namespace TorchLogistic.Data;

/// <summary>
/// A labelled table held in managed memory: features row-major (<c>n_samples × n_features</c>), labels as
/// indices into <see cref="Classes"/>, optional per-sample weights. Tensors are made from it on demand, so a
/// data set never owns native memory.
/// </summary>
public sealed class Dataset
{
    /// <summary>Creates a data set and checks that every array has the length its shape implies.</summary>
    /// <param name="name">What the data is, e.g. <c>breast-cancer</c> or a file path; used in messages.</param>
    /// <param name="features">Row-major feature values, length <paramref name="sampleCount"/> × <paramref name="featureCount"/>.</param>
    /// <param name="sampleCount">Number of rows.</param>
    /// <param name="featureCount">Number of feature columns.</param>
    /// <param name="labels">Class index of each row, in <c>[0, classes.Length)</c>.</param>
    /// <param name="classes">Class names, in the order their indices denote (sorted when read from a file).</param>
    /// <param name="featureNames">One name per feature column.</param>
    /// <param name="sampleWeight">Optional non-negative weight per row; null means every row weighs 1.</param>
    /// <param name="encoding">How the features were encoded from a tabular file's raw columns (<see cref="TabularCsv"/>), or null when they are the file's numbers (default).</param>
    public Dataset(string name, double[] features, int sampleCount, int featureCount, int[] labels, string[] classes,
        string[] featureNames, double[]? sampleWeight = null, TabularEncoder? encoding = null)
    {
        if (sampleCount < 0 || featureCount < 0)
            throw new ArgumentException($"Data set '{name}' has a negative shape ({sampleCount} × {featureCount}).");
        if (features.Length != (long)sampleCount * featureCount)
            throw new ArgumentException($"Data set '{name}': {features.Length} feature values for {sampleCount} rows × {featureCount} columns.");
        if (labels.Length != sampleCount)
            throw new ArgumentException($"Data set '{name}': {labels.Length} labels for {sampleCount} rows.");
        if (featureNames.Length != featureCount)
            throw new ArgumentException($"Data set '{name}': {featureNames.Length} feature names for {featureCount} columns.");
        if (sampleWeight != null && sampleWeight.Length != sampleCount)
            throw new ArgumentException($"Data set '{name}': {sampleWeight.Length} sample weights for {sampleCount} rows.");
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0 || labels[i] >= classes.Length)
                throw new ArgumentException($"Data set '{name}': row {i} has class index {labels[i]}, outside [0, {classes.Length}).");
        }
        this.Name = name;
        this.Features = features;
        this.SampleCount = sampleCount;
        this.FeatureCount = featureCount;
        this.Labels = labels;
        this.Classes = classes;
        this.FeatureNames = featureNames;
        this.SampleWeight = sampleWeight;
        if (encoding != null && !encoding.FeatureNames.SequenceEqual(featureNames))
            throw new ArgumentException($"Data set '{name}': its features are not the encoder's ({encoding.FeatureCount} encoded features).");
        this.Encoding = encoding;
    }

    /// <summary>
    /// How these features were made from a tabular file's raw columns (one-hot levels, fills, indicators), or null when
    /// they are the file's numbers. Kept by <see cref="Subset"/>; dropped by any change of features.
    /// </summary>
    public TabularEncoder? Encoding { get; }

    /// <summary>What the data is (a built-in name or a file path).</summary>
    public string Name { get; }

    /// <summary>Row-major feature values, <c>n_samples × n_features</c>.</summary>
    public double[] Features { get; }

    /// <summary>Number of rows.</summary>
    public int SampleCount { get; }

    /// <summary>Number of feature columns.</summary>
    public int FeatureCount { get; }

    /// <summary>Class index of each row.</summary>
    public int[] Labels { get; }

    /// <summary>Class names; index <c>k</c> names class <c>k</c>.</summary>
    public string[] Classes { get; }

    /// <summary>Number of classes.</summary>
    public int ClassCount => Classes.Length;

    /// <summary>Feature column names.</summary>
    public string[] FeatureNames { get; }

    /// <summary>Per-row weights, or null when every row weighs 1.</summary>
    public double[]? SampleWeight { get; }

    /// <summary>The value in row <paramref name="row"/>, column <paramref name="column"/>.</summary>
    public double this[int row, int column] => Features[(long)row * FeatureCount + column];

    /// <summary>The rows listed in <paramref name="rows"/>, in that order, as a new data set.</summary>
    public Dataset Subset(IReadOnlyList<int> rows)
    {
        var x = new double[(long)rows.Count * FeatureCount];
        var y = new int[rows.Count];
        double[]? w = SampleWeight == null ? null : new double[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            Array.Copy(Features, (long)rows[i] * FeatureCount, x, (long)i * FeatureCount, FeatureCount);
            y[i] = Labels[rows[i]];
            if (w != null) w[i] = SampleWeight![rows[i]];
        }
        return new Dataset(Name, x, rows.Count, FeatureCount, y, Classes, FeatureNames, w, Encoding);
    }

    /// <summary>The feature columns named in <paramref name="names"/>, in that order, as a new data set (all rows, labels and weights kept).</summary>
    /// <param name="names">Feature names, each one of <see cref="FeatureNames"/>.</param>
    public Dataset SelectFeatures(IReadOnlyList<string> names)
    {
        var columns = new int[names.Count];
        for (int j = 0; j < names.Count; j++)
        {
            columns[j] = Array.IndexOf(FeatureNames, names[j]);
            if (columns[j] < 0)
                throw new ArgumentException($"Data set '{Name}' has no feature '{names[j]}'. Its features are: {string.Join(", ", FeatureNames.Take(10))}{(FeatureCount > 10 ? ", …" : "")}.");
        }
        var x = new double[(long)SampleCount * columns.Length];
        for (int i = 0; i < SampleCount; i++)
        {
            for (int j = 0; j < columns.Length; j++) x[(long)i * columns.Length + j] = this[i, columns[j]];
        }
        return WithFeatures(x, names.ToArray());
    }

    /// <summary>The same rows with new feature values (e.g. standardised or expanded); labels and weights are kept.</summary>
    public Dataset WithFeatures(double[] newFeatures, string[] newFeatureNames) =>
        new(Name, newFeatures, SampleCount, newFeatureNames.Length, Labels, Classes, newFeatureNames, SampleWeight);

    /// <summary>Count of rows in each class.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassCount];
        foreach (int label in Labels) counts[label]++;
        return counts;
    }

    /// <summary>The features as a new <c>n_samples × n_features</c> tensor of <paramref name="dtype"/>.</summary>
    public Tensor FeaturesTensor(ScalarType dtype = ScalarType.Float64)
    {
        using var scope = NewDisposeScope();
        var x = tensor(Features, new long[] { SampleCount, FeatureCount }, ScalarType.Float64);
        return (dtype == ScalarType.Float64 ? x : x.to_type(dtype)).MoveToOuterDisposeScope();
    }

    /// <summary>The class indices as a new int64 tensor of length <c>n_samples</c>.</summary>
    public Tensor LabelsTensor() => tensor(Labels.Select(l => (long)l).ToArray(), ScalarType.Int64);

    /// <summary>The sample weights as a new tensor of <paramref name="dtype"/>, or null when there are none.</summary>
    public Tensor? SampleWeightTensor(ScalarType dtype = ScalarType.Float64)
    {
        if (SampleWeight == null) return null;
        using var scope = NewDisposeScope();
        var w = tensor(SampleWeight, ScalarType.Float64);
        return (dtype == ScalarType.Float64 ? w : w.to_type(dtype)).MoveToOuterDisposeScope();
    }
}
