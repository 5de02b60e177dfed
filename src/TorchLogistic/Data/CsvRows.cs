namespace TorchLogistic.Data;

/// <summary>
/// Reads a labelled CSV one row at a time — the parsing rules of <see cref="CsvDataset"/>, written once for it and
/// for <see cref="CsvBatchStream"/>: a header row of column names (blank lines before it skipped), then one row per
/// sample with one field per column; blank lines are skipped; every column but the label and the optional
/// sample-weight column is a finite number; labels are non-empty; weights are ≥ 0. Every error names the file,
/// the line and the column.
/// </summary>
internal sealed class CsvRows
{
    private readonly TextReader _reader;
    private readonly string[] _header;
    private readonly int _labelColumn;
    private readonly int _weightColumn;
    private readonly int[] _featureColumns;

    private CsvRows(TextReader reader, string source, string[] header, int labelColumn, int weightColumn, int[] featureColumns, int lineNumber)
    {
        this._reader = reader;
        this.Source = source;
        this._header = header;
        this._labelColumn = labelColumn;
        this._weightColumn = weightColumn;
        this._featureColumns = featureColumns;
        LineNumber = lineNumber;
        FeatureNames = featureColumns.Select(c => header[c]).ToArray();
    }

    /// <summary>Largest sample weight accepted: with weights up to 1e12 and 2³¹ rows, weighted sums stay far from float64's (and float32's) overflow.</summary>
    public const double MaxSampleWeight = 1e12;

    /// <summary>What the file is, in messages.</summary>
    public string Source { get; }

    /// <summary>The feature columns' names, in file order.</summary>
    public string[] FeatureNames { get; }

    /// <summary>Number of feature columns.</summary>
    public int FeatureCount => _featureColumns.Length;

    /// <summary>Number of fields in every row (the header's).</summary>
    internal int ColumnCount => _header.Length;

    /// <summary>The label's field (0-based).</summary>
    internal int LabelColumn => _labelColumn;

    /// <summary>The sample weight's field, or −1.</summary>
    internal int WeightColumn => _weightColumn;

    /// <summary>The feature fields, in file order.</summary>
    internal IReadOnlyList<int> FeatureColumns => _featureColumns;

    /// <summary>Whether rows carry a sample weight.</summary>
    public bool HasSampleWeight => _weightColumn >= 0;

    /// <summary>Line number (1-based) of the line read last: the header after <see cref="Open"/>, then the last row.</summary>
    public int LineNumber { get; private set; }

    /// <summary>Reads the header from <paramref name="reader"/> and resolves the label and sample-weight columns.</summary>
    /// <param name="reader">The CSV text, positioned at its start.</param>
    /// <param name="source">Names the file in messages.</param>
    /// <param name="label">Name of the label column; null means the last column.</param>
    /// <param name="sampleWeight">Name of a column of per-row weights, or null for none.</param>
    /// <exception cref="DataFormatException">No header, no such column, or no feature column.</exception>
    public static CsvRows Open(TextReader reader, string source, string? label, string? sampleWeight)
    {
        int lineNumber = 1;
        string? headerLine = CsvText.ReadLine(reader, source, lineNumber);
        while (headerLine != null && headerLine.Trim().Length == 0)
        {
            lineNumber++;
            headerLine = CsvText.ReadLine(reader, source, lineNumber);
        }
        if (headerLine == null)
            throw new DataFormatException($"'{source}' is empty. A CSV needs a header row of column names and at least one data row.");
        return FromHeader(reader, headerLine, lineNumber, source, label, sampleWeight);
    }

