namespace TorchLogistic.Data;

/// <summary>
/// A fitted tabular preprocessing step, as scikit-learn's <c>ColumnTransformer</c> of one
/// <c>OneHotEncoder</c> (categorical columns) or <c>SimpleImputer</c> (numeric columns) per column, in file order:
/// each raw column becomes the features of its <see cref="ColumnEncoding"/>. Levels and fill values come from the
/// training rows only (<see cref="Fit"/>); <see cref="Transform"/> applies them to any rows with those columns
/// (training, test, or new rows at prediction). Stored in model files.
/// </summary>
public sealed class TabularEncoder
{
    /// <summary>Creates an encoder from fitted columns (e.g. read from a model file).</summary>
    /// <param name="columns">The raw feature columns, in feature order.</param>
    /// <param name="missing">The strategy the fills were fitted with (Error and Drop leave no fill: a missing cell is refused).</param>
    /// <param name="categoricalDrop">Whether the first level of each categorical column was dropped.</param>
    /// <param name="handleUnknown">What <see cref="Transform"/> does with an unseen level.</param>
    public TabularEncoder(IReadOnlyList<ColumnEncoding> columns, MissingStrategy missing, CategoricalDrop categoricalDrop, UnknownLevels handleUnknown)
    {
        if (columns.Count == 0) throw new ArgumentException("A tabular encoder needs at least one column.");
        foreach (var c in columns)
        {
            if (c.Kind == ColumnKind.Categorical && c.Levels.Count == 0)
                throw new ArgumentException($"Categorical column '{c.Name}' has no levels.");
            if (c.FirstEncodedLevel != (c.Kind == ColumnKind.Categorical && categoricalDrop == CategoricalDrop.First ? 1 : 0))
                throw new ArgumentException($"Column '{c.Name}': its first encoded level {c.FirstEncodedLevel} does not match CategoricalDrop.{categoricalDrop}.");
        }
        Columns = columns;
        Missing = missing;
        CategoricalDrop = categoricalDrop;
        HandleUnknown = handleUnknown;
        FeatureNames = columns.SelectMany(c => c.FeatureNames()).ToArray();
        _levelIndex = columns.Select(c => c.Kind == ColumnKind.Numeric ? null
            : c.Levels.Select((level, i) => (level, i)).ToDictionary(p => p.level, p => p.i, StringComparer.Ordinal)).ToArray();
    }

    private readonly Dictionary<string, int>?[] _levelIndex;

    /// <summary>The raw feature columns and how each is encoded, in feature order.</summary>
    public IReadOnlyList<ColumnEncoding> Columns { get; }

    /// <summary>The missing-value strategy the encoder was fitted with.</summary>
    public MissingStrategy Missing { get; }

    /// <summary>Whether each categorical column's first level is dropped.</summary>
    public CategoricalDrop CategoricalDrop { get; }

    /// <summary>What happens to a level unseen in training.</summary>
    public UnknownLevels HandleUnknown { get; }

    /// <summary>The encoded features' names: <c>column</c>, <c>column[level]</c>, <c>column[missing]</c>.</summary>
    public string[] FeatureNames { get; }

    /// <summary>Number of encoded features.</summary>
    public int FeatureCount => FeatureNames.Length;

    /// <summary>Rows of the file dropped for a missing cell (<see cref="MissingStrategy.Drop"/>) before fitting; 0 otherwise and for a loaded model.</summary>
    public int DroppedRowCount { get; init; }

    /// <summary>Whether some column is categorical.</summary>
    public bool HasCategorical => Columns.Any(c => c.Kind == ColumnKind.Categorical);

    /// <summary>Whether the encoder only copies numeric columns (nothing categorical, no fill, no indicator): the plain numeric CSV.</summary>
    public bool IsPlainNumeric => Columns.All(c => c.Kind == ColumnKind.Numeric && c.NumericFill == null && !c.HasIndicator);

