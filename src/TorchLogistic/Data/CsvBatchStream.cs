namespace TorchLogistic.Data;

/// <summary>
/// A labelled CSV file streamed in mini-batches (see <see cref="BatchStream"/>), with <see cref="CsvDataset"/>'s
/// parsing rules, columns and class order: a header row, numeric features, the label in the last column or the one
/// named, an optional sample-weight column. The opening pass checks every row (errors give the line number) and
/// discovers the classes — or, for a test file, maps the labels onto the training file's classes, where an unknown
/// label is an error naming its line.
/// </summary>
public sealed class CsvBatchStream : BatchStream
{
    private readonly string path;
    private readonly string? label;
    private readonly string? sampleWeight;
    private readonly LabelIndex labels;
    private StreamReader? reader;
    private CsvRows? rows;

    private CsvBatchStream(string path, string? label, string? sample_weight, string[] feature_names, bool has_weight, string[]? classes,
        int batch_size, int shuffle_buffer, int seed)
        : base(path, feature_names, batch_size, has_weight, shuffle_buffer, seed)
    {
        this.path = path;
        this.label = label;
        sampleWeight = sample_weight;
        labels = new LabelIndex(classes);
    }

    /// <inheritdoc />
    public override string[] classes => labels.known ?? throw new InvalidOperationException("The classes are known after the opening pass.");

    /// <summary>Opens <paramref name="path"/> and makes the opening pass over it.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="batch_size">Rows per batch, ≥ 1.</param>
    /// <param name="label">Name of the label column; null means the last column.</param>
    /// <param name="sample_weight">Name of a column of per-row weights, or null for none.</param>
    /// <param name="classes">The classes labels must belong to (a test file: the training file's classes), or null to discover them.</param>
    /// <param name="shuffle_buffer">Rows in the shuffle buffer of shuffled passes (default 0: file order).</param>
    /// <param name="seed">Seed of the shuffle buffer (default 0).</param>
    /// <exception cref="DataFormatException">The file is missing, empty, ragged, non-numeric, names no such column, or has an unknown label.</exception>
    public static CsvBatchStream open(string path, int batch_size, string? label = null, string? sample_weight = null, string[]? classes = null,
        int shuffle_buffer = 0, int seed = 0)
    {
        CsvRows header;
        using (var first = CsvText.open(path, $"Data file '{CsvText.cut(path)}' does not exist. Pass a CSV path or a built-in name ({string.Join(", ", BuiltinDatasets.names)}).")) header = CsvRows.open(first, path, label, sample_weight);
        var stream = new CsvBatchStream(path, label, sample_weight, header.feature_names, header.has_sample_weight, classes, batch_size, shuffle_buffer, seed);
        return after_opening_pass(stream);
    }

    /// <inheritdoc />
    protected override void start_pass()
    {
        reader?.Dispose();
        reader = new StreamReader(path);
        rows = CsvRows.open(reader, path, label, sampleWeight);
        if (rows.n_features != n_features)
            throw new DataFormatException($"'{path}' changed while it was being read: it now has {rows.n_features} feature columns instead of {n_features}. Do not modify the data during training; start again.");
    }

    /// <inheritdoc />
    protected override bool read_row(Span<double> features, out int label, out double weight)
    {
        if (!rows!.read(features, out string text, out weight))
        {
            label = 0;
            return false;
        }
        var at = rows;
        label = labels.of(text, () => $"'{path}' line {at.line_number}");
        return true;
    }

    /// <inheritdoc />
    protected override int[]? finish_classes() => labels.finish();

    /// <inheritdoc />
    protected override string no_rows_message => $"'{path}' has a header but no data rows. Add at least one row of values.";

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) reader?.Dispose();
        reader = null;
    }
}
