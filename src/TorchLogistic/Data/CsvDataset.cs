using System.Globalization;

namespace TorchLogistic.Data;

/// <summary>
/// Reads a labelled CSV file: a header row of column names, then one row per sample. Every column but the
/// label (and the optional sample-weight column) is a numeric feature. Labels may be strings or numbers; the
/// distinct labels become <see cref="Dataset.classes"/> in sorted order (numerically when every label is a
/// number, ordinally otherwise), as scikit-learn's <c>LabelEncoder</c> orders them.
/// </summary>
public static class CsvDataset
{
    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="label">Name of the label column; null means the last column.</param>
    /// <param name="sample_weight">Name of a column of per-row weights, or null for none.</param>
    /// <exception cref="DataFormatException">The file is missing, empty, ragged, non-numeric, or names no such column.</exception>
    public static Dataset load(string path, string? label = null, string? sample_weight = null)
    {
        if (!File.Exists(path))
            throw new DataFormatException($"Data file '{path}' does not exist. Pass a CSV path or a built-in name ({string.Join(", ", BuiltinDatasets.names)}).");
        using var reader = new StreamReader(path);
        return read(reader, path, label, sample_weight);
    }

    /// <summary>Reads CSV text from <paramref name="reader"/>; <paramref name="source"/> names it in messages.</summary>
    public static Dataset read(TextReader reader, string source, string? label = null, string? sample_weight = null)
    {
        string? headerLine = reader.ReadLine();
        while (headerLine != null && headerLine.Trim().Length == 0) headerLine = reader.ReadLine();
        if (headerLine == null)
            throw new DataFormatException($"'{source}' is empty. A CSV needs a header row of column names and at least one data row.");
        string[] header = split_line(headerLine, source, 1);
        for (int c = 0; c < header.Length; c++) header[c] = header[c].Trim();

        int labelColumn = label == null ? header.Length - 1 : Array.IndexOf(header, label);
        if (labelColumn < 0)
            throw new DataFormatException($"'{source}' has no column named '{label}'. Its columns are: {string.Join(", ", header)}. Pass --label with one of them.");
        int weightColumn = -1;
        if (sample_weight != null)
        {
            weightColumn = Array.IndexOf(header, sample_weight);
            if (weightColumn < 0)
                throw new DataFormatException($"'{source}' has no sample-weight column named '{sample_weight}'. Its columns are: {string.Join(", ", header)}.");
            if (weightColumn == labelColumn)
                throw new DataFormatException($"'{source}': the sample-weight column '{sample_weight}' is also the label column. Name different columns.");
        }
        var featureColumns = Enumerable.Range(0, header.Length).Where(c => c != labelColumn && c != weightColumn).ToArray();
        if (featureColumns.Length == 0)
            throw new DataFormatException($"'{source}' has no feature columns besides the label '{header[labelColumn]}'. Add at least one numeric column.");

        var values = new List<double>();
        var rawLabels = new List<string>();
        var weights = sample_weight == null ? null : new List<double>();
        int lineNumber = 1;
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            string[] cells = split_line(line, source, lineNumber);
            if (cells.Length != header.Length)
                throw new DataFormatException($"'{source}' line {lineNumber}: {cells.Length} fields, but the header has {header.Length}. Every row needs one value per column.");
            foreach (int c in featureColumns)
                values.Add(parse_number(cells[c], source, lineNumber, header[c]));
            string labelText = cells[labelColumn].Trim();
            if (labelText.Length == 0)
                throw new DataFormatException($"'{source}' line {lineNumber}: the label '{header[labelColumn]}' is empty. Every row needs a label.");
            rawLabels.Add(labelText);
            if (weights != null)
            {
                double w = parse_number(cells[weightColumn], source, lineNumber, header[weightColumn]);
                if (w < 0)
                    throw new DataFormatException($"'{source}' line {lineNumber}: sample weight {w.ToString(CultureInfo.InvariantCulture)} is negative. Weights must be ≥ 0.");
                weights.Add(w);
            }
        }
        if (rawLabels.Count == 0)
            throw new DataFormatException($"'{source}' has a header but no data rows. Add at least one row of values.");

