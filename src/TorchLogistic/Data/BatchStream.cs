namespace TorchLogistic.Data;

/// <summary>
/// Labelled rows read from a file in passes, a mini-batch at a time, so that memory does not grow with the number of
/// rows: the stream holds one batch (its buffers are reused from batch to batch), an optional shuffle buffer, the
/// open file, and O(d + K) statistics. Subclasses read one file format (<see cref="CsvBatchStream"/>,
/// <see cref="IdxBatchStream"/>); this class cuts their rows into batches.
/// <para>
/// Opening a stream makes a first pass over the file (<see cref="Scan"/>) that checks every row, discovers the
/// classes (when they are not given), counts the rows and sums the sample weights of each class, and
/// accumulates each feature's mean and variance in float64 (<see cref="RunningMoments"/>) for
/// <see cref="FitScaler"/>. Every later pass (<see cref="Rewind"/>, then <see cref="Next"/> until null) re-opens the
/// file and must find the same number of rows.
/// </para>
/// <para>
/// Order: sequential, in file order, unless a pass is shuffled and the stream has a shuffle buffer of B rows: then
/// rows go through a buffer of B slots filled from the file, and each row handed out is drawn uniformly from the
/// buffer (seeded <see cref="Random"/>; its slot is refilled with the next row of the file). Each row comes out
/// exactly once per pass; B ≥ the number of rows is a full uniform shuffle, smaller B mixes rows within about B
/// positions of each other. Successive passes continue the random sequence, so every epoch has its own order, and
/// the same seed repeats them all.
/// </para>
/// </summary>
public abstract class BatchStream : IDisposable
{
    private readonly List<RowBatch> _batches = new();
    private int _passBatchSize;
    private readonly double[] _scratch;
    private readonly Random _random;
    private readonly double[]? _bufferX;
    private readonly int[]? _bufferY;
    private readonly double[]? _bufferW;
    private int _buffered;
    private bool _shuffling;
    private bool _exhausted;
    private bool _scanned;
    private long _fileRows;
    private long _emitted;
    private long[] _counts = Array.Empty<long>();
    private double[] _weights = Array.Empty<double>();

