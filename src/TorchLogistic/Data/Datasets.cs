namespace TorchLogistic.Data;

/// <summary>Resolves what a user names as data: a built-in data set or a CSV file path.</summary>
public static class Datasets
{
    /// <summary>Loads <paramref name="nameOrPath"/>: a built-in name (see <see cref="BuiltinDatasets.Names"/>) or a CSV file.</summary>
    /// <param name="nameOrPath">Built-in name or CSV path.</param>
    /// <param name="label">Label column of a CSV (default the last column); must be null for a built-in.</param>
    /// <param name="sampleWeight">Sample-weight column of a CSV, or null.</param>
    /// <param name="dataDir">Folder of a built-in data set read from files (fashion-mnist); null means its default folder.</param>
    public static Dataset Load(string nameOrPath, string? label = null, string? sampleWeight = null, string? dataDir = null)
    {
        CheckDataDir(nameOrPath, dataDir);
        if (BuiltinDatasets.Contains(nameOrPath))
        {
            if (label != null || sampleWeight != null)
                throw new DataFormatException($"Datasets.label and Datasets.sampleWeight name CSV columns; the built-in data set '{nameOrPath}' has fixed columns. Drop them or pass a CSV file.");
            return BuiltinDatasets.Load(nameOrPath, dataDir);
        }
        if (!File.Exists(nameOrPath) && !Directory.Exists(nameOrPath) && !nameOrPath.Contains('/') && !nameOrPath.Contains('\\') && !nameOrPath.Contains('.'))
            throw new DataFormatException($"'{nameOrPath}' is neither a built-in data set ({string.Join(", ", BuiltinDatasets.Names)}) nor an existing file.");
        return CsvDataset.Load(nameOrPath, label, sampleWeight);
    }

    /// <summary>
    /// Loads <paramref name="nameOrPath"/> split into training and test rows: the official split for a data set
    /// that has one (fashion-mnist: 60 000 / 10 000), where a test fraction other than null is refused; otherwise
    /// the seeded stratified <see cref="TrainTestSplit"/> with <paramref name="testFraction"/> (null means 0.2).
    /// </summary>
    /// <param name="nameOrPath">Built-in name or CSV path.</param>
    /// <param name="testFraction">Share of rows for testing, or null for the default (0.2, or the official split).</param>
    /// <param name="seed">Seed of the random split.</param>
    /// <param name="label">Label column of a CSV.</param>
    /// <param name="sampleWeight">Sample-weight column of a CSV.</param>
    /// <param name="dataDir">Folder of a data set read from files.</param>
    /// <param name="tabular">
    /// For a CSV file: read it as a table with categorical columns and missing cells (<see cref="TabularCsv"/>; the
    /// encoder is fitted on the training rows and carried by the data sets). Null (default) reads numeric columns only.
    /// </param>
    public static (Dataset Train, Dataset? Test) LoadSplit(string nameOrPath, double? testFraction, int seed,
        string? label = null, string? sampleWeight = null, string? dataDir = null, TabularOptions? tabular = null)
    {
        if (tabular != null && !BuiltinDatasets.Contains(nameOrPath) && (File.Exists(nameOrPath) || Directory.Exists(nameOrPath) || nameOrPath.Contains('/') || nameOrPath.Contains('\\') || nameOrPath.Contains('.')))
        {
            CheckDataDir(nameOrPath, dataDir);
            return TabularCsv.LoadSplit(nameOrPath, tabular, testFraction ?? 0.2, seed, label, sampleWeight);
        }
        if (tabular is { } t && (t.Categorical.Count > 0 || t.Missing != MissingStrategy.Error || t.MissingIndicator) && BuiltinDatasets.Contains(nameOrPath))
            throw new ArgumentException($"The built-in data set '{nameOrPath}' is numeric with no missing values; TabularOptions apply to CSV files. Drop them or pass a CSV file.");
        CheckDataDir(nameOrPath, dataDir);
        if (BuiltinDatasets.HasOfficialSplit(nameOrPath))
        {
            if (testFraction.HasValue)
                throw new ArgumentException($"'{nameOrPath}' comes with its official train/test split; Datasets.testFraction = {testFraction.Value} does not apply. Drop Datasets.testFraction.");
            if (label != null || sampleWeight != null)
                throw new DataFormatException($"Datasets.label and Datasets.sampleWeight name CSV columns; the built-in data set '{nameOrPath}' has fixed columns. Drop them.");
            return BuiltinDatasets.LoadOfficialSplit(nameOrPath, dataDir);
        }
        return TrainTestSplit.SplitOptional(Load(nameOrPath, label, sampleWeight, dataDir), testFraction ?? 0.2, seed);
    }

    internal static void CheckDataDir(string nameOrPath, string? dataDir)
    {
        if (dataDir != null && !BuiltinDatasets.ReadsDataDir(nameOrPath))
            throw new ArgumentException($"Datasets.dataDir names the folder of fashion-mnist's files; '{nameOrPath}' does not read one. Drop Datasets.dataDir.");
    }
}