    /// <summary>
    /// Fits the encoding of <paramref name="featureColumns"/> on the table rows <paramref name="rows"/> (the training
    /// rows): a column is categorical when <paramref name="options"/> names it or a cell is not a number; levels are
    /// sorted; fills follow <see cref="TabularOptions.Missing"/>; indicators mark columns with a missing training cell.
    /// </summary>
    /// <exception cref="DataFormatException">A column with no value in the training rows, or a categorical column with a different level in every row.</exception>
    public static TabularEncoder Fit(TabularTable table, IReadOnlyList<string> featureColumns, IReadOnlyList<int> rows, TabularOptions options)
    {
        options.Validate();
        if (rows.Count == 0) throw new ArgumentException("Cannot fit a tabular encoder on zero rows.");
        bool impute = options.Missing is MissingStrategy.Mean or MissingStrategy.Median or MissingStrategy.MostFrequent;
        var columns = new List<ColumnEncoding>();
        foreach (string name in featureColumns)
        {
            int index = table.IndexOf(name);
            if (index < 0) throw new DataFormatException($"'{table.Source}' has no column named '{CsvText.Cut(name)}'.");
            var column = table.Column(index);
            bool anyMissing = rows.Any(column.IsMissing);
            bool indicator = options.MissingIndicator && anyMissing;
            if (rows.All(column.IsMissing))
                throw new DataFormatException($"'{table.Source}': column '{CsvText.Cut(name)}' is missing in all {rows.Count} training rows, so nothing can be learnt or imputed from it. Remove the column from the file.");
            bool categorical = column.HasText || options.Categorical.Contains(name, StringComparer.Ordinal);
            if (!categorical)
            {
                double? fill = impute ? NumericFill(rows.Where(i => !column.IsMissing(i)).Select(column.Number).ToArray(), options.Missing) : null;
                columns.Add(new ColumnEncoding(name, ColumnKind.Numeric, Array.Empty<string>(), fill, null, indicator, 0));
                continue;
            }
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            int present = 0;
            foreach (int i in rows)
            {
                if (column.Text(i) is not { } level) continue;
                present++;
                counts[level] = counts.GetValueOrDefault(level) + 1;
            }
            string[] levels = CsvDataset.ClassOrder(counts.Keys);
            if (present > 1 && levels.Length == present)
                throw new DataFormatException(OneLevelPerRow(table, column, name, present));
            string? levelFill = null;
            if (impute)
            {
                int best = counts.Values.Max();
                levelFill = levels.First(l => counts[l] == best);
            }
            columns.Add(new ColumnEncoding(name, ColumnKind.Categorical, levels, null, levelFill, indicator, options.CategoricalDrop == CategoricalDrop.First ? 1 : 0));
        }
        return new TabularEncoder(columns, options.Missing, options.CategoricalDrop, options.HandleUnknown);
    }

    private static string OneLevelPerRow(TabularTable table, TabularColumn column, string name, int present)
    {
        string why = column.HasText
            ? $" ('{CsvText.Cut(column.Text(column.FirstTextRow)!)}' on line {table.LineOf(column.FirstTextRow)} is not a number: if the column is numeric, fix that cell)"
            : "";
        return $"'{table.Source}': column '{CsvText.Cut(name)}' has a different value in each of its {present} training rows: an identifier or free text, not a category. Remove the column from the file{why}.";
    }

    /// <summary>The fill of a numeric column from its present training values, by strategy (scikit-learn's SimpleImputer statistics).</summary>
    private static double NumericFill(double[] values, MissingStrategy strategy)
    {
        switch (strategy)
        {
            case MissingStrategy.Mean:
                double sum = 0;
                foreach (double v in values) sum += v;
                return sum / values.Length;
            case MissingStrategy.Median:
                var sorted = values.Order().ToArray();
                int n = sorted.Length;
                return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            default:
                // The most frequent value; on ties the smallest (scipy.stats.mode, as SimpleImputer).
                return values.GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        }
    }