        var (classes, labels) = encode_labels(rawLabels);
        string[] featureNames = featureColumns.Select(c => header[c]).ToArray();
        return new Dataset(source, values.ToArray(), rawLabels.Count, featureColumns.Length, labels, classes, featureNames, weights?.ToArray());
    }

    /// <summary>
    /// Reads the columns named <paramref name="feature_names"/>, in that order, from a CSV with a header
    /// (other columns, such as a label, are ignored): the input of prediction.
    /// </summary>
    /// <returns>Row-major values and the number of rows.</returns>
    public static (double[] Features, int Rows) load_features(string path, IReadOnlyList<string> feature_names)
    {
        if (!File.Exists(path))
            throw new DataFormatException($"Data file '{path}' does not exist. Pass a CSV with the model's feature columns.");
        using var reader = new StreamReader(path);
        string? headerLine = reader.ReadLine();
        if (headerLine == null || headerLine.Trim().Length == 0)
            throw new DataFormatException($"'{path}' is empty. A CSV needs a header row of column names and at least one data row.");
        string[] header = split_line(headerLine, path, 1).Select(h => h.Trim()).ToArray();
        var missing = feature_names.Where(n => !header.Contains(n)).ToList();
        if (missing.Count > 0)
            throw new DataFormatException($"'{path}' lacks {missing.Count} of the model's feature columns: {string.Join(", ", missing.Take(10))}{(missing.Count > 10 ? ", …" : "")}. Use data with the columns the model was trained on.");
        int[] columns = feature_names.Select(n => Array.IndexOf(header, n)).ToArray();
        var values = new List<double>();
        int rows = 0, lineNumber = 1;
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            string[] cells = split_line(line, path, lineNumber);
            if (cells.Length != header.Length)
                throw new DataFormatException($"'{path}' line {lineNumber}: {cells.Length} fields, but the header has {header.Length}. Every row needs one value per column.");
            foreach (int c in columns) values.Add(parse_number(cells[c], path, lineNumber, header[c]));
            rows++;
        }
        if (rows == 0)
            throw new DataFormatException($"'{path}' has a header but no data rows. Add at least one row of values.");
        return (values.ToArray(), rows);
    }

    /// <summary>
    /// Maps label strings to class indices: classes sorted numerically when every label parses as a number,
    /// ordinally otherwise.
    /// </summary>
    public static (string[] Classes, int[] Labels) encode_labels(IReadOnlyList<string> raw)
    {
        var distinct = raw.Distinct(StringComparer.Ordinal).ToList();
        bool numeric = distinct.All(s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        var classes = numeric
            ? distinct.OrderBy(s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture)).ThenBy(s => s, StringComparer.Ordinal).ToArray()
            : distinct.OrderBy(s => s, StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < classes.Length; k++) index[classes[k]] = k;
        return (classes, raw.Select(s => index[s]).ToArray());
    }

    private static double parse_number(string cell, string source, int lineNumber, string column)
    {
        string text = cell.Trim();
        if (text.Length == 0)
            throw new DataFormatException($"'{source}' line {lineNumber}, column '{column}': missing value. Fill or drop the row; features must be numbers.");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            throw new DataFormatException($"'{source}' line {lineNumber}, column '{column}': '{text}' is not a number. Features must be numeric (use '.' as the decimal point); encode categories as numbers first.");
        if (!double.IsFinite(value))
            throw new DataFormatException($"'{source}' line {lineNumber}, column '{column}': {text} is not a finite number. Remove or impute NaN and infinite values.");
        return value;
    }

    /// <summary>Splits one CSV line, honouring double-quoted fields (<c>""</c> inside quotes is a quote).</summary>
    internal static string[] split_line(string line, string source, int lineNumber)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else cell.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(ch);
        }
        if (quoted)
            throw new DataFormatException($"'{source}' line {lineNumber}: a quoted field is not closed. Close the quote; fields may not span lines.");
        cells.Add(cell.ToString().TrimEnd('\r'));
        return cells.ToArray();
    }
}
