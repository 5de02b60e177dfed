using System.Buffers;
using System.Text;

namespace TorchLogistic.Data;

/// <summary>
/// The fast path of <see cref="CsvDataset.Load"/> and <see cref="TabularTable.Load"/>: the file memory-mapped
/// (<see cref="MappedText"/>), the header found and checked by the line-by-line code (<see cref="CsvRows"/>, so its
/// errors are the same), the rows cut into chunks at line breaks and parsed in parallel from the bytes — numbers by
/// <see cref="Utf8Number"/>, no strings but the labels — straight into the final row-major array. It accepts only
/// what it is sure the line-by-line reader reads the same way; on anything else — a quote, a ragged row, a cell that is
/// not a finite number, an empty label, a bad weight, a lone carriage return, a non-ASCII label — it gives up, and the
/// caller runs the line-by-line reader, which gives the precise message with its line number and column. So both paths
/// give bit-identical data sets or the same error.
/// </summary>
internal static class CsvFastReader
{
    private const int LabelRole = -1, WeightRole = -2;

    private static readonly SearchValues<byte> Space = SearchValues.Create(SpaceBytes);

    /// <summary>The whitespace <see cref="string.Trim()"/> removes in ASCII.</summary>
    private static ReadOnlySpan<byte> SpaceBytes => " \t\n\v\f\r"u8;

    /// <summary>The data set of <paramref name="path"/> as <see cref="CsvDataset.Load"/> reads it, or null when the line-by-line reader must read it.</summary>
    public static Dataset? TryRead(string path, string? label, string? sampleWeight)
    {
        using var text = MappedText.TryOpen(path);
        if (text == null || FindHeader(text) is not { } found) return null;
        var rows = CsvRows.FromHeader(TextReader.Null, found.Header, found.LineNumber, path, label, sampleWeight);
        var roles = new int[rows.ColumnCount];
        for (int j = 0; j < rows.FeatureCount; j++) roles[rows.FeatureColumns[j]] = j;
        roles[rows.LabelColumn] = LabelRole;
        if (rows.WeightColumn >= 0) roles[rows.WeightColumn] = WeightRole;
        if (Parse(text, found, roles, rows.FeatureCount, missingAsNaN: false) is not { Rows: > 0 } parsed) return null;
        var (classes, labels) = CsvDataset.EncodeLabels(parsed.Labels!);
        return new Dataset(path, parsed.Values, parsed.Rows, rows.FeatureCount, labels, classes, rows.FeatureNames, parsed.Weights);
    }

    /// <summary>
    /// The table of <paramref name="path"/> as <see cref="TabularTable.Load"/> reads it when every cell is a finite number or
    /// missing (empty, NA, NaN, nan); null otherwise (a text cell: the line-by-line reader keeps the column's texts).
    /// </summary>
    public static TabularTable? TryReadTable(string path)
    {
        using var text = MappedText.TryOpen(path);
        if (text == null || FindHeader(text) is not { } found) return null;
        string[] header = CsvDataset.SplitLine(found.Header, path, found.LineNumber).Select(h => h.Trim()).ToArray();
        CsvText.CheckHeader(header, path);
        var roles = Enumerable.Range(0, header.Length).ToArray();
        if (Parse(text, found, roles, header.Length, missingAsNaN: true) is not { Rows: > 0 } parsed) return null;
        return TabularTable.FromNumbers(path, header, parsed.Values, parsed.Rows, parsed.LineNumbers);
    }

    /// <summary>The header line (decoded), its line number and where the rows start; null when a line before it is not plain.</summary>
    private static (string Header, int LineNumber, long DataStart)? FindHeader(MappedText text)
    {
        long at = text.Start;
        int lineNumber = 0;
        while (at < text.Length)
        {
            int window = (int)Math.Min(text.Length - at, CsvText.MaxLineLength + 2L);
            var rest = text.Span(at, window);
            int newline = rest.IndexOf((byte)'\n');
            if (newline < 0 && at + window < text.Length) return null;
            var line = newline < 0 ? rest : rest[..newline];
            at += newline < 0 ? window : newline + 1;
            if (!Plain(ref line)) return null;
            lineNumber++;
            string decoded = Encoding.UTF8.GetString(line);
            if (decoded.Trim().Length != 0) return (decoded, lineNumber, at);
        }
        return null;
    }

    /// <summary>Drops a line's final carriage return; false when it has another one (a line break to the line-by-line reader) or is too long.</summary>
    private static bool Plain(ref ReadOnlySpan<byte> line)
    {
        if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
        return line.Length <= CsvText.MaxLineLength && line.IndexOf((byte)'\r') < 0;
    }

    /// <summary>Parsed rows: row-major numbers (width: the number of non-negative roles), label texts, weights, line numbers.</summary>
    private sealed record ParsedRows(int Rows, double[] Values, string[]? Labels, double[]? Weights, int[] LineNumbers);

