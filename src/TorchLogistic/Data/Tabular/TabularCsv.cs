namespace TorchLogistic.Data;

/// <summary>
/// Loads a labelled tabular CSV — categorical columns, missing cells — into data sets of encoded features:
/// reads the raw table, handles missing cells (<see cref="TabularOptions.Missing"/>), splits the rows, fits a
/// <see cref="TabularEncoder"/> on the training rows only and encodes both parts with it. The data sets carry the
/// encoder (<see cref="Dataset.Encoding"/>), so <c>Trainer.Fit</c> stores it in the model and prediction applies it to
/// raw rows. An all-numeric file without missing cells gives exactly the data sets of <see cref="CsvDataset"/>, with no encoder.
/// </summary>
public static class TabularCsv
{
    /// <summary>
    /// Loads <paramref name="path"/> and splits it as <see cref="TrainTestSplit.SplitOptional(Dataset, double, int, bool)"/> does (seeded, stratified).
    /// </summary>
    /// <param name="path">The CSV file, with a header row.</param>
    /// <param name="options">Categorical columns and missing cells (default <see cref="TabularOptions.Default"/>).</param>
    /// <param name="testFraction">Share of rows for testing, in [0, 1); 0 keeps every row for training (test null).</param>
    /// <param name="seed">Seed of the split.</param>
    /// <param name="label">Label column; null means the last column.</param>
    /// <param name="sampleWeight">Column of per-row weights, or null.</param>
    /// <exception cref="DataFormatException">Bad file, a missing cell with <see cref="MissingStrategy.Error"/>, an entirely missing column, an identifier-like column, an unseen level in the test rows.</exception>
    public static (Dataset Train, Dataset? Test) LoadSplit(string path, TabularOptions? options = null, double testFraction = 0.2, int seed = 0,
        string? label = null, string? sampleWeight = null)
    {
        options ??= TabularOptions.Default;
        options.Validate();
        if (options.Categorical.Count == 0 && AllNumeric(path, label, sampleWeight) is { } numeric)
            return testFraction == 0 ? (numeric, null) : TrainTestSplit.SplitOptional(numeric, testFraction, seed);
        var table = TabularTable.Load(path);
        var (labelColumn, weightColumn, features) = Columns(table, label, sampleWeight, options);

        var kept = Enumerable.Range(0, table.RowCount).ToList();
        foreach (int c in features)
        {
            var column = table.Column(c);
            if (kept.All(column.IsMissing))
                throw new DataFormatException($"'{path}': column '{CsvText.Cut(column.Name)}' is missing in all {table.RowCount} rows, so nothing can be learnt or imputed from it. Remove the column from the file.");
        }
        if (options.Missing == MissingStrategy.Error)
        {
            foreach (int i in kept)
            {
                foreach (int c in features)
                {
                    if (table.Column(c).IsMissing(i))
                        throw new DataFormatException($"'{path}' line {table.LineOf(i)}, column '{CsvText.Cut(table.ColumnNames[c])}': missing value. Choose what to do with missing cells: TabularOptions.Missing = Drop, Mean, Median or MostFrequent.");
                }
            }
        }
        int dropped = 0;
        if (options.Missing == MissingStrategy.Drop)
        {
            kept = kept.Where(i => !features.Any(c => table.Column(c).IsMissing(i))).ToList();
            dropped = table.RowCount - kept.Count;
            if (kept.Count == 0)
                throw new DataFormatException($"'{path}': every one of its {table.RowCount} rows has a missing cell, so TabularOptions.Missing = Drop leaves nothing. Use TabularOptions.Missing = Mean, Median or MostFrequent.");
        }

        var rawLabels = new string[kept.Count];
        double[]? weights = weightColumn < 0 ? null : new double[kept.Count];
        for (int r = 0; r < kept.Count; r++)
        {
            int i = kept[r];
            var labelCell = table.Column(labelColumn);
            rawLabels[r] = labelCell.Text(i) ?? throw new DataFormatException($"'{path}' line {table.LineOf(i)}: the label '{CsvText.Cut(table.ColumnNames[labelColumn])}' is missing. Every row needs a label.");
            if (weights != null)
            {
                var w = table.Column(weightColumn);
                string name = table.ColumnNames[weightColumn];
                if (w.IsMissing(i))
                    throw new DataFormatException($"'{path}' line {table.LineOf(i)}, column '{CsvText.Cut(name)}': missing sample weight. Every row needs a weight ≥ 0.");
                weights[r] = CsvDataset.ParseNumber(w.Text(i)!, path, table.LineOf(i), name);
                CsvRows.CheckWeight(weights[r], path, table.LineOf(i));
            }
        }
        var (classes, labels) = CsvDataset.EncodeLabels(rawLabels);
        var (trainIndex, testIndex) = TrainTestSplit.SplitIndices(labels, testFraction, seed);
        int[] trainRows = trainIndex.Select(r => kept[r]).ToArray();
        int[] testRows = testIndex.Select(r => kept[r]).ToArray();
        var fitted = TabularEncoder.Fit(table, features.Select(c => table.ColumnNames[c]).ToArray(), trainRows, options);
        var encoder = new TabularEncoder(fitted.Columns, fitted.Missing, fitted.CategoricalDrop, fitted.HandleUnknown) { DroppedRowCount = dropped };
        var encoding = encoder.IsPlainNumeric ? null : encoder;

        Dataset Part(int[] index, int[] rows) => new(path, encoder.Transform(table, rows), rows.Length, encoder.FeatureCount,
            index.Select(r => labels[r]).ToArray(), classes, encoder.FeatureNames, weights == null ? null : index.Select(r => weights[r]).ToArray(), encoding);
        return (Part(trainIndex, trainRows), testRows.Length == 0 ? null : Part(testIndex, testRows));
    }