    /// <summary>
    /// Encodes the rows <paramref name="rows"/> of <paramref name="table"/> (all rows when null) into row-major
    /// features, <c>rows × <see cref="FeatureCount"/></c>. The table needs every column of <see cref="Columns"/>, by name; other columns are ignored.
    /// </summary>
    /// <exception cref="DataFormatException">A missing column, a text cell in a numeric column, a missing cell without a fill, or an unseen level with <see cref="UnknownLevels.Error"/>.</exception>
    public double[] Transform(TabularTable table, IReadOnlyList<int>? rows = null)
    {
        var absent = Columns.Where(c => table.IndexOf(c.Name) < 0).Select(c => CsvText.Cut(c.Name)).ToList();
        if (absent.Count > 0)
            throw new DataFormatException($"'{table.Source}' lacks {absent.Count} of the model's columns: {string.Join(", ", absent.Take(10))}{(absent.Count > 10 ? ", …" : "")}. Use data with the columns the model was trained on.");
        var source = Columns.Select(c => table.Column(table.IndexOf(c.Name))).ToArray();
        int m = rows?.Count ?? table.RowCount, d = FeatureCount;
        var x = new double[(long)m * d];
        for (int r = 0; r < m; r++)
        {
            int row = rows?[r] ?? r;
            long at = (long)r * d;
            for (int c = 0; c < Columns.Count; c++)
            {
                var encoding = Columns[c];
                var column = source[c];
                bool missing = column.IsMissing(row);
                if (encoding.Kind == ColumnKind.Numeric)
                {
                    if (!missing && double.IsNaN(column.Number(row)))
                        throw new DataFormatException($"'{table.Source}' line {table.LineOf(row)}, column '{CsvText.Cut(encoding.Name)}': '{CsvText.Cut(column.Text(row)!)}' is not a number, and the model reads '{CsvText.Cut(encoding.Name)}' as numeric. Fix the cell (use '.' as the decimal point).");
                    x[at++] = missing ? encoding.NumericFill ?? throw Unfilled(table, row, encoding.Name) : column.Number(row);
                }
                else
                {
                    string? level = missing ? encoding.LevelFill ?? throw Unfilled(table, row, encoding.Name) : column.Text(row);
                    int width = encoding.Levels.Count - encoding.FirstEncodedLevel;
                    if (_levelIndex[c]!.TryGetValue(level!, out int l))
                    {
                        if (l >= encoding.FirstEncodedLevel) x[at + l - encoding.FirstEncodedLevel] = 1;
                    }
                    else if (HandleUnknown == UnknownLevels.Error)
                    {
                        string known = string.Join(", ", encoding.Levels.Take(8).Select(CsvText.Cut)) + (encoding.Levels.Count > 8 ? ", …" : "");
                        throw new DataFormatException($"'{table.Source}' line {table.LineOf(row)}, column '{CsvText.Cut(encoding.Name)}': level '{CsvText.Cut(level!)}' is not among the training rows' levels ({known}). Use data with known levels, or train with TabularOptions.HandleUnknown = Ignore (an unseen level encodes as all zeros).");
                    }
                    at += width;
                }
                if (encoding.HasIndicator) x[at++] = missing ? 1 : 0;
            }
        }
        return x;
    }

    private DataFormatException Unfilled(TabularTable table, int row, string column) =>
        new(Missing == MissingStrategy.Error || Missing == MissingStrategy.Drop
            ? $"'{table.Source}' line {table.LineOf(row)}, column '{CsvText.Cut(column)}': missing value, and the model was trained without imputation (TabularOptions.Missing = {Missing}), so it has nothing to fill in. Fill or drop the row, or train with TabularOptions.Missing = Mean, Median or MostFrequent."
            : $"'{table.Source}' line {table.LineOf(row)}, column '{CsvText.Cut(column)}': missing value with no fill. The model file is inconsistent; re-train it.");
}