    /// <summary>Sets up the batch buffers; the subclass then calls <see cref="Scan"/>.</summary>
    /// <param name="name">What the data is, in messages (a path or a built-in name).</param>
    /// <param name="featureNames">Names of the features, one per column.</param>
    /// <param name="batchSize">Rows per batch, ≥ 1; the last batch of a pass holds the rest.</param>
    /// <param name="hasSampleWeight">Whether rows carry a weight.</param>
    /// <param name="shuffleBuffer">Rows in the shuffle buffer of shuffled passes, ≥ 0 (0: no shuffling, file order always).</param>
    /// <param name="seed">Seed of the shuffle buffer's draws.</param>
    protected BatchStream(string name, string[] featureNames, int batchSize, bool hasSampleWeight, int shuffleBuffer, int seed)
    {
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"Batch size {batchSize} must be ≥ 1 (try 32).");
        if (shuffleBuffer < 0)
            throw new ArgumentOutOfRangeException(nameof(shuffleBuffer), shuffleBuffer, $"Shuffle buffer {shuffleBuffer} must be ≥ 0 rows (0 reads the file in order).");
        this.Name = name;
        this.FeatureNames = featureNames;
        this.BatchSize = batchSize;
        this.HasSampleWeight = hasSampleWeight;
        this.ShuffleBuffer = shuffleBuffer;
        this.Seed = seed;
        _passBatchSize = batchSize;
        _scratch = new double[featureNames.Length];
        _random = new Random(seed);
        if (shuffleBuffer > 0)
        {
            // Checked before allocating, so one option value cannot exhaust memory.
            double bytes = (double)shuffleBuffer * (featureNames.Length + 2) * sizeof(double);
            long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
            if (bytes > available / 2)
                throw new ArgumentOutOfRangeException(nameof(shuffleBuffer), shuffleBuffer, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"A shuffle buffer of {shuffleBuffer:N0} rows × {featureNames.Length} features needs {bytes / 1e9:F1} GB, over half the {available / 1e9:F1} GB available. Use a smaller shuffle buffer."));
            _bufferX = new double[checked((long)shuffleBuffer * featureNames.Length)];
            _bufferY = new int[shuffleBuffer];
            _bufferW = new double[shuffleBuffer];
        }
    }

    /// <summary>What the data is (a path or a built-in name).</summary>
    public string Name { get; }

    /// <summary>Feature names, one per column.</summary>
    public string[] FeatureNames { get; }

    /// <summary>Number of features d.</summary>
    public int FeatureCount => FeatureNames.Length;

    /// <summary>Class names, in index order.</summary>
    public abstract string[] Classes { get; }

    /// <summary>Rows per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether rows carry a sample weight read from the file.</summary>
    public bool HasSampleWeight { get; }

    /// <summary>Rows in the shuffle buffer (0: never shuffled).</summary>
    public int ShuffleBuffer { get; }

    /// <summary>Seed of the shuffle buffer.</summary>
    public int Seed { get; }

    /// <summary>Rows per pass, counted by the opening pass.</summary>
    public long SampleCount { get; private set; }

    /// <summary>
    /// Rows per batch of passes that only evaluate (no steps between batches, so the batch size does not change the
    /// result beyond rounding): max(<see cref="BatchSize"/>, 1024), which keeps libtorch's products efficient at a
    /// constant few megabytes.
    /// </summary>
    public int EvaluationBatchSize => Math.Max(BatchSize, 1024);

    /// <summary>Batches per pass: ⌈n_samples / batch_size⌉.</summary>
    public long BatchCount => (SampleCount + BatchSize - 1) / BatchSize;

    /// <summary>Rows of each class (index order), counted by the opening pass.</summary>
    public long[] ClassCounts => (long[])_counts.Clone();

    /// <summary>Sum of the sample weights of each class's rows (index order; the row counts without a weight column).</summary>
    public double[] ClassWeightSums => (double[])_weights.Clone();

    /// <summary>Each feature's mean and variance over every row, from the opening pass.</summary>
    private RunningMoments Moments { get; set; } = null!;

    /// <summary>
    /// The scaler of the raw features over every row: mean and population standard deviation (1 for constant
    /// columns), equal to <see cref="StandardScaler.Fit"/> on the same rows in memory up to rounding.
    /// </summary>
    public StandardScaler FitScaler() => Moments.ToScaler();

    /// <summary>Starts a new pass at the first row (re-opening the file).</summary>
    /// <param name="shuffle">Hand the rows out through the shuffle buffer (when the stream has one); false: file order.</param>
    /// <param name="batchRows">Rows per batch of this pass (default <see cref="BatchSize"/>; e.g. <see cref="EvaluationBatchSize"/>).</param>
    public void Rewind(bool shuffle = false, int? batchRows = null)
    {
        if (!_scanned) throw new InvalidOperationException("The stream has not made its opening pass (scan) yet.");
        if (batchRows is < 1) throw new ArgumentOutOfRangeException(nameof(batchRows), batchRows, "A batch needs at least one row.");
        _passBatchSize = batchRows ?? BatchSize;
        StartPass();
        _fileRows = 0;
        _emitted = 0;
        _exhausted = false;
        _shuffling = shuffle && ShuffleBuffer > 0;
        if (_shuffling)
        {
            _buffered = 0;
            while (_buffered < ShuffleBuffer && ReadFileRow(_bufferX.AsSpan(_buffered * FeatureCount, FeatureCount), out _bufferY![_buffered], out _bufferW![_buffered]))
                _buffered++;
        }
    }

    /// <summary>
    /// The next batch of the current pass, or null when the pass is over. The returned batch and its arrays are
    /// reused by the next call.
    /// </summary>
    /// <exception cref="DataFormatException">A row is invalid, or the file changed since the opening pass.</exception>
    public RowBatch? Next()
    {
        long remaining = SampleCount - _emitted;
        if (!_scanned || remaining <= 0) return null;
        var batch = BatchOf((int)Math.Min(_passBatchSize, remaining));
        int rows = batch.RowCount;
        for (int i = 0; i < rows; i++)
        {
            var x = batch.Features.AsSpan(i * FeatureCount, FeatureCount);
            double w;
            bool got = _shuffling ? Draw(x, out batch.Labels[i], out w) : ReadFileRow(x, out batch.Labels[i], out w);
            if (!got) throw Changed("fewer");
            if (batch.SampleWeight != null) batch.SampleWeight[i] = w;
        }
        _emitted += rows;
        // The last row of a sequential pass: check that the file ends here too.
        if (_emitted == SampleCount && !_shuffling) ReadFileRow(_scratch, out _, out _);
        return batch;
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Closes the file (subclasses release what they hold).</summary>
    protected virtual void Dispose(bool disposing) { }

    /// <summary>Opens the file (again) at its first row.</summary>
    protected abstract void StartPass();

    /// <summary>
    /// Reads the next row of the file: its features into <paramref name="features"/>, its class index (provisional
    /// while the classes are being discovered, see <see cref="FinishClasses"/>) and its weight (1 without weights).
    /// Returns false at the end of the file.
    /// </summary>
    protected abstract bool ReadRow(Span<double> features, out int label, out double weight);

    /// <summary>Called after the last row of a pass: checks that nothing follows it.</summary>
    protected virtual void EndPass() { }

    /// <summary>
    /// Called after the opening pass: ends class discovery and returns, for each provisional class index, its final
    /// index; null when the indices were final already.
    /// </summary>
    protected virtual int[]? FinishClasses() => null;

    /// <summary>The message when the file holds no rows.</summary>
    protected virtual string NoRowsMessage => $"'{Name}' holds no rows. Streaming needs at least one row.";

    /// <summary>Runs the opening pass of a new stream and returns it, or disposes it and rethrows if the pass fails.</summary>
    protected static T AfterOpeningPass<T>(T stream) where T : BatchStream
    {
        try
        {
            stream.Scan();
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The opening pass: checks every row, counts rows, class rows and weights, and accumulates the features'
    /// moments, a batch at a time. Subclasses call it once at the end of their construction.
    /// </summary>
    protected void Scan()
    {
        StartPass();
        var full = BatchOf(EvaluationBatchSize);
        Moments = new RunningMoments(FeatureCount);
        var perClass = new List<long>();
        var perClassWeight = new List<double>();
        long rows = 0;
        while (true)
        {
            int r = 0;
            while (r < full.RowCount && ReadRow(full.Features.AsSpan(r * FeatureCount, FeatureCount), out int label, out double w))
            {
                while (perClass.Count <= label)
                {
                    perClass.Add(0);
                    perClassWeight.Add(0);
                }
                perClass[label]++;
                perClassWeight[label] += w;
                r++;
            }
            Moments.Add(full.Features, r);
            rows += r;
            if (r < full.RowCount) break;
        }
        EndPass();
        if (rows == 0) throw new DataFormatException(NoRowsMessage);
        int[]? remap = FinishClasses();
        _counts = new long[Classes.Length];
        _weights = new double[Classes.Length];
        for (int k = 0; k < perClass.Count; k++)
        {
            _counts[remap?[k] ?? k] += perClass[k];
            _weights[remap?[k] ?? k] += perClassWeight[k];
        }
        SampleCount = rows;
        _scanned = true;
        _emitted = SampleCount;
    }

    /// <summary>
    /// The buffers of a batch of <paramref name="rows"/> rows, made on first use: a stream uses a few sizes (its batch
    /// size, the evaluation batch size, and the last batch of a pass of each).
    /// </summary>
    private RowBatch BatchOf(int rows)
    {
        var batch = _batches.Find(b => b.RowCount == rows);
        if (batch == null)
        {
            batch = new RowBatch(rows, FeatureCount, HasSampleWeight);
            _batches.Add(batch);
        }
        return batch;
    }

    /// <summary>A row of the file, checking that the file has exactly the rows the opening pass counted.</summary>
    private bool ReadFileRow(Span<double> features, out int label, out double weight)
    {
        if (_fileRows == SampleCount)
        {
            label = 0;
            weight = 0;
            if (_exhausted) return false;
            if (ReadRow(_scratch, out _, out _)) throw Changed("more");
            EndPass();
            _exhausted = true;
            return false;
        }
        if (!ReadRow(features, out label, out weight)) throw Changed("fewer");
        _fileRows++;
        return true;
    }

    /// <summary>A row drawn uniformly from the shuffle buffer; its slot is refilled from the file.</summary>
    private bool Draw(Span<double> features, out int label, out double weight)
    {
        if (_buffered == 0)
        {
            label = 0;
            weight = 0;
            return false;
        }
        int d = FeatureCount;
        int j = _random.Next(_buffered);
        _bufferX.AsSpan(j * d, d).CopyTo(features);
        label = _bufferY![j];
        weight = _bufferW![j];
        if (!ReadFileRow(_bufferX.AsSpan(j * d, d), out _bufferY[j], out _bufferW[j]))
        {
            // The file is exhausted: the last buffered row moves into the free slot.
            _buffered--;
            _bufferX.AsSpan(_buffered * d, d).CopyTo(_bufferX.AsSpan(j * d, d));
            _bufferY[j] = _bufferY[_buffered];
            _bufferW[j] = _bufferW[_buffered];
        }
        return true;
    }

    private DataFormatException Changed(string moreOrFewer) =>
        new($"'{Name}' changed while it was being read: the opening pass counted {SampleCount} rows and this pass found {moreOrFewer}. Do not modify the data during training; start again.");
}
