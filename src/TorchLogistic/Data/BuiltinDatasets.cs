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
    private static readonly string[] BreastCancerFeatures = BreastCancerFeatureNames();

    /// <summary>The names <see cref="Load"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "breast-cancer", "iris", "digits", FashionMnist.Name };

    /// <summary>Whether <paramref name="name"/> is a built-in data set.</summary>
    public static bool Contains(string name) => Names.Contains(name, StringComparer.Ordinal);

    /// <summary>Whether <paramref name="name"/> comes with an official train/test split (fashion-mnist), to be used instead of a random one.</summary>
    public static bool HasOfficialSplit(string name) => name == FashionMnist.Name;

    /// <summary>Whether <paramref name="name"/> is read from files outside the library, from a folder <c>data_dir</c> may name.</summary>
    public static bool ReadsDataDir(string name) => name == FashionMnist.Name;

    /// <summary>Loads every row of the built-in data set <paramref name="name"/> (for fashion-mnist: the training rows, then the test rows).</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="dataDir">Folder of a data set read from files (fashion-mnist); null means its default folder.</param>
    /// <exception cref="DataFormatException">No built-in data set has that name, or its files are missing or invalid.</exception>
    public static Dataset Load(string name, string? dataDir = null) => name switch
    {
        "breast-cancer" => ReadSklearnCsv(name, "breast_cancer.csv", BreastCancerFeatures),
        "iris" => ReadSklearnCsv(name, "iris.csv", new[] { "sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)" }),
        "digits" => ReadDigits(),
        FashionMnist.Name => Concatenate(FashionMnist.Load(dataDir)),
        _ => throw new DataFormatException($"There is no built-in data set '{name}'. Built-in: {string.Join(", ", Names)}; or pass a CSV file path."),
    };

    /// <summary>The official training and test parts of <paramref name="name"/> (see <see cref="HasOfficialSplit"/>).</summary>
    /// <param name="name">A data set with an official split: fashion-mnist.</param>
    /// <param name="dataDir">Folder of its files; null means the default folder.</param>
    public static (Dataset Train, Dataset Test) LoadOfficialSplit(string name, string? dataDir = null) => name switch
    {
        FashionMnist.Name => FashionMnist.Load(dataDir),
        _ => throw new ArgumentException($"The data set '{name}' has no official train/test split; split it with TrainTestSplit (Datasets.testFraction)."),
    };

    private static Dataset Concatenate((Dataset Train, Dataset Test) parts)
    {
        var (a, b) = parts;
        var x = new double[a.Features.LongLength + b.Features.LongLength];
        Array.Copy(a.Features, x, a.Features.LongLength);
        Array.Copy(b.Features, 0, x, a.Features.LongLength, b.Features.LongLength);
        return new Dataset(a.Name, x, a.SampleCount + b.SampleCount, a.FeatureCount, a.Labels.Concat(b.Labels).ToArray(), a.Classes, a.FeatureNames);
    }

    private static string[] BreastCancerFeatureNames()
    {
        string[] bases = { "radius", "texture", "perimeter", "area", "smoothness", "compactness", "concavity", "concave points", "symmetry", "fractal dimension" };
        return new[] { "mean", "error", "worst" }.SelectMany(kind => bases.Select(b => kind == "error" ? $"{b} error" : $"{kind} {b}")).ToArray();
    }

    private static Stream OpenResource(string fileName)
    {
        string resource = $"TorchLogistic.Data.Builtin.{fileName}";
        return typeof(BuiltinDatasets).Assembly.GetManifestResourceStream(resource)
            ?? throw new DataFormatException($"The built-in data file {fileName} is missing from the TorchLogistic assembly. Rebuild the library.");
    }

    /// <summary>scikit-learn's format: a first line <c>n_samples,n_features,class names…</c>, then rows ending with the class index.</summary>
    private static Dataset ReadSklearnCsv(string name, string fileName, string[] featureNames)
    {
        using var reader = new StreamReader(OpenResource(fileName));
        string[] first = (reader.ReadLine() ?? "").Split(',');
        int m = int.Parse(first[0], CultureInfo.InvariantCulture);
        int d = int.Parse(first[1], CultureInfo.InvariantCulture);
        string[] classes = first.Skip(2).ToArray();
        return ReadRows(name, reader, m, d, classes, featureNames);
    }

    private static Dataset ReadDigits()
    {
        using var gzip = new GZipStream(OpenResource("digits.csv.gz"), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        string[] featureNames = Enumerable.Range(0, 64).Select(i => $"pixel_{i / 8}_{i % 8}").ToArray();
        string[] classes = Enumerable.Range(0, 10).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray();
        return ReadRows("digits", reader, 1797, 64, classes, featureNames);
    }

    private static Dataset ReadRows(string name, TextReader reader, int m, int d, string[] classes, string[] featureNames)
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
