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
    private readonly TextReader reader;
    private readonly string[] header;
    private readonly int labelColumn;
    private readonly int weightColumn;
    private readonly int[] featureColumns;

    private CsvRows(TextReader reader, string source, string[] header, int labelColumn, int weightColumn, int[] featureColumns, int lineNumber)
    {
        this.reader = reader;
        this.source = source;
        this.header = header;
        this.labelColumn = labelColumn;
        this.weightColumn = weightColumn;
        this.featureColumns = featureColumns;
        line_number = lineNumber;
        feature_names = featureColumns.Select(c => header[c]).ToArray();
    }

    /// <summary>Largest sample weight accepted: with weights up to 1e12 and 2³¹ rows, weighted sums stay far from float64's (and float32's) overflow.</summary>
    public const double max_sample_weight = 1e12;

    /// <summary>What the file is, in messages.</summary>
    public string source { get; }

    /// <summary>The feature columns' names, in file order.</summary>
    public string[] feature_names { get; }

    /// <summary>Number of feature columns.</summary>
    public int n_features => featureColumns.Length;

    /// <summary>Whether rows carry a sample weight.</summary>
    public bool has_sample_weight => weightColumn >= 0;

    /// <summary>Line number (1-based) of the line read last: the header after <see cref="open"/>, then the last row.</summary>
    public int line_number { get; private set; }

    /// <summary>Reads the header from <paramref name="reader"/> and resolves the label and sample-weight columns.</summary>
    /// <param name="reader">The CSV text, positioned at its start.</param>
    /// <param name="source">Names the file in messages.</param>
    /// <param name="label">Name of the label column; null means the last column.</param>
    /// <param name="sample_weight">Name of a column of per-row weights, or null for none.</param>
    /// <exception cref="DataFormatException">No header, no such column, or no feature column.</exception>
    public static CsvRows open(TextReader reader, string source, string? label, string? sample_weight)
    {
        int lineNumber = 1;
        string? headerLine = CsvText.read_line(reader, source, lineNumber);
        while (headerLine != null && headerLine.Trim().Length == 0)
        {
            lineNumber++;
            headerLine = CsvText.read_line(reader, source, lineNumber);
        }
        if (headerLine == null)
            throw new DataFormatException($"'{source}' is empty. A CSV needs a header row of column names and at least one data row.");
        string[] header = CsvDataset.split_line(headerLine, source, lineNumber);
        for (int c = 0; c < header.Length; c++) header[c] = header[c].Trim();
        CsvText.check_header(header, source);

        int labelColumn = label == null ? header.Length - 1 : Array.IndexOf(header, label);
        if (labelColumn < 0)
            throw new DataFormatException($"'{source}' has no column named '{CsvText.cut(label!)}'. Its columns are: {preview(header)}. Set Datasets.label to one of them.");
        int weightColumn = -1;
        if (sample_weight != null)
        {
            weightColumn = Array.IndexOf(header, sample_weight);
            if (weightColumn < 0)
                throw new DataFormatException($"'{source}' has no sample-weight column named '{CsvText.cut(sample_weight)}'. Its columns are: {preview(header)}.");
            if (weightColumn == labelColumn)
                throw new DataFormatException($"'{source}': the sample-weight column '{sample_weight}' is also the label column. Name different columns.");
        }
        var featureColumns = Enumerable.Range(0, header.Length).Where(c => c != labelColumn && c != weightColumn).ToArray();
        if (featureColumns.Length == 0)
            throw new DataFormatException($"'{source}' has no feature columns besides the label '{header[labelColumn]}'. Add at least one numeric column.");
        return new CsvRows(reader, source, header, labelColumn, weightColumn, featureColumns, lineNumber);
    }

    private static string preview(string[] header) =>
        string.Join(", ", header.Take(10).Select(CsvText.cut)) + (header.Length > 10 ? $", … ({header.Length} columns)" : "");

    /// <summary>
    /// Reads the next row: its features into <paramref name="features"/> (length <see cref="n_features"/>), its
    /// label text and its sample weight (1 without a weight column). Returns false at the end of the file.
    /// </summary>
    /// <exception cref="DataFormatException">A ragged row, a non-numeric or non-finite feature, an empty label, a negative weight.</exception>
    public bool read(Span<double> features, out string label, out double weight)
    {
        string? line;
        while ((line = CsvText.read_line(reader, source, line_number + 1)) != null)
        {
            line_number++;
            if (line.Trim().Length == 0) continue;
            string[] cells = CsvDataset.split_line(line, source, line_number);
            if (cells.Length != header.Length)
                throw new DataFormatException($"'{source}' line {line_number}: {cells.Length} fields, but the header has {header.Length}. Every row needs one value per column.");
            for (int j = 0; j < featureColumns.Length; j++)
                features[j] = CsvDataset.parse_number(cells[featureColumns[j]], source, line_number, header[featureColumns[j]]);
            label = CsvText.canonical_label(cells[labelColumn].Trim());
            if (label.Length == 0)
                throw new DataFormatException($"'{source}' line {line_number}: the label '{header[labelColumn]}' is empty. Every row needs a label.");
            weight = 1.0;
            if (weightColumn >= 0)
            {
                weight = CsvDataset.parse_number(cells[weightColumn], source, line_number, header[weightColumn]);
                if (weight < 0)
                    throw new DataFormatException($"'{source}' line {line_number}: sample weight {weight.ToString(System.Globalization.CultureInfo.InvariantCulture)} is negative. Weights must be ≥ 0.");
                if (weight > max_sample_weight)
                    throw new DataFormatException($"'{source}' line {line_number}: sample weight {weight.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)} is over {max_sample_weight.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)}, where sums of weighted losses lose precision or overflow. Rescale the weights (only their ratios and their product with C matter).");
            }
            return true;
        }
        label = "";
        weight = 0;
        return false;
    }
}
