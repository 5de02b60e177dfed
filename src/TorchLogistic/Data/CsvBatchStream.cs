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
    private readonly string _path;
    private readonly string? _label;
    private readonly string? _sampleWeight;
    private readonly LabelIndex _labels;
    private StreamReader? _reader;
    private CsvRows? _rows;

    private CsvBatchStream(string path, string? label, string? sampleWeight, string[] featureNames, bool hasWeight, string[]? classes,
        int batchSize, int shuffleBuffer, int seed)
        : base(path, featureNames, batchSize, hasWeight, shuffleBuffer, seed)
    {
        this._path = path;
        this._label = label;
        _sampleWeight = sampleWeight;
        _labels = new LabelIndex(classes);
    }

    /// <inheritdoc />
    public override string[] Classes => _labels.Known ?? throw new InvalidOperationException("The classes are known after the opening pass.");

    /// <summary>Opens <paramref name="path"/> and makes the opening pass over it.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="batchSize">Rows per batch, ≥ 1.</param>
    /// <param name="label">Name of the label column; null means the last column.</param>
    /// <param name="sampleWeight">Name of a column of per-row weights, or null for none.</param>
    /// <param name="classes">The classes labels must belong to (a test file: the training file's classes), or null to discover them.</param>
    /// <param name="shuffleBuffer">Rows in the shuffle buffer of shuffled passes (default 0: file order).</param>
    /// <param name="seed">Seed of the shuffle buffer (default 0).</param>
    /// <exception cref="DataFormatException">The file is missing, empty, ragged, non-numeric, names no such column, or has an unknown label.</exception>
    public static CsvBatchStream Open(string path, int batchSize, string? label = null, string? sampleWeight = null, string[]? classes = null,
        int shuffleBuffer = 0, int seed = 0)
    {
        CsvRows header;
        using (var first = CsvText.Open(path, $"Data file '{CsvText.Cut(path)}' does not exist. Pass a CSV path or a built-in name ({string.Join(", ", BuiltinDatasets.Names)}).")) header = CsvRows.Open(first, path, label, sampleWeight);
        var stream = new CsvBatchStream(path, label, sampleWeight, header.FeatureNames, header.HasSampleWeight, classes, batchSize, shuffleBuffer, seed);
        return AfterOpeningPass(stream);
    }

    /// <inheritdoc />
    protected override void StartPass()
    {
        _reader?.Dispose();
        _reader = new StreamReader(_path);
        _rows = CsvRows.Open(_reader, _path, _label, _sampleWeight);
        if (_rows.FeatureCount != FeatureCount)
            throw new DataFormatException($"'{_path}' changed while it was being read: it now has {_rows.FeatureCount} feature columns instead of {FeatureCount}. Do not modify the data during training; start again.");
    }

    /// <inheritdoc />
    protected override bool ReadRow(Span<double> features, out int label, out double weight)
    {
        if (!_rows!.Read(features, out string text, out weight))
        {
            label = 0;
            return false;
        }
        var at = _rows;
        label = _labels.Of(text, () => $"'{_path}' line {at.LineNumber}");
        return true;
    }

    /// <inheritdoc />
    protected override int[]? FinishClasses() => _labels.Finish();

    /// <inheritdoc />
    protected override string NoRowsMessage => $"'{_path}' has a header but no data rows. Add at least one row of values.";

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _reader?.Dispose();
        _reader = null;
    }
}