    /// <summary>Loads every row of <paramref name="path"/> for training: <see cref="LoadSplit"/> with no test part.</summary>
    public static Dataset Load(string path, TabularOptions? options = null, string? label = null, string? sampleWeight = null) =>
        LoadSplit(path, options, 0, 0, label, sampleWeight).Train;

    /// <summary>
    /// The file read by <see cref="CsvDataset"/>'s parallel path when that gives what the table would (every feature cell a
    /// finite number, no label a missing token): then the encoder is plain numeric and the data sets are <see cref="CsvDataset"/>'s.
    /// Null sends the file through the table, which also gives the table's own messages for a bad header.
    /// </summary>
    private static Dataset? AllNumeric(string path, string? label, string? sampleWeight)
    {
        using (TabularTable.Open(path)) { }
        try
        {
            return CsvFastReader.TryRead(path, label, sampleWeight) is { } data && !data.Classes.Any(TabularTable.IsMissingToken) ? data : null;
        }
        catch (DataFormatException)
        {
            return null;
        }
    }

    private static (int Label, int Weight, int[] Features) Columns(TabularTable table, string? label, string? sampleWeight, TabularOptions options)
    {
        var header = table.ColumnNames;
        string preview = string.Join(", ", header.Take(10).Select(CsvText.Cut)) + (header.Count > 10 ? $", … ({header.Count} columns)" : "");
        int labelColumn = label == null ? header.Count - 1 : table.IndexOf(label);
        if (labelColumn < 0)
            throw new DataFormatException($"'{table.Source}' has no column named '{CsvText.Cut(label!)}'. Its columns are: {preview}. Set Datasets.label to one of them.");
        int weightColumn = -1;
        if (sampleWeight != null)
        {
            weightColumn = table.IndexOf(sampleWeight);
            if (weightColumn < 0)
                throw new DataFormatException($"'{table.Source}' has no sample-weight column named '{CsvText.Cut(sampleWeight)}'. Its columns are: {preview}.");
            if (weightColumn == labelColumn)
                throw new DataFormatException($"'{table.Source}': the sample-weight column '{sampleWeight}' is also the label column. Name different columns.");
        }
        foreach (string name in options.Categorical)
        {
            int c = table.IndexOf(name);
            if (c < 0)
                throw new DataFormatException($"'{table.Source}' has no column named '{CsvText.Cut(name)}' (TabularOptions.Categorical). Its columns are: {preview}.");
            if (c == labelColumn || c == weightColumn)
                throw new DataFormatException($"'{table.Source}': TabularOptions.Categorical names '{CsvText.Cut(name)}', which is the {(c == labelColumn ? "label" : "sample-weight")} column. Name feature columns only.");
        }
        var features = Enumerable.Range(0, header.Count).Where(c => c != labelColumn && c != weightColumn).ToArray();
        if (features.Length == 0)
            throw new DataFormatException($"'{table.Source}' has no feature columns besides the label '{header[labelColumn]}'. Add at least one column.");
        return (labelColumn, weightColumn, features);
    }
}
