using static TorchSharp.torch;

namespace TorchLogistic.Data;

/// <summary>
/// A labelled table held in managed memory: features row-major (<c>n_samples × n_features</c>), labels as
/// indices into <see cref="classes"/>, optional per-sample weights. Tensors are made from it on demand, so a
/// data set never owns native memory.
/// </summary>
public sealed class Dataset
{
    /// <summary>Creates a data set and checks that every array has the length its shape implies.</summary>
    /// <param name="name">What the data is, e.g. <c>breast-cancer</c> or a file path; used in messages.</param>
    /// <param name="features">Row-major feature values, length <paramref name="n_samples"/> × <paramref name="n_features"/>.</param>
    /// <param name="n_samples">Number of rows.</param>
    /// <param name="n_features">Number of feature columns.</param>
    /// <param name="labels">Class index of each row, in <c>[0, classes.Length)</c>.</param>
    /// <param name="classes">Class names, in the order their indices denote (sorted when read from a file).</param>
    /// <param name="feature_names">One name per feature column.</param>
    /// <param name="sample_weight">Optional non-negative weight per row; null means every row weighs 1.</param>
    public Dataset(string name, double[] features, int n_samples, int n_features, int[] labels, string[] classes,
        string[] feature_names, double[]? sample_weight = null)
    {
        if (n_samples < 0 || n_features < 0)
            throw new ArgumentException($"Data set '{name}' has a negative shape ({n_samples} × {n_features}).");
        if (features.Length != (long)n_samples * n_features)
            throw new ArgumentException($"Data set '{name}': {features.Length} feature values for {n_samples} rows × {n_features} columns.");
        if (labels.Length != n_samples)
            throw new ArgumentException($"Data set '{name}': {labels.Length} labels for {n_samples} rows.");
        if (feature_names.Length != n_features)
            throw new ArgumentException($"Data set '{name}': {feature_names.Length} feature names for {n_features} columns.");
        if (sample_weight != null && sample_weight.Length != n_samples)
            throw new ArgumentException($"Data set '{name}': {sample_weight.Length} sample weights for {n_samples} rows.");
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0 || labels[i] >= classes.Length)
                throw new ArgumentException($"Data set '{name}': row {i} has class index {labels[i]}, outside [0, {classes.Length}).");
        }
        this.name = name;
        this.features = features;
        this.n_samples = n_samples;
        this.n_features = n_features;
        this.labels = labels;
        this.classes = classes;
        this.feature_names = feature_names;
        this.sample_weight = sample_weight;
    }

    /// <summary>What the data is (a built-in name or a file path).</summary>
    public string name { get; }

    /// <summary>Row-major feature values, <c>n_samples × n_features</c>.</summary>
    public double[] features { get; }

    /// <summary>Number of rows.</summary>
    public int n_samples { get; }

    /// <summary>Number of feature columns.</summary>
    public int n_features { get; }

    /// <summary>Class index of each row.</summary>
    public int[] labels { get; }

    /// <summary>Class names; index <c>k</c> names class <c>k</c>.</summary>
    public string[] classes { get; }

    /// <summary>Number of classes.</summary>
    public int n_classes => classes.Length;

    /// <summary>Feature column names.</summary>
    public string[] feature_names { get; }

    /// <summary>Per-row weights, or null when every row weighs 1.</summary>
    public double[]? sample_weight { get; }

    /// <summary>The value in row <paramref name="row"/>, column <paramref name="column"/>.</summary>
    public double this[int row, int column] => features[(long)row * n_features + column];

    /// <summary>The rows listed in <paramref name="rows"/>, in that order, as a new data set.</summary>
    public Dataset subset(IReadOnlyList<int> rows)
    {
        var x = new double[(long)rows.Count * n_features];
        var y = new int[rows.Count];
        double[]? w = sample_weight == null ? null : new double[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            Array.Copy(features, (long)rows[i] * n_features, x, (long)i * n_features, n_features);
            y[i] = labels[rows[i]];
            if (w != null) w[i] = sample_weight![rows[i]];
        }
        return new Dataset(name, x, rows.Count, n_features, y, classes, feature_names, w);
    }

    /// <summary>The feature columns named in <paramref name="names"/>, in that order, as a new data set (all rows, labels and weights kept).</summary>
    /// <param name="names">Feature names, each one of <see cref="feature_names"/>.</param>
    public Dataset select_features(IReadOnlyList<string> names)
    {
        var columns = new int[names.Count];
        for (int j = 0; j < names.Count; j++)
        {
            columns[j] = Array.IndexOf(feature_names, names[j]);
            if (columns[j] < 0)
                throw new ArgumentException($"Data set '{name}' has no feature '{names[j]}'. Its features are: {string.Join(", ", feature_names.Take(10))}{(n_features > 10 ? ", …" : "")}.");
        }
        var x = new double[(long)n_samples * columns.Length];
        for (int i = 0; i < n_samples; i++)
        {
            for (int j = 0; j < columns.Length; j++) x[(long)i * columns.Length + j] = this[i, columns[j]];
        }
        return with_features(x, names.ToArray());
    }

    /// <summary>The same rows with new feature values (e.g. standardised or expanded); labels and weights are kept.</summary>
    public Dataset with_features(double[] new_features, string[] new_feature_names) =>
        new(name, new_features, n_samples, new_feature_names.Length, labels, classes, new_feature_names, sample_weight);

    /// <summary>Count of rows in each class.</summary>
    public int[] class_counts()
    {
        var counts = new int[n_classes];
        foreach (int label in labels) counts[label]++;
        return counts;
    }

    /// <summary>The features as a new <c>n_samples × n_features</c> tensor of <paramref name="dtype"/>.</summary>
    public Tensor features_tensor(ScalarType dtype = ScalarType.Float64)
    {
        using var scope = NewDisposeScope();
        var x = tensor(features, new long[] { n_samples, n_features }, ScalarType.Float64);
        return (dtype == ScalarType.Float64 ? x : x.to_type(dtype)).MoveToOuterDisposeScope();
    }

    /// <summary>The class indices as a new int64 tensor of length <c>n_samples</c>.</summary>
    public Tensor labels_tensor() => tensor(labels.Select(l => (long)l).ToArray(), ScalarType.Int64);

    /// <summary>The sample weights as a new tensor of <paramref name="dtype"/>, or null when there are none.</summary>
    public Tensor? sample_weight_tensor(ScalarType dtype = ScalarType.Float64)
    {
        if (sample_weight == null) return null;
        using var scope = NewDisposeScope();
        var w = tensor(sample_weight, ScalarType.Float64);
        return (dtype == ScalarType.Float64 ? w : w.to_type(dtype)).MoveToOuterDisposeScope();
    }
}
