using System.Globalization;
using System.Text;

namespace TorchLogistic.Data;

/// <summary>
/// What every CSV reader checks before and while parsing: the path names a text file (not a folder, a compressed
/// or binary file), lines are at most <see cref="MaxLineLength"/> characters (so one endless line cannot fill
/// memory), the header names each column once and is comma-separated, and quoted values in messages are cut.
/// </summary>
internal static class CsvText
{
    /// <summary>Longest line read (characters); a longer one is refused before it is held whole.</summary>
    public const int MaxLineLength = 1 << 20;

    /// <summary>Longest value quoted in a message.</summary>
    public const int MaxQuoted = 40;

    /// <summary>Opens <paramref name="path"/> as CSV text, or explains what it is instead; <paramref name="missing"/> is the message for a missing file.</summary>
    public static StreamReader Open(string path, string missing)
    {
        if (Directory.Exists(path))
            throw new DataFormatException($"'{Cut(path)}' is a folder, not a file. Pass the CSV file itself.");
        if (!File.Exists(path)) throw new DataFormatException(missing);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            Span<byte> head = stackalloc byte[512];
            int got = 0, n;
            while (got < head.Length && (n = stream.Read(head[got..])) > 0) got += n;
            head = head[..got];
            if (got >= 2 && head[0] == 0x1F && head[1] == 0x8B)
                throw new DataFormatException($"'{Cut(path)}' is gzip-compressed, not CSV text (whatever its name says). Decompress it first: gunzip -c FILE > FILE.csv.");
            if (got >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4)
                throw new DataFormatException($"'{Cut(path)}' is a zip archive, not CSV text. Extract the CSV file first.");
            if (head.IndexOf((byte)0) >= 0)
                throw new DataFormatException($"'{Cut(path)}' is binary (it holds NUL bytes), not CSV text. Pass a comma-separated text file.");
            if (stream.CanSeek) stream.Position = 0;
            else throw new DataFormatException($"'{Cut(path)}' is not a regular file (a device or pipe). Pass a CSV file.");
            return new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The next line, without its line break, or null at the end; a line over <see cref="MaxLineLength"/> characters is refused.</summary>
    public static string? ReadLine(TextReader reader, string source, int lineNumber)
    {
        var line = new StringBuilder();
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (c == '\n') return line.ToString();
            if (c == '\r')
            {
                if (reader.Peek() == '\n') reader.Read();
                return line.ToString();
            }
            if (line.Length == MaxLineLength)
                throw new DataFormatException(string.Create(CultureInfo.InvariantCulture,
                    $"'{Cut(source)}' line {lineNumber} is longer than {MaxLineLength:N0} characters. A CSV row holds one short value per column; check that this is the right file."));
            line.Append((char)c);
        }
        return line.Length > 0 ? line.ToString() : null;
    }

    /// <summary>Checks a header's column names: each once, and not a single column that is really another separator's row.</summary>
    public static void CheckHeader(string[] header, string source)
    {
        if (header.Length == 1)
        {
            foreach (var (separator, name) in new[] { (';', "semicolon"), ('\t', "tab"), ('|', "pipe") })
                if (header[0].Contains(separator))
                    throw new DataFormatException($"'{Cut(source)}' has a single column '{Cut(header[0])}': it looks {name}-separated. TorchLogistic reads comma-separated files; convert the separators to commas.");
        }
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < header.Length; c++)
        {
            if (seen.TryGetValue(header[c], out int first))
                throw new DataFormatException($"'{Cut(source)}' has two columns named '{Cut(header[c])}' (columns {first + 1} and {c + 1}). Rename one: columns are found by name.");
            seen[header[c]] = c;
        }
    }

    /// <summary>
    /// The class name of a label: a label that reads as a number is that number in its shortest form, so 1, 1.0 and
    /// 1e0 are one class named "1"; any other label is its text.
    /// </summary>
    public static string CanonicalLabel(string label) =>
        double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? (v == 0 ? 0.0 : v).ToString("R", CultureInfo.InvariantCulture)
            : label;

    /// <summary><paramref name="value"/> cut to <see cref="MaxQuoted"/> characters for a message.</summary>
    public static string Cut(string value) => value.Length <= MaxQuoted ? value : value[..(MaxQuoted - 1)] + "…";
}
