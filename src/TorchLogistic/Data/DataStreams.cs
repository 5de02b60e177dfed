namespace TorchLogistic.Data;

/// <summary>
/// Resolves what a user names as streamed data: <c>fashion-mnist</c> (its IDX files, training and official test
/// part), a pair of IDX files named by the image file (the label file beside it, MNIST's naming), or a CSV file — with an
/// optional test file of the same kind.
/// </summary>
public static class DataStreams
{
    /// <summary>
    /// Opens the training rows (and the test rows) of <paramref name="name_or_path"/> as streams; each makes its opening
    /// pass (see <see cref="BatchStream"/>). The test stream takes the training stream's classes.
    /// </summary>
    /// <param name="name_or_path"><c>fashion-mnist</c>, an IDX image file (raw or gzip; its labels beside it), or a CSV file.</param>
    /// <param name="batch_size">Rows per mini-batch, ≥ 1.</param>
    /// <param name="test_data">A test file of the same kind (CSV or IDX images), or null; fashion-mnist uses its t10k files.</param>
    /// <param name="label">Label column of a CSV (default the last).</param>
    /// <param name="sample_weight">Sample-weight column of a CSV, or null.</param>
    /// <param name="data_dir">Folder of fashion-mnist's files; null means <see cref="FashionMnist.default_directory"/>.</param>
    /// <param name="shuffle_buffer">Rows in the training stream's shuffle buffer (0: file order).</param>
    /// <param name="seed">Seed of the shuffle buffer.</param>
    /// <exception cref="DataFormatException">A file is missing or invalid.</exception>
    /// <exception cref="ArgumentException">An option does not apply to this data.</exception>
    public static (BatchStream Train, BatchStream? Test) open(string name_or_path, int batch_size, string? test_data = null, string? label = null,
        string? sample_weight = null, string? data_dir = null, int shuffle_buffer = 0, int seed = 0)
    {
        Datasets.check_data_dir(name_or_path, data_dir);
        if (BuiltinDatasets.contains(name_or_path))
        {
            if (name_or_path != FashionMnist.name)
                throw new ArgumentException($"The built-in data set '{name_or_path}' is embedded in the library and small; streaming reads files (fashion-mnist, IDX or CSV). Load it in memory instead of DataStreams.open.");
            if (label != null || sample_weight != null)
                throw new DataFormatException($"Datasets.label and Datasets.sample_weight name CSV columns; the built-in data set '{name_or_path}' has fixed columns. Drop them.");
            if (test_data != null)
                throw new ArgumentException($"'{name_or_path}' streams its official test files (t10k); DataStreams.test_path does not apply. Drop DataStreams.test_path.");
            string[] files = FashionMnist.files(data_dir);
            string[] names = FashionMnist.classes.ToArray();
            return open_pair(
                () => IdxBatchStream.open(files[0], files[1], batch_size, FashionMnist.name, class_names: names, shuffle_buffer: shuffle_buffer, seed: seed),
                train => IdxBatchStream.open(files[2], files[3], batch_size, FashionMnist.name, class_names: names));
        }
        if (Directory.Exists(name_or_path))
            throw new DataFormatException($"'{CsvText.cut(name_or_path)}' is a folder, not a file. Pass the CSV or IDX file itself.");
        if (!File.Exists(name_or_path))
        {
            if (!name_or_path.Contains('/') && !name_or_path.Contains('\\') && !name_or_path.Contains('.'))
                throw new DataFormatException($"'{name_or_path}' is neither a built-in data set ({string.Join(", ", BuiltinDatasets.names)}) nor an existing file.");
            throw new DataFormatException($"Data file '{name_or_path}' does not exist. Pass a CSV or IDX file, or fashion-mnist.");
        }
        if (is_idx(name_or_path))
        {
            if (label != null || sample_weight != null)
                throw new ArgumentException($"Datasets.label and Datasets.sample_weight name CSV columns; '{name_or_path}' is an IDX image file, whose labels are in its label file. Drop them.");
            return open_pair(
                () => IdxBatchStream.open(name_or_path, labels_beside(name_or_path), batch_size, shuffle_buffer: shuffle_buffer, seed: seed),
                train => IdxBatchStream.open(check_kind(test_data!, idx: true), labels_beside(test_data!), batch_size, classes: train.classes));
        }
        return open_pair(
            () => CsvBatchStream.open(name_or_path, batch_size, label, sample_weight, shuffle_buffer: shuffle_buffer, seed: seed),
            train => CsvBatchStream.open(check_kind(test_data!, idx: false), batch_size, label, sample_weight, classes: train.classes));

        (BatchStream, BatchStream?) open_pair(Func<BatchStream> open_train, Func<BatchStream, BatchStream> open_test)
        {
            var train = open_train();
            try
            {
                if (test_data == null && name_or_path != FashionMnist.name) return (train, null);
                var test = open_test(train);
                if (!test.feature_names.SequenceEqual(train.feature_names))
                {
                    string[] names = test.feature_names;
                    test.Dispose();
                    throw new DataFormatException($"The test data '{test.name}' has the features {preview(names)} but the training data has {preview(train.feature_names)}. Give both files the same columns in the same order.");
                }
                return (train, test);
            }
            catch
            {
                train.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// The label file of an MNIST-style image file: the same name with <c>images</c> replaced by <c>labels</c> and
    /// <c>idx3</c> by <c>idx1</c>, in the same folder, with or without <c>.gz</c> (e.g. <c>train-images-idx3-ubyte.gz</c> →
    /// <c>train-labels-idx1-ubyte.gz</c> or <c>train-labels-idx1-ubyte</c>).
    /// </summary>
    /// <exception cref="DataFormatException">The name has no <c>images</c> in it, or no such label file exists.</exception>
    public static string labels_beside(string images_path)
    {
        string folder = Path.GetDirectoryName(images_path) ?? "";
        string file = Path.GetFileName(images_path);
        if (!file.Contains("images", StringComparison.Ordinal))
        {
            string hint = file.Contains("labels", StringComparison.Ordinal)
                ? "It looks like a label file: pass the image file (…-images-idx3-ubyte)."
                : "Name the pair as MNIST does (train-images-idx3-ubyte beside train-labels-idx1-ubyte), so the label file can be found.";
            throw new DataFormatException($"'{images_path}' is an IDX file whose name has no 'images' to find its label file by. {hint}");
        }
        string stem = file.Replace("images", "labels", StringComparison.Ordinal).Replace("idx3", "idx1", StringComparison.Ordinal);
        string raw = stem.EndsWith(".gz", StringComparison.Ordinal) ? stem[..^3] : stem;
        foreach (string candidate in new[] { stem, raw + ".gz", raw }.Distinct())
        {
            string path = Path.Combine(folder, candidate);
            if (File.Exists(path)) return path;
        }
        throw new DataFormatException($"'{images_path}' has no label file beside it: looked for {raw}[.gz] in '{(folder.Length == 0 ? "." : folder)}'. Put the labels there under that name.");
    }

    /// <summary>Whether <paramref name="path"/> holds IDX data: it starts with two zero bytes (raw IDX) or with gzip's magic number.</summary>
    public static bool is_idx(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> head = stackalloc byte[2];
        int got = file.Read(head);
        if (got == 1) got += file.Read(head[1..]);
        return got == 2 && (head[0] == 0 && head[1] == 0 || head[0] == 0x1F && head[1] == 0x8B);
    }

    private static string check_kind(string test_path, bool idx)
    {
        if (!File.Exists(test_path))
            throw new DataFormatException($"Test data file '{test_path}' does not exist. Pass DataStreams.test_path a file of the same kind as the training data.");
        if (is_idx(test_path) != idx)
            throw new DataFormatException($"The test data '{test_path}' is {(idx ? "not an IDX file" : "an IDX file")} but the training data is {(idx ? "IDX images" : "a CSV")}. Give DataStreams.test_path a file of the same kind.");
        return test_path;
    }

    private static string preview(string[] names) => string.Join(", ", names.Take(5)) + (names.Length > 5 ? $", … ({names.Length} columns)" : "");
}
