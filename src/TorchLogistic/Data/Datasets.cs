namespace TorchLogistic.Data;

/// <summary>Resolves what a user names as data: a built-in data set or a CSV file path.</summary>
public static class Datasets
{
    /// <summary>Loads <paramref name="name_or_path"/>: a built-in name (see <see cref="BuiltinDatasets.names"/>) or a CSV file.</summary>
    /// <param name="name_or_path">Built-in name or CSV path.</param>
    /// <param name="label">Label column of a CSV (default the last column); must be null for a built-in.</param>
    /// <param name="sample_weight">Sample-weight column of a CSV, or null.</param>
    /// <param name="data_dir">Folder of a built-in data set read from files (fashion-mnist); null means its default folder.</param>
    public static Dataset load(string name_or_path, string? label = null, string? sample_weight = null, string? data_dir = null)
    {
        check_data_dir(name_or_path, data_dir);
        if (BuiltinDatasets.contains(name_or_path))
        {
            if (label != null || sample_weight != null)
                throw new DataFormatException($"Datasets.label and Datasets.sample_weight name CSV columns; the built-in data set '{name_or_path}' has fixed columns. Drop them or pass a CSV file.");
            return BuiltinDatasets.load(name_or_path, data_dir);
        }
        if (!File.Exists(name_or_path) && !Directory.Exists(name_or_path) && !name_or_path.Contains('/') && !name_or_path.Contains('\\') && !name_or_path.Contains('.'))
            throw new DataFormatException($"'{name_or_path}' is neither a built-in data set ({string.Join(", ", BuiltinDatasets.names)}) nor an existing file.");
        return CsvDataset.load(name_or_path, label, sample_weight);
    }

    /// <summary>
    /// Loads <paramref name="name_or_path"/> split into training and test rows: the official split for a data set
    /// that has one (fashion-mnist: 60 000 / 10 000), where a test fraction other than null is refused; otherwise
    /// the seeded stratified <see cref="TrainTestSplit"/> with <paramref name="test_fraction"/> (null means 0.2).
    /// </summary>
    /// <param name="name_or_path">Built-in name or CSV path.</param>
    /// <param name="test_fraction">Share of rows for testing, or null for the default (0.2, or the official split).</param>
    /// <param name="seed">Seed of the random split.</param>
    /// <param name="label">Label column of a CSV.</param>
    /// <param name="sample_weight">Sample-weight column of a CSV.</param>
    /// <param name="data_dir">Folder of a data set read from files.</param>
    public static (Dataset Train, Dataset? Test) load_split(string name_or_path, double? test_fraction, int seed,
        string? label = null, string? sample_weight = null, string? data_dir = null)
    {
        check_data_dir(name_or_path, data_dir);
        if (BuiltinDatasets.has_official_split(name_or_path))
        {
            if (test_fraction.HasValue)
                throw new ArgumentException($"'{name_or_path}' comes with its official train/test split; Datasets.test_fraction = {test_fraction.Value} does not apply. Drop Datasets.test_fraction.");
            if (label != null || sample_weight != null)
                throw new DataFormatException($"Datasets.label and Datasets.sample_weight name CSV columns; the built-in data set '{name_or_path}' has fixed columns. Drop them.");
            return BuiltinDatasets.load_official_split(name_or_path, data_dir);
        }
        return TrainTestSplit.split_optional(load(name_or_path, label, sample_weight, data_dir), test_fraction ?? 0.2, seed);
    }

    internal static void check_data_dir(string name_or_path, string? data_dir)
    {
        if (data_dir != null && !BuiltinDatasets.reads_data_dir(name_or_path))
            throw new ArgumentException($"Datasets.data_dir names the folder of fashion-mnist's files; '{name_or_path}' does not read one. Drop Datasets.data_dir.");
    }
}
