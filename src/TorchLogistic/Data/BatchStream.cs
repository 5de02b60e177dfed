namespace TorchLogistic.Data;

/// <summary>
/// Labelled rows read from a file in passes, a mini-batch at a time, so that memory does not grow with the number of
/// rows: the stream holds one batch (its buffers are reused from batch to batch), an optional shuffle buffer, the
/// open file, and O(d + K) statistics. Subclasses read one file format (<see cref="CsvBatchStream"/>,
/// <see cref="IdxBatchStream"/>); this class cuts their rows into batches.
/// <para>
/// Opening a stream makes a first pass over the file (<see cref="scan"/>) that checks every row, discovers the
/// classes (when they are not given), counts the rows and sums the sample weights of each class, and
/// accumulates each feature's mean and variance in float64 (<see cref="RunningMoments"/>) for
/// <see cref="fit_scaler"/>. Every later pass (<see cref="rewind"/>, then <see cref="next"/> until null) re-opens the
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
    private readonly List<RowBatch> batches = new();
    private int passBatchSize;
    private readonly double[] scratch;
    private readonly Random random;
    private readonly double[]? bufferX;
    private readonly int[]? bufferY;
    private readonly double[]? bufferW;
    private int buffered;
    private bool shuffling;
    private bool exhausted;
    private bool scanned;
    private long fileRows;
    private long emitted;
    private long[] counts = Array.Empty<long>();
    private double[] weights = Array.Empty<double>();

    /// <summary>Sets up the batch buffers; the subclass then calls <see cref="scan"/>.</summary>
    /// <param name="name">What the data is, in messages (a path or a built-in name).</param>
    /// <param name="feature_names">Names of the features, one per column.</param>
    /// <param name="batch_size">Rows per batch, ≥ 1; the last batch of a pass holds the rest.</param>
    /// <param name="has_sample_weight">Whether rows carry a weight.</param>
    /// <param name="shuffle_buffer">Rows in the shuffle buffer of shuffled passes, ≥ 0 (0: no shuffling, file order always).</param>
    /// <param name="seed">Seed of the shuffle buffer's draws.</param>
    protected BatchStream(string name, string[] feature_names, int batch_size, bool has_sample_weight, int shuffle_buffer, int seed)
    {
        if (batch_size < 1)
            throw new ArgumentOutOfRangeException(nameof(batch_size), batch_size, $"Batch size {batch_size} must be ≥ 1 (try 32).");
        if (shuffle_buffer < 0)
            throw new ArgumentOutOfRangeException(nameof(shuffle_buffer), shuffle_buffer, $"Shuffle buffer {shuffle_buffer} must be ≥ 0 rows (0 reads the file in order).");
        this.name = name;
        this.feature_names = feature_names;
        this.batch_size = batch_size;
        this.has_sample_weight = has_sample_weight;
        this.shuffle_buffer = shuffle_buffer;
        this.seed = seed;
        passBatchSize = batch_size;
        scratch = new double[feature_names.Length];
        random = new Random(seed);
        if (shuffle_buffer > 0)
        {
            // Checked before allocating, so one option value cannot exhaust memory.
            double bytes = (double)shuffle_buffer * (feature_names.Length + 2) * sizeof(double);
            long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
            if (bytes > available / 2)
                throw new ArgumentOutOfRangeException(nameof(shuffle_buffer), shuffle_buffer, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"A shuffle buffer of {shuffle_buffer:N0} rows × {feature_names.Length} features needs {bytes / 1e9:F1} GB, over half the {available / 1e9:F1} GB available. Use a smaller shuffle buffer."));
            bufferX = new double[checked((long)shuffle_buffer * feature_names.Length)];
            bufferY = new int[shuffle_buffer];
            bufferW = new double[shuffle_buffer];
        }
    }

    /// <summary>What the data is (a path or a built-in name).</summary>
    public string name { get; }

    /// <summary>Feature names, one per column.</summary>
    public string[] feature_names { get; }

    /// <summary>Number of features d.</summary>
    public int n_features => feature_names.Length;

    /// <summary>Class names, in index order.</summary>
    public abstract string[] classes { get; }

    /// <summary>Rows per batch.</summary>
    public int batch_size { get; }

    /// <summary>Whether rows carry a sample weight read from the file.</summary>
    public bool has_sample_weight { get; }

    /// <summary>Rows in the shuffle buffer (0: never shuffled).</summary>
    public int shuffle_buffer { get; }

    /// <summary>Seed of the shuffle buffer.</summary>
    public int seed { get; }

    /// <summary>Rows per pass, counted by the opening pass.</summary>
    public long n_samples { get; private set; }

    /// <summary>
    /// Rows per batch of passes that only evaluate (no steps between batches, so the batch size does not change the
    /// result beyond rounding): max(<see cref="batch_size"/>, 1024), which keeps libtorch's products efficient at a
    /// constant few megabytes.
    /// </summary>
    public int evaluation_batch_size => Math.Max(batch_size, 1024);

    /// <summary>Batches per pass: ⌈n_samples / batch_size⌉.</summary>
    public long n_batches => (n_samples + batch_size - 1) / batch_size;

    /// <summary>Rows of each class (index order), counted by the opening pass.</summary>
    public long[] class_counts => (long[])counts.Clone();

    /// <summary>Sum of the sample weights of each class's rows (index order; the row counts without a weight column).</summary>
    public double[] class_weight_sums => (double[])weights.Clone();

    /// <summary>Each feature's mean and variance over every row, from the opening pass.</summary>
    private RunningMoments moments { get; set; } = null!;

    /// <summary>
    /// The scaler of the raw features over every row: mean and population standard deviation (1 for constant
    /// columns), equal to <see cref="StandardScaler.fit"/> on the same rows in memory up to rounding.
    /// </summary>
    public StandardScaler fit_scaler() => moments.to_scaler();

    /// <summary>Starts a new pass at the first row (re-opening the file).</summary>
    /// <param name="shuffle">Hand the rows out through the shuffle buffer (when the stream has one); false: file order.</param>
    /// <param name="batch_rows">Rows per batch of this pass (default <see cref="batch_size"/>; e.g. <see cref="evaluation_batch_size"/>).</param>
    public void rewind(bool shuffle = false, int? batch_rows = null)
    {
        if (!scanned) throw new InvalidOperationException("The stream has not made its opening pass (scan) yet.");
        if (batch_rows is < 1) throw new ArgumentOutOfRangeException(nameof(batch_rows), batch_rows, "A batch needs at least one row.");
        passBatchSize = batch_rows ?? batch_size;
        start_pass();
        fileRows = 0;
        emitted = 0;
        exhausted = false;
        shuffling = shuffle && shuffle_buffer > 0;
        if (shuffling)
        {
            buffered = 0;
            while (buffered < shuffle_buffer && read_file_row(bufferX.AsSpan(buffered * n_features, n_features), out bufferY![buffered], out bufferW![buffered]))
                buffered++;
        }
    }

    /// <summary>
    /// The next batch of the current pass, or null when the pass is over. The returned batch and its arrays are
    /// reused by the next call.
    /// </summary>
    /// <exception cref="DataFormatException">A row is invalid, or the file changed since the opening pass.</exception>
    public RowBatch? next()
    {
        long remaining = n_samples - emitted;
        if (!scanned || remaining <= 0) return null;
        var batch = batch_of((int)Math.Min(passBatchSize, remaining));
        int rows = batch.n_rows;
        for (int i = 0; i < rows; i++)
        {
            var x = batch.features.AsSpan(i * n_features, n_features);
            double w;
            bool got = shuffling ? draw(x, out batch.labels[i], out w) : read_file_row(x, out batch.labels[i], out w);
            if (!got) throw changed("fewer");
            if (batch.sample_weight != null) batch.sample_weight[i] = w;
        }
        emitted += rows;
        // The last row of a sequential pass: check that the file ends here too.
        if (emitted == n_samples && !shuffling) read_file_row(scratch, out _, out _);
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
    protected abstract void start_pass();

    /// <summary>
    /// Reads the next row of the file: its features into <paramref name="features"/>, its class index (provisional
    /// while the classes are being discovered, see <see cref="finish_classes"/>) and its weight (1 without weights).
    /// Returns false at the end of the file.
    /// </summary>
    protected abstract bool read_row(Span<double> features, out int label, out double weight);

    /// <summary>Called after the last row of a pass: checks that nothing follows it.</summary>
    protected virtual void end_pass() { }

    /// <summary>
    /// Called after the opening pass: ends class discovery and returns, for each provisional class index, its final
    /// index; null when the indices were final already.
    /// </summary>
    protected virtual int[]? finish_classes() => null;

    /// <summary>The message when the file holds no rows.</summary>
    protected virtual string no_rows_message => $"'{name}' holds no rows. Streaming needs at least one row.";

    /// <summary>Runs the opening pass of a new stream and returns it, or disposes it and rethrows if the pass fails.</summary>
    protected static T after_opening_pass<T>(T stream) where T : BatchStream
    {
        try
        {
            stream.scan();
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
    protected void scan()
    {
        start_pass();
        var full = batch_of(evaluation_batch_size);
        moments = new RunningMoments(n_features);
        var perClass = new List<long>();
        var perClassWeight = new List<double>();
        long rows = 0;
        while (true)
        {
            int r = 0;
            while (r < full.n_rows && read_row(full.features.AsSpan(r * n_features, n_features), out int label, out double w))
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
            moments.add(full.features, r);
            rows += r;
            if (r < full.n_rows) break;
        }
        end_pass();
        if (rows == 0) throw new DataFormatException(no_rows_message);
        int[]? remap = finish_classes();
        counts = new long[classes.Length];
        weights = new double[classes.Length];
        for (int k = 0; k < perClass.Count; k++)
        {
            counts[remap?[k] ?? k] += perClass[k];
            weights[remap?[k] ?? k] += perClassWeight[k];
        }
        n_samples = rows;
        scanned = true;
        emitted = n_samples;
    }

    /// <summary>
    /// The buffers of a batch of <paramref name="rows"/> rows, made on first use: a stream uses a few sizes (its batch
    /// size, the evaluation batch size, and the last batch of a pass of each).
    /// </summary>
    private RowBatch batch_of(int rows)
    {
        var batch = batches.Find(b => b.n_rows == rows);
        if (batch == null)
        {
            batch = new RowBatch(rows, n_features, has_sample_weight);
            batches.Add(batch);
        }
        return batch;
    }

    /// <summary>A row of the file, checking that the file has exactly the rows the opening pass counted.</summary>
    private bool read_file_row(Span<double> features, out int label, out double weight)
    {
        if (fileRows == n_samples)
        {
            label = 0;
            weight = 0;
            if (exhausted) return false;
            if (read_row(scratch, out _, out _)) throw changed("more");
            end_pass();
            exhausted = true;
            return false;
        }
        if (!read_row(features, out label, out weight)) throw changed("fewer");
        fileRows++;
        return true;
    }

    /// <summary>A row drawn uniformly from the shuffle buffer; its slot is refilled from the file.</summary>
    private bool draw(Span<double> features, out int label, out double weight)
    {
        if (buffered == 0)
        {
            label = 0;
            weight = 0;
            return false;
        }
        int d = n_features;
        int j = random.Next(buffered);
        bufferX.AsSpan(j * d, d).CopyTo(features);
        label = bufferY![j];
        weight = bufferW![j];
        if (!read_file_row(bufferX.AsSpan(j * d, d), out bufferY[j], out bufferW[j]))
        {
            // The file is exhausted: the last buffered row moves into the free slot.
            buffered--;
            bufferX.AsSpan(buffered * d, d).CopyTo(bufferX.AsSpan(j * d, d));
            bufferY[j] = bufferY[buffered];
            bufferW[j] = bufferW[buffered];
        }
        return true;
    }

    private DataFormatException changed(string more_or_fewer) =>
        new($"'{name}' changed while it was being read: the opening pass counted {n_samples} rows and this pass found {more_or_fewer}. Do not modify the data during training; start again.");
}