    /// <summary>The rows after the header <paramref name="headerLine"/> (line <paramref name="lineNumber"/>), read from <paramref name="reader"/>: <see cref="Open"/> once the header is found.</summary>
    internal static CsvRows FromHeader(TextReader reader, string headerLine, int lineNumber, string source, string? label, string? sampleWeight)
    {
        string[] header = CsvDataset.SplitLine(headerLine, source, lineNumber);
        for (int c = 0; c < header.Length; c++) header[c] = header[c].Trim();
        CsvText.CheckHeader(header, source);

        int labelColumn = label == null ? header.Length - 1 : Array.IndexOf(header, label);
        if (labelColumn < 0)
            throw new DataFormatException($"'{source}' has no column named '{CsvText.Cut(label!)}'. Its columns are: {Preview(header)}. Set Datasets.label to one of them.");
        int weightColumn = -1;
        if (sampleWeight != null)
        {
            weightColumn = Array.IndexOf(header, sampleWeight);
            if (weightColumn < 0)
                throw new DataFormatException($"'{source}' has no sample-weight column named '{CsvText.Cut(sampleWeight)}'. Its columns are: {Preview(header)}.");
            if (weightColumn == labelColumn)
                throw new DataFormatException($"'{source}': the sample-weight column '{sampleWeight}' is also the label column. Name different columns.");
        }
        var featureColumns = Enumerable.Range(0, header.Length).Where(c => c != labelColumn && c != weightColumn).ToArray();
        if (featureColumns.Length == 0)
            throw new DataFormatException($"'{source}' has no feature columns besides the label '{header[labelColumn]}'. Add at least one numeric column.");
        return new CsvRows(reader, source, header, labelColumn, weightColumn, featureColumns, lineNumber);
    }

    private static string Preview(string[] header) =>
        string.Join(", ", header.Take(10).Select(CsvText.Cut)) + (header.Length > 10 ? $", … ({header.Length} columns)" : "");

    /// <summary>Refuses a negative sample weight, or one so large that sums of weighted losses lose precision.</summary>
    internal static void CheckWeight(double weight, string source, int lineNumber)
    {
        if (weight < 0)
            throw new DataFormatException($"'{source}' line {lineNumber}: sample weight {weight.ToString(System.Globalization.CultureInfo.InvariantCulture)} is negative. Weights must be ≥ 0.");
        if (weight > MaxSampleWeight)
            throw new DataFormatException($"'{source}' line {lineNumber}: sample weight {weight.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)} is over {MaxSampleWeight.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)}, where sums of weighted losses lose precision or overflow. Rescale the weights (only their ratios and their product with C matter).");
    }

    /// <summary>
    /// Reads the next row: its features into <paramref name="features"/> (length <see cref="FeatureCount"/>), its
    /// label text and its sample weight (1 without a weight column). Returns false at the end of the file.
    /// </summary>
    /// <exception cref="DataFormatException">A ragged row, a non-numeric or non-finite feature, an empty label, a negative weight.</exception>
    public bool Read(Span<double> features, out string label, out double weight)
    {
        string? line;
        while ((line = CsvText.ReadLine(_reader, Source, LineNumber + 1)) != null)
        {
            LineNumber++;
            if (line.Trim().Length == 0) continue;
            string[] cells = CsvDataset.SplitLine(line, Source, LineNumber);
            if (cells.Length != _header.Length)
                throw new DataFormatException($"'{Source}' line {LineNumber}: {cells.Length} fields, but the header has {_header.Length}. Every row needs one value per column.");
            for (int j = 0; j < _featureColumns.Length; j++)
                features[j] = CsvDataset.ParseNumber(cells[_featureColumns[j]], Source, LineNumber, _header[_featureColumns[j]]);
            label = CsvText.CanonicalLabel(cells[_labelColumn].Trim());
            if (label.Length == 0)
                throw new DataFormatException($"'{Source}' line {LineNumber}: the label '{_header[_labelColumn]}' is empty. Every row needs a label.");
            weight = 1.0;
            if (_weightColumn >= 0)
            {
                weight = CsvDataset.ParseNumber(cells[_weightColumn], Source, LineNumber, _header[_weightColumn]);
                CheckWeight(weight, Source, LineNumber);
            }
            return true;
        }
        label = "";
        weight = 0;
        return false;
    }
}
