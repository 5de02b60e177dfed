namespace TorchLogistic.Data;

/// <summary>
/// A CSV file read as a table of raw cells, before any encoding: a header of column names, then one row per line
/// (blank lines skipped), one field per column. A cell is missing when it is empty, <c>NA</c>, <c>NaN</c> or
/// <c>nan</c> (after trimming). Numbers are held as doubles; a column with a cell that is not a number also keeps
/// its texts. <see cref="TabularEncoder"/> turns the table into features; <see cref="TabularCsv"/> loads labelled data.
/// </summary>
public sealed class TabularTable
{
    private static readonly string[] MissingTokenList = { "", "NA", "NaN", "nan" };
    private static readonly HashSet<string> MissingSet = new(MissingTokenList, StringComparer.Ordinal);

    private readonly TabularColumn[] _columns;
    private readonly int[] _lineNumbers;

    private TabularTable(string source, TabularColumn[] columns, int[] lineNumbers)
    {
        Source = source;
        _columns = columns;
        _lineNumbers = lineNumbers;
        ColumnNames = columns.Select(c => c.Name).ToArray();
    }

    /// <summary>What the table is (its path), in messages.</summary>
    public string Source { get; }

    /// <summary>The header's column names, in file order.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>Number of data rows.</summary>
    public int RowCount => _lineNumbers.Length;

    /// <summary>Whether a trimmed cell counts as missing: empty, <c>NA</c>, <c>NaN</c> or <c>nan</c>.</summary>
    public static bool IsMissingToken(string trimmed) => MissingSet.Contains(trimmed);

    /// <summary>The cells read as missing (after trimming): empty, NA, NaN, nan — the one list the reader and the ONNX export share.</summary>
    public static IReadOnlyList<string> MissingTokens => MissingTokenList;

    /// <summary>Reads the CSV file <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">A missing, empty, binary or ragged file, or an infinite number.</exception>
    public static TabularTable Load(string path)
    {
        using var reader = Open(path);
        return CsvFastReader.TryReadTable(path) ?? Read(reader, path);
    }

    /// <summary>Opens <paramref name="path"/> as CSV text, or says what is wrong with it (missing, a folder, compressed, binary).</summary>
    internal static StreamReader Open(string path) =>
        CsvText.Open(path, $"Data file '{CsvText.Cut(path)}' does not exist. Pass a CSV path or a built-in name ({string.Join(", ", BuiltinDatasets.Names)}).");

    /// <summary>A table of numeric columns (NaN: missing) from row-major <paramref name="values"/> (<paramref name="rows"/> × header), rows at <paramref name="lineNumbers"/>.</summary>
    internal static TabularTable FromNumbers(string source, string[] header, double[] values, int rows, int[] lineNumbers)
    {
        int width = header.Length;
        var columns = new TabularColumn[width];
        MappedText.ForEach(width, c =>
        {
            var numbers = new double[rows];
            for (int i = 0; i < rows; i++) numbers[i] = values[(long)i * width + c];
            columns[c] = new TabularColumn(header[c], numbers);
        });
        return new TabularTable(source, columns, lineNumbers);
    }

    /// <summary>Reads CSV text from <paramref name="reader"/>; <paramref name="source"/> names it in messages.</summary>
    public static TabularTable Read(TextReader reader, string source)
    {
        int lineNumber = 1;
        string? line = CsvText.ReadLine(reader, source, lineNumber);
        while (line != null && line.Trim().Length == 0)
            line = CsvText.ReadLine(reader, source, ++lineNumber);
        if (line == null)
            throw new DataFormatException($"'{source}' is empty. A CSV needs a header row of column names and at least one data row.");
        string[] header = CsvDataset.SplitLine(line, source, lineNumber).Select(h => h.Trim()).ToArray();
        CsvText.CheckHeader(header, source);
        var columns = header.Select(h => new TabularColumn(h)).ToArray();
        var lines = new List<int>();
        while ((line = CsvText.ReadLine(reader, source, lineNumber + 1)) != null)
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            string[] cells = CsvDataset.SplitLine(line, source, lineNumber);
            if (cells.Length != header.Length)
                throw new DataFormatException($"'{source}' line {lineNumber}: {cells.Length} fields, but the header has {header.Length}. Every row needs one value per column.");
            for (int c = 0; c < cells.Length; c++)
            {
                string cell = cells[c].Trim();
                if (!columns[c].Add(cell))
                    throw new DataFormatException($"'{source}' line {lineNumber}, column '{CsvText.Cut(header[c])}': {CsvText.Cut(cell)} is not a finite number. Remove infinite values (NaN, NA and empty cells are missing values).");
            }
            lines.Add(lineNumber);
        }
        if (lines.Count == 0)
            throw new DataFormatException($"'{source}' has a header but no data rows. Add at least one row of values.");
        return new TabularTable(source, columns, lines.ToArray());
    }

    /// <summary>The line number (1-based) of data row <paramref name="row"/>.</summary>
    public int LineOf(int row) => _lineNumbers[row];

    /// <summary>The index of the column named <paramref name="name"/>, or −1.</summary>
    public int IndexOf(string name) => Array.IndexOf((string[])ColumnNames, name);

    internal TabularColumn Column(int index) => _columns[index];
}
