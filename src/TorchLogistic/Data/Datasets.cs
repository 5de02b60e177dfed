namespace TorchLogistic.Data;

/// <summary>Resolves what a user names as data: a built-in data set or a CSV file path.</summary>
public static class Datasets
{
    /// <summary>Loads <paramref name="name_or_path"/>: a built-in name (see <see cref="BuiltinDatasets.names"/>) or a CSV file.</summary>
    /// <param name="name_or_path">Built-in name or CSV path.</param>
    /// <param name="label">Label column of a CSV (default the last column); must be null for a built-in.</param>
    /// <param name="sample_weight">Sample-weight column of a CSV, or null.</param>
    public static Dataset load(string name_or_path, string? label = null, string? sample_weight = null)
    {
        if (BuiltinDatasets.contains(name_or_path))
        {
            if (label != null || sample_weight != null)
                throw new DataFormatException($"--label and --sample-weight name CSV columns; the built-in data set '{name_or_path}' has fixed columns. Drop them or pass a CSV file.");
            return BuiltinDatasets.load(name_or_path);
        }
        if (!File.Exists(name_or_path) && !name_or_path.Contains('/') && !name_or_path.Contains('\\') && !name_or_path.Contains('.'))
            throw new DataFormatException($"'{name_or_path}' is neither a built-in data set ({string.Join(", ", BuiltinDatasets.names)}) nor an existing file.");
        return CsvDataset.load(name_or_path, label, sample_weight);
    }
}
