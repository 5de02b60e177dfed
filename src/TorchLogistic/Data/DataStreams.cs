namespace TorchLogistic.Data;

/// <summary>
/// Resolves what a user names as streamed data: <c>fashion-mnist</c> (its IDX files, training and official test
/// part), a pair of IDX files named by the image file (the label file beside it, MNIST's naming), a LIBSVM/svmlight
/// file (<see cref="LibSvmBatchStream"/>), or a CSV file — with an optional test file of the same kind.
/// </summary>
public static class DataStreams
{
    /// <summary>
    /// Opens the training rows (and the test rows) of <paramref name="nameOrPath"/> as streams; each makes its opening
    /// pass (see <see cref="BatchStream"/>). The test stream takes the training stream's classes.
    /// </summary>
    /// <param name="nameOrPath"><c>fashion-mnist</c>, an IDX image file (raw or gzip; its labels beside it), a LIBSVM file, or a CSV file.</param>
    /// <param name="batchSize">Rows per mini-batch, ≥ 1.</param>
    /// <param name="testData">A test file of the same kind (CSV, LIBSVM or IDX images), or null; fashion-mnist uses its t10k files.</param>
    /// <param name="label">Label column of a CSV (default the last).</param>
    /// <param name="sampleWeight">Sample-weight column of a CSV, or null.</param>
    /// <param name="dataDir">Folder of fashion-mnist's files; null means <see cref="FashionMnist.DefaultDirectory"/>.</param>
    /// <param name="shuffleBuffer">Rows in the training stream's shuffle buffer (0: file order).</param>
    /// <param name="seed">Seed of the shuffle buffer.</param>
    /// <param name="libSvm">Read <paramref name="nameOrPath"/> and <paramref name="testData"/> as LIBSVM/svmlight (<see cref="LibSvmBatchStream"/>): true, false, or null to decide by the extension (<see cref="LibSvmFile.HasExtension"/>).</param>
    /// <exception cref="DataFormatException">A file is missing or invalid.</exception>
    /// <exception cref="ArgumentException">An option does not apply to this data.</exception>
    public static (BatchStream Train, BatchStream? Test) Open(string nameOrPath, int batchSize, string? testData = null, string? label = null,
        string? sampleWeight = null, string? dataDir = null, int shuffleBuffer = 0, int seed = 0, bool? libSvm = null)
    {
        Datasets.CheckDataDir(nameOrPath, dataDir);
        if (BuiltinDatasets.Contains(nameOrPath))
        {
            if (nameOrPath != FashionMnist.Name)
                throw new ArgumentException($"The built-in data set '{nameOrPath}' is embedded in the library and small; streaming reads files (fashion-mnist, IDX or CSV). Load it in memory instead of DataStreams.Open.");
            if (label != null || sampleWeight != null)
                throw new DataFormatException($"Datasets.label and Datasets.sampleWeight name CSV columns; the built-in data set '{nameOrPath}' has fixed columns. Drop them.");
            if (testData != null)
                throw new ArgumentException($"'{nameOrPath}' streams its official test files (t10k); DataStreams.testPath does not apply. Drop DataStreams.testPath.");
            string[] files = FashionMnist.Files(dataDir);
            string[] names = FashionMnist.Classes.ToArray();
            return OpenPair(
                () => IdxBatchStream.Open(files[0], files[1], batchSize, FashionMnist.Name, classNames: names, shuffleBuffer: shuffleBuffer, seed: seed),
                train => IdxBatchStream.Open(files[2], files[3], batchSize, FashionMnist.Name, classNames: names));
        }
        if (Directory.Exists(nameOrPath))
            throw new DataFormatException($"'{CsvText.Cut(nameOrPath)}' is a folder, not a file. Pass the CSV or IDX file itself.");
        if (!File.Exists(nameOrPath))
        {
            if (!nameOrPath.Contains('/') && !nameOrPath.Contains('\\') && !nameOrPath.Contains('.'))
                throw new DataFormatException($"'{nameOrPath}' is neither a built-in data set ({string.Join(", ", BuiltinDatasets.Names)}) nor an existing file.");
            throw new DataFormatException($"Data file '{nameOrPath}' does not exist. Pass a CSV or IDX file, or fashion-mnist.");
        }
        if (libSvm ?? LibSvmFile.HasExtension(nameOrPath))
        {
            if (label != null || sampleWeight != null)
                throw new ArgumentException($"Datasets.label and Datasets.sampleWeight name CSV columns; '{nameOrPath}' is a LIBSVM file, whose rows start with their label and carry no weight. Drop them.");
            return OpenPair(
                () => LibSvmBatchStream.Open(nameOrPath, batchSize, shuffleBuffer: shuffleBuffer, seed: seed),
                train => LibSvmBatchStream.Open(CheckLibSvm(testData!), batchSize, featureCount: train.FeatureCount, classes: train.Classes));
        }
        if (IsIdx(nameOrPath))
        {
            if (label != null || sampleWeight != null)
                throw new ArgumentException($"Datasets.label and Datasets.sampleWeight name CSV columns; '{nameOrPath}' is an IDX image file, whose labels are in its label file. Drop them.");
            return OpenPair(
                () => IdxBatchStream.Open(nameOrPath, LabelsBeside(nameOrPath), batchSize, shuffleBuffer: shuffleBuffer, seed: seed),
                train => IdxBatchStream.Open(CheckKind(testData!, idx: true), LabelsBeside(testData!), batchSize, classes: train.Classes));
        }
        return OpenPair(
            () => CsvBatchStream.Open(nameOrPath, batchSize, label, sampleWeight, shuffleBuffer: shuffleBuffer, seed: seed),
            train => CsvBatchStream.Open(CheckKind(testData!, idx: false), batchSize, label, sampleWeight, classes: train.Classes));

        (BatchStream, BatchStream?) OpenPair(Func<BatchStream> openTrain, Func<BatchStream, BatchStream> openTest)
        {
            var train = openTrain();
            try
            {
                if (testData == null && nameOrPath != FashionMnist.Name) return (train, null);
                var test = openTest(train);
                if (!test.FeatureNames.SequenceEqual(train.FeatureNames))
                {
                    string[] names = test.FeatureNames;
                    test.Dispose();
                    throw new DataFormatException($"The test data '{test.Name}' has the features {Preview(names)} but the training data has {Preview(train.FeatureNames)}. Give both files the same columns in the same order.");
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
    public static string LabelsBeside(string imagesPath)
    {
        string folder = Path.GetDirectoryName(imagesPath) ?? "";
        string file = Path.GetFileName(imagesPath);
        if (!file.Contains("images", StringComparison.Ordinal))
        {
            string hint = file.Contains("labels", StringComparison.Ordinal)
                ? "It looks like a label file: pass the image file (…-images-idx3-ubyte)."
                : "Name the pair as MNIST does (train-images-idx3-ubyte beside train-labels-idx1-ubyte), so the label file can be found.";
            throw new DataFormatException($"'{imagesPath}' is an IDX file whose name has no 'images' to find its label file by. {hint}");
        }
        string stem = file.Replace("images", "labels", StringComparison.Ordinal).Replace("idx3", "idx1", StringComparison.Ordinal);
        string raw = stem.EndsWith(".gz", StringComparison.Ordinal) ? stem[..^3] : stem;
        foreach (string candidate in new[] { stem, raw + ".gz", raw }.Distinct())
        {
            string path = Path.Combine(folder, candidate);
            if (File.Exists(path)) return path;
        }
        throw new DataFormatException($"'{imagesPath}' has no label file beside it: looked for {raw}[.gz] in '{(folder.Length == 0 ? "." : folder)}'. Put the labels there under that name.");
    }

    /// <summary>Whether <paramref name="path"/> holds IDX data: it starts with two zero bytes (raw IDX) or with gzip's magic number.</summary>
    public static bool IsIdx(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> head = stackalloc byte[2];
        int got = file.Read(head);
        if (got == 1) got += file.Read(head[1..]);
        return got == 2 && (head[0] == 0 && head[1] == 0 || head[0] == 0x1F && head[1] == 0x8B);
    }

    private static string CheckKind(string testPath, bool idx)
    {
        if (!File.Exists(testPath))
            throw new DataFormatException($"Test data file '{testPath}' does not exist. Pass DataStreams.testPath a file of the same kind as the training data.");
        if (IsIdx(testPath) != idx)
            throw new DataFormatException($"The test data '{testPath}' is {(idx ? "not an IDX file" : "an IDX file")} but the training data is {(idx ? "IDX images" : "a CSV")}. Give DataStreams.testPath a file of the same kind.");
        return testPath;
    }

    private static string CheckLibSvm(string testPath)
    {
        if (!File.Exists(testPath))
            throw new DataFormatException($"Test data file '{testPath}' does not exist. Pass DataStreams.testPath a LIBSVM file, like the training data.");
        if (IsIdx(testPath) && !testPath.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            throw new DataFormatException($"The test data '{testPath}' is an IDX file but the training data is LIBSVM. Give DataStreams.testPath a LIBSVM file.");
        return testPath;
    }

    private static string Preview(string[] names) => string.Join(", ", names.Take(5)) + (names.Length > 5 ? $", … ({names.Length} columns)" : "");
}
