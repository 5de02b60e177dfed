namespace TorchLogistic.Data;

/// <summary>
/// A LIBSVM/svmlight file streamed in mini-batches (see <see cref="BatchStream"/>) with <see cref="LibSvmFile"/>'s
/// rules (scikit-learn's <c>load_svmlight_file</c>: 1-based indices increasing within a line, <c>#</c> comments,
/// <c>qid</c> ignored, blank lines skipped, gzip for <c>.gz</c>). Each batch holds its rows dense (batch × d, absent
/// entries 0), so memory is bounded by the batch, not by the file. The number of features d is the largest index in
/// the file, found by a first pass before the stream's opening pass (or the one given: a test file takes its training
/// file's); features are named <c>f1 … fd</c> and the classes are the labels' distinct values in numeric order, as
/// <see cref="SparseDataset"/> names them, so a pass yields exactly the rows of <see cref="LibSvmFile.Load"/>, densified.
/// </summary>
public sealed class LibSvmBatchStream : BatchStream
{
    private readonly string _path;
    private readonly LabelIndex _labels;
    private readonly List<int> _columns = new();
    private readonly List<double> _values = new();
    private StreamReader? _reader;
    private int _lineNumber;

    private LibSvmBatchStream(string path, int featureCount, string[]? classes, int batchSize, int shuffleBuffer, int seed)
        : base(path, FeatureNamesOf(featureCount), batchSize, hasSampleWeight: false, shuffleBuffer, seed)
    {
        _path = path;
        _labels = new LabelIndex(classes);
    }

    /// <inheritdoc />
    public override string[] Classes => _labels.Known ?? throw new InvalidOperationException("The classes are known after the opening pass.");

    /// <summary>Opens <paramref name="path"/>, finds its number of features (unless given) and makes the opening pass over it.</summary>
    /// <param name="path">The LIBSVM file (gzip when the name ends in <c>.gz</c>).</param>
    /// <param name="batchSize">Rows per batch, ≥ 1.</param>
    /// <param name="featureCount">The number of features the rows must have (a test file: the training file's), or null for the largest index in the file.</param>
    /// <param name="classes">The classes labels must belong to (a test file: the training file's), or null to discover them.</param>
    /// <param name="shuffleBuffer">Rows in the shuffle buffer of shuffled passes (default 0: file order).</param>
    /// <param name="seed">Seed of the shuffle buffer (default 0).</param>
    /// <exception cref="DataFormatException">The file is missing, not valid LIBSVM, has no rows, an index beyond <paramref name="featureCount"/>, or an unknown label.</exception>
    public static LibSvmBatchStream Open(string path, int batchSize, int? featureCount = null, string[]? classes = null, int shuffleBuffer = 0, int seed = 0)
    {
        if (!File.Exists(path)) throw new DataFormatException($"LIBSVM file '{path}' does not exist.");
        int d = featureCount ?? LargestIndex(path);
        CheckDenseBatches(path, d, batchSize);
        return AfterOpeningPass(new LibSvmBatchStream(path, d, classes, batchSize, shuffleBuffer, seed));
    }

    /// <summary>
    /// Refuses, before allocating, a d so wide that the dense batches (a training batch and an evaluation batch of
    /// max(batch size, 1024) rows, float64) would take over half the memory available.
    /// </summary>
    private static void CheckDenseBatches(string path, int featureCount, int batchSize)
    {
        double bytes = ((double)batchSize + Math.Max(batchSize, 1024)) * featureCount * sizeof(double);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (bytes > available / 2)
            throw new DataFormatException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"'{path}' has {featureCount:N0} features: streamed batches hold their rows dense, {bytes / 1e9:F1} GB for batches of {batchSize:N0} and {Math.Max(batchSize, 1024):N0} rows, over half the {available / 1e9:F1} GB available. Train on the sparse rows in memory (LibSvmFile.Load, Trainer.Fit) instead of DataStreams.Open."));
    }

    /// <summary>Feature names <c>f1 … fd</c>, as <see cref="SparseDataset.FeatureNames"/>.</summary>
    private static string[] FeatureNamesOf(int featureCount) => Enumerable.Range(1, featureCount).Select(j => $"f{j}").ToArray();

    /// <summary>The first pass: checks every line and returns the largest feature index (memory: one line); refuses a file without rows or without features.</summary>
    private static int LargestIndex(string path)
    {
        var columns = new List<int>();
        var values = new List<double>();
        int largest = 0;
        int lineNumber = 0;
        long rows = 0;
        using var reader = LibSvmFile.OpenText(path);
        try
        {
            string? line;
            while ((line = reader.ReadLine()) != null)
            {
                columns.Clear();
                values.Clear();
                if (!LibSvmFile.ParseLine(line, path, ++lineNumber, null, columns, values, out _, out int last)) continue;
                largest = Math.Max(largest, last);
                rows++;
            }
        }
        catch (InvalidDataException e)
        {
            throw LibSvmFile.NotGzip(path, e);
        }
        if (rows == 0) throw new DataFormatException($"'{path}' has no LIBSVM rows (only blank or comment lines). Give a file with lines 'label index:value …'.");
        if (largest == 0) throw new DataFormatException($"'{path}' has {rows} rows but not one index:value pair: there are no features to learn from. Give rows with 'label index:value …'.");
        return largest;
    }

    /// <inheritdoc />
    protected override void StartPass()
    {
        _reader?.Dispose();
        _reader = LibSvmFile.OpenText(_path);
        _lineNumber = 0;
    }

    /// <inheritdoc />
    protected override bool ReadRow(Span<double> features, out int label, out double weight)
    {
        weight = 1;
        try
        {
            string? line;
            while ((line = _reader!.ReadLine()) != null)
            {
                _columns.Clear();
                _values.Clear();
                int at = ++_lineNumber;
                if (!LibSvmFile.ParseLine(line, _path, at, FeatureCount, _columns, _values, out double value, out _)) continue;
                features.Clear();
                for (int p = 0; p < _columns.Count; p++) features[_columns[p]] = _values[p];
                label = _labels.Of(LibSvmFile.LabelText(value), () => $"'{_path}' line {at}");
                return true;
            }
        }
        catch (InvalidDataException e)
        {
            throw LibSvmFile.NotGzip(_path, e);
        }
        label = 0;
        return false;
    }

    /// <inheritdoc />
    protected override int[]? FinishClasses() => _labels.Finish();

    /// <inheritdoc />
    protected override string NoRowsMessage => $"'{_path}' has no LIBSVM rows (only blank or comment lines). Give a file with lines 'label index:value …'.";

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _reader?.Dispose();
        _reader = null;
    }
}
