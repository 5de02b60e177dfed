using System.Globalization;
using System.IO.Compression;

namespace TorchLogistic.Data;

/// <summary>
/// The data sets known by name. Shipped inside the library (scikit-learn 1.2.1's copies of the UCI sets; see
/// <c>Data/Builtin/PROVENANCE.md</c>): <c>breast-cancer</c> (569 × 30, binary), <c>iris</c> (150 × 4, 3 classes)
/// and <c>digits</c> (1797 × 64, 10 classes). Read from the system: <c>fashion-mnist</c> (70 000 × 784, 10
/// classes; see <see cref="FashionMnist"/>), which has an official train/test split.
/// </summary>
public static class BuiltinDatasets
{
    private static readonly string[] BreastCancerFeatures = breast_cancer_feature_names();

    /// <summary>The names <see cref="load"/> accepts.</summary>
    public static IReadOnlyList<string> names { get; } = new[] { "breast-cancer", "iris", "digits", FashionMnist.name };

    /// <summary>Whether <paramref name="name"/> is a built-in data set.</summary>
    public static bool contains(string name) => names.Contains(name, StringComparer.Ordinal);

    /// <summary>Whether <paramref name="name"/> comes with an official train/test split (fashion-mnist), to be used instead of a random one.</summary>
    public static bool has_official_split(string name) => name == FashionMnist.name;

    /// <summary>Whether <paramref name="name"/> is read from files outside the library, from a folder <c>data_dir</c> may name.</summary>
    public static bool reads_data_dir(string name) => name == FashionMnist.name;

    /// <summary>Loads every row of the built-in data set <paramref name="name"/> (for fashion-mnist: the training rows, then the test rows).</summary>
    /// <param name="name">One of <see cref="names"/>.</param>
    /// <param name="data_dir">Folder of a data set read from files (fashion-mnist); null means its default folder.</param>
    /// <exception cref="DataFormatException">No built-in data set has that name, or its files are missing or invalid.</exception>
    public static Dataset load(string name, string? data_dir = null) => name switch
    {
        "breast-cancer" => read_sklearn_csv(name, "breast_cancer.csv", BreastCancerFeatures),
        "iris" => read_sklearn_csv(name, "iris.csv", new[] { "sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)" }),
        "digits" => read_digits(),
        FashionMnist.name => concatenate(FashionMnist.load(data_dir)),
        _ => throw new DataFormatException($"There is no built-in data set '{name}'. Built-in: {string.Join(", ", names)}; or pass a CSV file path."),
    };

    /// <summary>The official training and test parts of <paramref name="name"/> (see <see cref="has_official_split"/>).</summary>
    /// <param name="name">A data set with an official split: fashion-mnist.</param>
    /// <param name="data_dir">Folder of its files; null means the default folder.</param>
    public static (Dataset Train, Dataset Test) load_official_split(string name, string? data_dir = null) => name switch
    {
        FashionMnist.name => FashionMnist.load(data_dir),
        _ => throw new ArgumentException($"The data set '{name}' has no official train/test split; split it with TrainTestSplit (Datasets.test_fraction)."),
    };

    private static Dataset concatenate((Dataset Train, Dataset Test) parts)
    {
        var (a, b) = parts;
        var x = new double[a.features.LongLength + b.features.LongLength];
        Array.Copy(a.features, x, a.features.LongLength);
        Array.Copy(b.features, 0, x, a.features.LongLength, b.features.LongLength);
        return new Dataset(a.name, x, a.n_samples + b.n_samples, a.n_features, a.labels.Concat(b.labels).ToArray(), a.classes, a.feature_names);
    }

    private static string[] breast_cancer_feature_names()
    {
        string[] bases = { "radius", "texture", "perimeter", "area", "smoothness", "compactness", "concavity", "concave points", "symmetry", "fractal dimension" };
        return new[] { "mean", "error", "worst" }.SelectMany(kind => bases.Select(b => kind == "error" ? $"{b} error" : $"{kind} {b}")).ToArray();
    }

    private static Stream open_resource(string fileName)
    {
        string resource = $"TorchLogistic.Data.Builtin.{fileName}";
        return typeof(BuiltinDatasets).Assembly.GetManifestResourceStream(resource)
            ?? throw new DataFormatException($"The built-in data file {fileName} is missing from the TorchLogistic assembly. Rebuild the library.");
    }

    /// <summary>scikit-learn's format: a first line <c>n_samples,n_features,class names…</c>, then rows ending with the class index.</summary>
    private static Dataset read_sklearn_csv(string name, string fileName, string[] featureNames)
    {
        using var reader = new StreamReader(open_resource(fileName));
        string[] first = (reader.ReadLine() ?? "").Split(',');
        int m = int.Parse(first[0], CultureInfo.InvariantCulture);
        int d = int.Parse(first[1], CultureInfo.InvariantCulture);
        string[] classes = first.Skip(2).ToArray();
        return read_rows(name, reader, m, d, classes, featureNames);
    }

    private static Dataset read_digits()
    {
        using var gzip = new GZipStream(open_resource("digits.csv.gz"), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        string[] featureNames = Enumerable.Range(0, 64).Select(i => $"pixel_{i / 8}_{i % 8}").ToArray();
        string[] classes = Enumerable.Range(0, 10).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray();
        return read_rows("digits", reader, 1797, 64, classes, featureNames);
    }

    private static Dataset read_rows(string name, TextReader reader, int m, int d, string[] classes, string[] featureNames)
    {
        var x = new double[(long)m * d];
        var y = new int[m];
        for (int i = 0; i < m; i++)
        {
            string[] cells = (reader.ReadLine() ?? throw new DataFormatException($"Built-in data set '{name}' is truncated at row {i}. Rebuild the library."))
                .Split(',');
            for (int j = 0; j < d; j++) x[(long)i * d + j] = double.Parse(cells[j], CultureInfo.InvariantCulture);
            y[i] = (int)double.Parse(cells[d], CultureInfo.InvariantCulture);
        }
        return new Dataset(name, x, m, d, y, classes, featureNames);
    }
}
