namespace TorchLogistic.Data;

/// <summary>
/// Labelled rows brought into the layout of a model trained on other rows: its feature columns (by name, in its
/// order; other columns are dropped) and its classes (labels re-indexed to its class order, so that class k of the
/// result is class k of the model). Rows may lack some of the model's classes; a label the model does not know, or
/// a feature it needs and the rows lack, is refused with one line naming them.
/// </summary>
public static class LabelledRows
{
    /// <summary>Returns <paramref name="data"/> with the features <paramref name="featureNames"/> and the classes <paramref name="classes"/>.</summary>
    /// <param name="data">The labelled rows, as loaded (their own class order).</param>
    /// <param name="featureNames">The model's input features, in its order.</param>
    /// <param name="classes">The model's classes, in its order.</param>
    /// <param name="owner">What the layout belongs to, for messages (default "the model").</param>
    /// <exception cref="DataFormatException">A label outside <paramref name="classes"/>, or a missing feature.</exception>
    public static Dataset Align(Dataset data, IReadOnlyList<string> featureNames, IReadOnlyList<string> classes, string owner = "the model")
    {
        var missing = featureNames.Where(f => Array.IndexOf(data.FeatureNames, f) < 0).ToList();
        if (missing.Count > 0)
            throw new DataFormatException(
                $"'{data.Name}' has {data.FeatureCount} features but {owner} needs {featureNames.Count}, and {missing.Count} of them are missing: {Quote(missing, 5)}. " +
                "Use data with the columns it was trained on (by name; other columns are ignored).");
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < classes.Count; k++) index[classes[k]] = k;
        var present = data.ClassCounts();
        var unknown = Enumerable.Range(0, data.ClassCount).Where(k => present[k] > 0 && !index.ContainsKey(data.Classes[k])).Select(k => data.Classes[k]).ToList();
        if (unknown.Count > 0)
            throw new DataFormatException(
                $"'{data.Name}' has {(unknown.Count == 1 ? "label" : "labels")} {Quote(unknown, 5)} ({Rows(unknown.Sum(u => present[Array.IndexOf(data.Classes, u)]))}) that {owner} does not know; " +
                $"its classes are {Quote(classes, 10)}. Keep only rows of those classes, or use the label column {owner} was trained on.");
        var aligned = data.FeatureNames.SequenceEqual(featureNames) ? data : data.SelectFeatures(featureNames);
        int[] labels = aligned.Labels.Select(y => index[aligned.Classes[y]]).ToArray();
        return new Dataset(aligned.Name, aligned.Features, aligned.SampleCount, aligned.FeatureCount, labels, classes.ToArray(), aligned.FeatureNames, aligned.SampleWeight);
    }

    /// <summary>
    /// The labelled rows of a tabular table whose features were encoded elsewhere (a model's or a training set's
    /// <see cref="TabularEncoder"/>), in that layout: the labels from <paramref name="label"/> (null: the last column)
    /// mapped to <paramref name="classes"/>, as <see cref="Align"/>.
    /// </summary>
    /// <param name="table">The raw rows.</param>
    /// <param name="features">Their encoded features, row-major <c>(rows, featureNames.Count)</c>.</param>
    /// <param name="featureNames">The encoded features' names.</param>
    /// <param name="classes">The classes, in order.</param>
    /// <param name="label">Label column, or null for the last column.</param>
    /// <param name="owner">What the layout belongs to, for messages (default "the model").</param>
    /// <param name="sampleWeight">Column of per-row weights (each a number ≥ 0), or null for none (default).</param>
    public static Dataset FromTable(TabularTable table, double[] features, IReadOnlyList<string> featureNames, IReadOnlyList<string> classes, string? label = null, string owner = "the model",
        string? sampleWeight = null)
    {
        int column = label == null ? table.ColumnNames.Count - 1 : table.IndexOf(label);
        if (column < 0)
            throw new DataFormatException($"'{table.Source}' has no label column '{CsvText.Cut(label!)}'. Its columns are: {Quote(table.ColumnNames, 10)}.");
        double[]? weights = sampleWeight == null ? null : Weights(table, sampleWeight, column);
        var cells = table.Column(column);
        var raw = new string[table.RowCount];
        for (int i = 0; i < raw.Length; i++)
            raw[i] = cells.Text(i) ?? throw new DataFormatException($"'{table.Source}' line {table.LineOf(i)}: the label '{CsvText.Cut(table.ColumnNames[column])}' is missing. Every row needs a label.");
        var (found, labels) = CsvDataset.EncodeLabels(raw);
        return Align(new Dataset(table.Source, features, table.RowCount, featureNames.Count, labels, found, featureNames.ToArray(), weights), featureNames, classes, owner);
    }

    private static double[] Weights(TabularTable table, string name, int labelColumn)
    {
        int column = table.IndexOf(name);
        if (column < 0)
            throw new DataFormatException($"'{table.Source}' has no sample-weight column named '{CsvText.Cut(name)}'. Its columns are: {Quote(table.ColumnNames, 10)}.");
        if (column == labelColumn)
            throw new DataFormatException($"'{table.Source}': the sample-weight column '{CsvText.Cut(name)}' is also the label column. Name different columns.");
        var cells = table.Column(column);
        var weights = new double[table.RowCount];
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = cells.Number(i);
            if (double.IsNaN(weights[i]))
                throw new DataFormatException($"'{table.Source}' line {table.LineOf(i)}: sample weight '{CsvText.Cut(cells.Text(i) ?? "")}' is not a number. Every row needs a weight ≥ 0.");
            CsvRows.CheckWeight(weights[i], table.Source, table.LineOf(i));
        }
        return weights;
    }

    private static string Rows(int n) => n == 1 ? "1 row" : $"{n} rows";

    private static string Quote(IEnumerable<string> names, int most)
    {
        var list = names.ToList();
        return string.Join(", ", list.Take(most).Select(n => $"'{CsvText.Cut(n)}'")) + (list.Count > most ? $" and {list.Count - most} more" : "");
    }
}
