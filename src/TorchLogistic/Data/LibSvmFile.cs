using System.Globalization;
using System.IO.Compression;
using System.Text;
using TorchLogistic.Sparse;

namespace TorchLogistic.Data;

/// <summary>
/// Reads and writes the LIBSVM/svmlight text format with scikit-learn's <c>load_svmlight_file</c> semantics
/// (<c>zero_based=False</c>): one row per line, <c>label index:value index:value …</c>, indices 1-based and strictly
/// increasing within a line, <c>#</c> starting a comment, a <c>qid:…</c> token ignored, blank lines skipped,
/// gzip when the name ends in <c>.gz</c>. Rows become a <see cref="CsrMatrix"/> (memory proportional to the
/// non-zeros); the number of features is the largest index, or the one given. Labels are numbers; classes are
/// their distinct values sorted numerically.
/// </summary>
public static class LibSvmFile
{
    /// <summary>File extensions that mean LIBSVM (before an optional <c>.gz</c>).</summary>
    public static IReadOnlyList<string> Extensions { get; } = new[] { ".svm", ".libsvm", ".svmlight" };

    /// <summary>Whether <paramref name="path"/> names a LIBSVM file by its extension (<see cref="Extensions"/>, optionally followed by <c>.gz</c>).</summary>
    public static bool HasExtension(string path)
    {
        string name = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        return Extensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Reads the file at <paramref name="path"/> (gunzipped when it ends in <c>.gz</c>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="featureCount">The number of features the rows must have (a model's), or null for the largest index in the file.</param>
    /// <param name="classes">Known class names (a model's): a label outside them is an error; null to take the file's.</param>
    /// <exception cref="DataFormatException">A line is not valid LIBSVM, or an index exceeds <paramref name="featureCount"/>.</exception>
    public static SparseDataset Load(string path, int? featureCount = null, string[]? classes = null)
    {
        if (!File.Exists(path)) throw new DataFormatException($"LIBSVM file '{path}' does not exist.");
        if (LibSvmFastReader.TryRead(path, featureCount, classes) is { } fast) return fast;
        using var reader = OpenText(path);
        try
        {
            return Read(reader, path, featureCount, classes);
        }
        catch (InvalidDataException e)
        {
            throw NotGzip(path, e);
        }
    }

    /// <summary>Reads LIBSVM rows from <paramref name="reader"/>.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="source">Its name, for messages.</param>
    /// <param name="featureCount">The number of features the rows must have, or null for the largest index.</param>
    /// <param name="classes">Known class names, or null.</param>
    public static SparseDataset Read(TextReader reader, string source, int? featureCount = null, string[]? classes = null)
    {
        var pointers = new List<int> { 0 };
        var columns = new List<int>();
        var values = new List<double>();
        var labels = new List<string>();
        int maxIndex = 0;
        int lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            lineNumber++;
            if (!ParseLine(line, source, lineNumber, featureCount, columns, values, out double label, out int previous)) continue;
            labels.Add(LabelText(label));
            maxIndex = Math.Max(maxIndex, previous);
            if (values.Count == int.MaxValue) throw new DataFormatException($"'{source}' has more than {int.MaxValue} non-zeros, more than one sparse matrix holds.");
            pointers.Add(values.Count);
        }
        if (labels.Count == 0) throw new DataFormatException($"'{source}' has no LIBSVM rows (only blank or comment lines). Give a file with lines 'label index:value …'.");
        return Assemble(source, labels, pointers.ToArray(), columns.ToArray(), values.ToArray(), maxIndex, featureCount, classes);
    }

    /// <summary>The data set of parsed rows: labels become class indices (classes discovered and sorted, or <paramref name="classes"/>), the arrays a matrix.</summary>
    internal static SparseDataset Assemble(string source, IReadOnlyList<string> labels, int[] pointers, int[] columns, double[] values, int maxIndex,
        int? featureCount, string[]? classes)
    {
        var labelIndex = new LabelIndex(classes);
        var y = new int[labels.Count];
        for (int i = 0; i < y.Length; i++)
        {
            int row = i;
            y[i] = labelIndex.Of(labels[i], () => $"'{source}' row {row + 1}");
        }
        // Classes seen for the first time get indices in order of appearance; Finish maps those to sorted order.
        if (labelIndex.Finish() is int[] sorted)
        {
            for (int i = 0; i < y.Length; i++) y[i] = sorted[y[i]];
        }
        var matrix = new CsrMatrix(labels.Count, featureCount ?? maxIndex, pointers, columns, values);
        return new SparseDataset(source, matrix, y, labelIndex.Known!);
    }

    /// <summary>
    /// Writes rows as LIBSVM text (as scikit-learn's <c>dump_svmlight_file</c> with <c>zero_based=False</c>): the label
    /// of row i is <paramref name="labels"/>[i], then its stored entries as <c>index:value</c>, 1-based, values
    /// in round-trip format.
    /// </summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="features">X.</param>
    /// <param name="labels">One label text per row.</param>
    public static void Write(TextWriter writer, CsrMatrix features, IReadOnlyList<string> labels)
    {
        if (labels.Count != features.RowCount) throw new ArgumentException($"{labels.Count} labels for {features.RowCount} rows.");
        var line = new StringBuilder();
        for (int i = 0; i < features.RowCount; i++)
        {
            line.Clear().Append(labels[i]);
            for (int p = features.RowPointers[i]; p < features.RowPointers[i + 1]; p++)
                line.Append(' ').Append(features.ColumnIndices[p] + 1).Append(':').Append(features.Values[p].ToString("R", CultureInfo.InvariantCulture));
            writer.Write(line.Append('\n'));
        }
    }

    /// <summary>
    /// Parses one line: false for a blank or comment-only line; otherwise its label and its pairs, appended to
    /// <paramref name="columns"/> (0-based) and <paramref name="values"/>, with the last (largest) 1-based index in
    /// <paramref name="lastIndex"/> (0 for a row without entries). The one place the format's rules are checked, for
    /// <see cref="Read"/> and <see cref="LibSvmBatchStream"/> alike.
    /// </summary>
    /// <exception cref="DataFormatException">The line is not valid LIBSVM, or an index exceeds <paramref name="featureCount"/>.</exception>
    internal static bool ParseLine(string line, string source, int lineNumber, int? featureCount, List<int> columns, List<double> values, out double label, out int lastIndex)
    {
        var text = line.AsSpan();
        int hash = text.IndexOf('#');
        if (hash >= 0) text = text[..hash];
        var tokens = new Tokens(text);
        lastIndex = 0;
        if (!tokens.Next(out var labelToken))
        {
            label = 0;
            return false;
        }
        if (!TryNumber(labelToken, out label))
            throw Error(source, lineNumber, $"the label '{Cut(labelToken)}' is not a number. A LIBSVM line is 'label index:value …' with a numeric label");
        int previous = 0;
        while (tokens.Next(out var token))
        {
            int colon = token.IndexOf(':');
            if (colon > 0 && token[..colon].SequenceEqual("qid")) continue;
            if (colon <= 0 || colon == token.Length - 1)
                throw Error(source, lineNumber, $"'{Cut(token)}' is not an index:value pair. A LIBSVM line is 'label index:value …'");
            if (!int.TryParse(token[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                throw Error(source, lineNumber, $"'{Cut(token)}': the index '{Cut(token[..colon])}' is not a positive whole number. Indices are 1-based integers");
            if (index == 0)
                throw Error(source, lineNumber, "feature index 0; LIBSVM indices start at 1. Add 1 to every index of a zero-based file");
            if (index <= previous)
                throw Error(source, lineNumber, $"feature index {index} comes after {previous}; indices must increase within a line (scikit-learn refuses them too). Sort each line's pairs by index and merge repeats");
            if (featureCount is int d && index > d)
                throw Error(source, lineNumber, $"feature index {index} is beyond the model's {d} features. Score data with the features the model was trained on");
            if (!TryNumber(token[(colon + 1)..], out double value))
                throw Error(source, lineNumber, $"'{Cut(token)}': the value '{Cut(token[(colon + 1)..])}' is not a number");
            if (!double.IsFinite(value))
                throw Error(source, lineNumber, $"'{Cut(token)}' is not finite. Remove or impute NaN and infinite values");
            previous = index;
            columns.Add(index - 1);
            values.Add(value);
        }
        lastIndex = previous;
        return true;
    }

    /// <summary>The class name of a numeric label: its round-trip text.</summary>
    internal static string LabelText(double label) => label.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A reader of the file's text, gunzipped when the name ends in <c>.gz</c>.</summary>
    internal static StreamReader OpenText(string path)
    {
        Stream stream = File.OpenRead(path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) stream = new GZipStream(stream, CompressionMode.Decompress);
        return new StreamReader(stream, Encoding.UTF8);
    }

    /// <summary>The message of a file ending in .gz that is not gzip.</summary>
    internal static DataFormatException NotGzip(string path, InvalidDataException e) =>
        new($"'{path}' is not a valid gzip file ({e.Message}). Decompress it or drop the .gz ending.", e);

    private static bool TryNumber(ReadOnlySpan<char> text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static DataFormatException Error(string source, int lineNumber, string problem) => new($"'{source}' line {lineNumber}: {problem}.");

    private static string Cut(ReadOnlySpan<char> text) => CsvText.Cut(text.ToString());

    /// <summary>Whitespace-separated tokens of a line, without allocating.</summary>
    private ref struct Tokens
    {
        private ReadOnlySpan<char> _rest;

        public Tokens(ReadOnlySpan<char> text) => _rest = text;

        public bool Next(out ReadOnlySpan<char> token)
        {
            int start = 0;
            while (start < _rest.Length && char.IsWhiteSpace(_rest[start])) start++;
            int end = start;
            while (end < _rest.Length && !char.IsWhiteSpace(_rest[end])) end++;
            token = _rest[start..end];
            _rest = _rest[end..];
            return end > start;
        }
    }
}