    private static ParsedRows? Parse(MappedText text, (string Header, int LineNumber, long DataStart) found, int[] roles, int width, bool missingAsNaN)
    {
        if (text.Chunks(found.DataStart) is not { Length: > 0 } chunks) return null;
        int n = chunks.Length;
        var lines = new long[n];
        MappedText.ForEach(n, i =>
        {
            var span = text.Span(chunks[i].Start, chunks[i].Length);
            lines[i] = span.Count((byte)'\n') + (span[^1] == (byte)'\n' ? 0 : 1);
        });
        long totalLines = lines.Sum();
        if (totalLines * Math.Max(1, width) > Array.MaxLength || totalLines >= int.MaxValue) return null;
        var rowStart = new int[n + 1];
        for (int i = 0; i < n; i++) rowStart[i + 1] = rowStart[i] + (int)lines[i];
        var values = new double[totalLines * width];
        bool hasLabel = roles.Contains(LabelRole), hasWeight = roles.Contains(WeightRole);
        var labels = hasLabel ? new string[totalLines] : null;
        var weights = hasWeight ? new double[totalLines] : null;
        var lineNumbers = new int[totalLines];
        var counts = new int[n];
        MappedText.ForEach(n, i =>
        {
            var sink = new Sink(values, labels, weights, lineNumbers, width, rowStart[i]);
            counts[i] = ParseChunk(text.Span(chunks[i].Start, chunks[i].Length), roles, missingAsNaN, sink, found.LineNumber + 1 + rowStart[i]);
        });
        if (counts.Any(c => c < 0)) return null;

        // Blank lines leave rows unused at the end of their chunk: close the gaps, in order.
        int rows = 0;
        for (int i = 0; i < n; i++)
        {
            if (rowStart[i] != rows)
            {
                Array.Copy(values, (long)rowStart[i] * width, values, (long)rows * width, (long)counts[i] * width);
                if (labels != null) Array.Copy(labels, rowStart[i], labels, rows, counts[i]);
                if (weights != null) Array.Copy(weights, rowStart[i], weights, rows, counts[i]);
                Array.Copy(lineNumbers, rowStart[i], lineNumbers, rows, counts[i]);
            }
            rows += counts[i];
        }
        if (rows != totalLines)
        {
            Array.Resize(ref values, rows * width);
            if (labels != null) Array.Resize(ref labels, rows);
            if (weights != null) Array.Resize(ref weights, rows);
            Array.Resize(ref lineNumbers, rows);
        }
        return new ParsedRows(rows, values, labels, weights, lineNumbers);
    }

    /// <summary>Where a chunk writes its rows: from row <see cref="First"/> of the shared arrays.</summary>
    private sealed record Sink(double[] Values, string[]? Labels, double[]? Weights, int[] LineNumbers, int Width, int First);

    /// <summary>Parses one chunk; the number of rows, or −1 on anything the fast path does not accept.</summary>
    private static int ParseChunk(ReadOnlySpan<byte> chunk, int[] roles, bool missingAsNaN, Sink sink, int firstLine)
    {
        var labelCache = new List<(byte[] Raw, string Label)>();
        int rows = 0, lineNumber = firstLine - 1;
        while (chunk.Length > 0)
        {
            int newline = chunk.IndexOf((byte)'\n');
            var line = newline < 0 ? chunk : chunk[..newline];
            chunk = newline < 0 ? default : chunk[(newline + 1)..];
            lineNumber++;
            if (!Plain(ref line) || line.IndexOf((byte)'"') >= 0) return -1;
            if (line.IndexOfAnyExcept(Space) < 0) continue;
            int row = sink.First + rows;
            long offset = (long)row * sink.Width;
            for (int c = 0; c < roles.Length; c++)
            {
                int comma = line.IndexOf((byte)',');
                if ((comma < 0) != (c == roles.Length - 1)) return -1;
                var cell = comma < 0 ? line : line[..comma];
                line = comma < 0 ? default : line[(comma + 1)..];
                int role = roles[c];
                if (role >= 0)
                {
                    cell = cell.Trim(SpaceBytes);
                    double value;
                    if (missingAsNaN && IsMissing(cell)) value = double.NaN;
                    else if (cell.Length == 0 || !Utf8Number.TryParse(cell, out value) || !double.IsFinite(value)) return -1;
                    sink.Values[offset + role] = value;
                }
                else if (role == LabelRole)
                {
                    if (Label(cell, labelCache) is not { } label) return -1;
                    sink.Labels![row] = label;
                }
                else
                {
                    cell = cell.Trim(SpaceBytes);
                    if (cell.Length == 0 || !Utf8Number.TryParse(cell, out double weight) || !double.IsFinite(weight) || weight < 0 || weight > CsvRows.MaxSampleWeight) return -1;
                    sink.Weights![row] = weight;
                }
            }
            sink.LineNumbers[row] = lineNumber;
            rows++;
        }
        return rows;
    }

    /// <summary>Whether a trimmed cell is one of <see cref="TabularTable.MissingTokens"/>: empty, NA, NaN, nan.</summary>
    private static bool IsMissing(ReadOnlySpan<byte> cell) =>
        cell.Length == 0 || cell.SequenceEqual("NA"u8) || cell.SequenceEqual("NaN"u8) || cell.SequenceEqual("nan"u8);

    /// <summary>The class name of an ASCII label cell (<see cref="CsvText.CanonicalLabel"/> of its trimmed text), or null when it is empty or not ASCII.</summary>
    private static string? Label(ReadOnlySpan<byte> cell, List<(byte[] Raw, string Label)> cache)
    {
        foreach (var (raw, known) in cache)
            if (cell.SequenceEqual(raw)) return known;
        if (cell.IndexOfAnyExceptInRange((byte)0, (byte)0x7F) >= 0) return null;
        string label = CsvText.CanonicalLabel(Encoding.ASCII.GetString(cell).Trim());
        if (label.Length == 0) return null;
        if (cache.Count < 64) cache.Add((cell.ToArray(), label));
        return label;
    }
}
