using System.Globalization;

namespace TorchLogistic.Data;

/// <summary>
/// Reads a labelled CSV file: a header row of column names, then one row per sample. Every column but the
/// label (and the optional sample-weight column) is a numeric feature. Labels may be strings or numbers; the
/// distinct labels become <see cref="Dataset.Classes"/> in sorted order (numerically when every label is a
/// number, ordinally otherwise), as scikit-learn's <c>LabelEncoder</c> orders them.
/// </summary>
public static class CsvDataset
{
    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="label">Name of the label column; null means the last column.</param>
    /// <param name="sampleWeight">Name of a column of per-row weights, or null for none.</param>
    /// <exception cref="DataFormatException">The file is missing, empty, ragged, non-numeric, or names no such column.</exception>
    public static Dataset Load(string path, string? label = null, string? sampleWeight = null)
    {
        using var reader = CsvText.Open(path, $"Data file '{CsvText.Cut(path)}' does not exist. Pass a CSV path or a built-in name ({string.Join(", ", BuiltinDatasets.Names)}).");
        return CsvFastReader.TryRead(path, label, sampleWeight) ?? Read(reader, path, label, sampleWeight);
    }

    /// <summary>Reads CSV text from <paramref name="reader"/>; <paramref name="source"/> names it in messages.</summary>
    public static Dataset Read(TextReader reader, string source, string? label = null, string? sampleWeight = null)
    {
        var rows = CsvRows.Open(reader, source, label, sampleWeight);
        var row = new double[rows.FeatureCount];
        var values = new List<double>();
        var rawLabels = new List<string>();
        var weights = sampleWeight == null ? null : new List<double>();
        while (rows.Read(row, out string labelText, out double weight))
        {
            values.AddRange(row);
            rawLabels.Add(labelText);
            weights?.Add(weight);
        }
        if (rawLabels.Count == 0)
            throw new DataFormatException($"'{source}' has a header but no data rows. Add at least one row of values.");

        var (classes, labels) = EncodeLabels(rawLabels);
        return new Dataset(source, values.ToArray(), rawLabels.Count, rows.FeatureCount, labels, classes, rows.FeatureNames, weights?.ToArray());
    }

    /// <summary>
    /// Reads the columns named <paramref name="featureNames"/>, in that order, from a CSV with a header
    /// (other columns, such as a label, are ignored): the input of prediction.
    /// </summary>
    /// <returns>Row-major values and the number of rows.</returns>
    public static (double[] Features, int Rows) LoadFeatures(string path, IReadOnlyList<string> featureNames)
    {
        using var reader = CsvText.Open(path, $"Data file '{CsvText.Cut(path)}' does not exist. Pass a CSV with the model's feature columns.");
        string? headerLine = CsvText.ReadLine(reader, path, 1);
        if (headerLine == null || headerLine.Trim().Length == 0)
            throw new DataFormatException($"'{path}' is empty. A CSV needs a header row of column names and at least one data row.");
        string[] header = SplitLine(headerLine, path, 1).Select(h => h.Trim()).ToArray();
        CsvText.CheckHeader(header, path);
        var missing = featureNames.Where(n => !header.Contains(n)).ToList();
        if (missing.Count > 0)
            throw new DataFormatException($"'{path}' lacks {missing.Count} of the model's feature columns: {string.Join(", ", missing.Take(10))}{(missing.Count > 10 ? ", …" : "")}. Use data with the columns the model was trained on.");
        int[] columns = featureNames.Select(n => Array.IndexOf(header, n)).ToArray();
        var values = new List<double>();
        int rows = 0, lineNumber = 1;
        string? line;
        while ((line = CsvText.ReadLine(reader, path, lineNumber + 1)) != null)
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            string[] cells = SplitLine(line, path, lineNumber);
            if (cells.Length != header.Length)
                throw new DataFormatException($"'{path}' line {lineNumber}: {cells.Length} fields, but the header has {header.Length}. Every row needs one value per column.");
            foreach (int c in columns) values.Add(ParseNumber(cells[c], path, lineNumber, header[c]));
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
    public static (string[] Classes, int[] Labels) EncodeLabels(IReadOnlyList<string> raw)
    {
        var classes = ClassOrder(raw.Distinct(StringComparer.Ordinal));
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < classes.Length; k++) index[classes[k]] = k;
        return (classes, raw.Select(s => index[s]).ToArray());
    }

    /// <summary>
    /// The distinct labels <paramref name="distinct"/> in class order: numerically when every label parses as a
    /// number, ordinally otherwise (scikit-learn's <c>LabelEncoder</c> order).
    /// </summary>
    public static string[] ClassOrder(IEnumerable<string> distinct)
    {
        var labels = distinct.ToList();
        bool numeric = labels.All(s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        return numeric
            ? labels.OrderBy(s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture)).ThenBy(s => s, StringComparer.Ordinal).ToArray()
            : labels.OrderBy(s => s, StringComparer.Ordinal).ToArray();
    }

    internal static double ParseNumber(string cell, string source, int lineNumber, string column)
    {
        string text = cell.Trim();
        if (text.Length == 0)
            throw new DataFormatException($"'{source}' line {lineNumber}, column '{CsvText.Cut(column)}': missing value. Fill or drop the row; features must be numbers.");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            throw new DataFormatException($"'{source}' line {lineNumber}, column '{CsvText.Cut(column)}': '{CsvText.Cut(text)}' is not a number. Features must be numeric (use '.' as the decimal point); encode categories as numbers first.");
        if (!double.IsFinite(value))
            throw new DataFormatException($"'{source}' line {lineNumber}, column '{CsvText.Cut(column)}': {CsvText.Cut(text)} is not a finite number. Remove or impute NaN and infinite values.");
        return value;
    }

    /// <summary>Splits one CSV line, honouring double-quoted fields (<c>""</c> inside quotes is a quote).</summary>
    internal static string[] SplitLine(string line, string source, int lineNumber)
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
