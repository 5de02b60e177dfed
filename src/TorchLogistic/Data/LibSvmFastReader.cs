using System.Runtime.CompilerServices;

namespace TorchLogistic.Data;

/// <summary>
/// The fast path of <see cref="LibSvmFile.Load"/>: the file memory-mapped (<see cref="MappedText"/>), cut into chunks at
/// line breaks, the chunks parsed in parallel from the bytes — numbers by <see cref="Utf8Number"/>, no strings — straight
/// into the final CSR arrays (each chunk writes at its offset: the count of ':' before it bounds its non-zeros). It
/// accepts only what it is sure the line-by-line reader (<see cref="LibSvmFile.ParseLine"/>) reads the same way; on anything
/// else — a bad line, a lone carriage return, a non-ASCII byte outside a comment, a non-finite label — it gives up and
/// the caller runs the line-by-line reader, which gives the precise message with its line number. So both paths give
/// bit-identical data sets or the same error.
/// </summary>
internal static class LibSvmFastReader
{
    /// <summary>The data set of <paramref name="path"/>, or null when the line-by-line reader must read it.</summary>
    public static SparseDataset? TryRead(string path, int? featureCount, string[]? classes)
    {
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) return null;
        using var text = MappedText.TryOpen(path);
        if (text?.Chunks(text.Start) is not { } chunks) return null;
        int n = chunks.Length;
        var colons = new long[n];
        var lines = new long[n];
        MappedText.ForEach(n, i =>
        {
            var span = text.Span(chunks[i].Start, chunks[i].Length);
            colons[i] = span.Count((byte)':');
            lines[i] = span.Count((byte)'\n') + (span[^1] == (byte)'\n' ? 0 : 1);
        });
        long totalColons = colons.Sum(), totalLines = lines.Sum();
        if (totalColons >= int.MaxValue || totalLines >= int.MaxValue) return null;
        var entryStart = new long[n + 1];
        for (int i = 0; i < n; i++) entryStart[i + 1] = entryStart[i] + colons[i];
        var columns = new int[totalColons];
        var values = new double[totalColons];
        var parts = new Part?[n];
        MappedText.ForEach(n, i =>
        {
            int start = (int)entryStart[i];
            parts[i] = Parse(text.Span(chunks[i].Start, chunks[i].Length), featureCount, columns.AsSpan(start, (int)colons[i]), values.AsSpan(start, (int)colons[i]), (int)lines[i]);
        });
        if (parts.Any(p => p == null)) return null;

        int rows = parts.Sum(p => p!.Rows);
        if (rows == 0) return null;
        var pointers = new int[rows + 1];
        var labels = new string[rows];
        var texts = new Dictionary<long, string>();
        int row = 0, nonZeros = 0, maxIndex = 0;
        for (int i = 0; i < n; i++)
        {
            var part = parts[i]!;
            int start = (int)entryStart[i];
            // Comments and query ids hold ':' too: close the gap they left before this chunk's entries.
            if (start != nonZeros)
            {
                Array.Copy(columns, start, columns, nonZeros, part.NonZeros);
                Array.Copy(values, start, values, nonZeros, part.NonZeros);
            }
            for (int r = 0; r < part.Rows; r++)
            {
                pointers[row + 1] = nonZeros + part.RowEnds[r];
                long bits = BitConverter.DoubleToInt64Bits(part.Labels[r]);
                if (!texts.TryGetValue(bits, out string? label)) texts[bits] = label = LibSvmFile.LabelText(part.Labels[r]);
                labels[row++] = label;
            }
            nonZeros += part.NonZeros;
            maxIndex = Math.Max(maxIndex, part.MaxIndex);
        }
        if (nonZeros != columns.Length)
        {
            Array.Resize(ref columns, nonZeros);
            Array.Resize(ref values, nonZeros);
        }
        return LibSvmFile.Assemble(path, labels, pointers, columns, values, maxIndex, featureCount, classes);
    }

    /// <summary>One chunk's rows: labels, each row's end within the chunk's entries, the entry count and the largest index.</summary>
    private sealed record Part(int Rows, double[] Labels, int[] RowEnds, int NonZeros, int MaxIndex);

    /// <summary>Parses one chunk into <paramref name="columns"/> and <paramref name="values"/>; null on anything the fast path does not accept.</summary>
    /// <remarks>
    /// An entry is read in one sweep — the index's digits, ':', then the value by
    /// <see cref="Utf8Number.ParsePlainDecimalPrefix"/> up to the byte that ends it — and accepted when that byte is
    /// whitespace or the line's end: exactly the token the tokenizer would have cut, so the same numbers. Anything
    /// else (qid, a '+', a value .NET's parser must decide) goes through the token path below, as before. The checks
    /// for '\r', '#' and non-ASCII bytes run once per chunk and per line only where the chunk holds one.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Part? Parse(ReadOnlySpan<byte> chunk, int? featureCount, Span<int> columns, Span<double> values, int lineCount)
    {
        var labels = new double[lineCount];
        var rowEnds = new int[lineCount];
        int rows = 0, nonZeros = 0, maxIndex = 0;
        bool plain = chunk.IndexOfAny((byte)'\r', (byte)'#') < 0 && chunk.IndexOfAnyExceptInRange((byte)0, (byte)0x7F) < 0;
        int limit = featureCount ?? int.MaxValue;
        while (chunk.Length > 0)
        {
            int newline = chunk.IndexOf((byte)'\n');
            var line = newline < 0 ? chunk : chunk[..newline];
            chunk = newline < 0 ? default : chunk[(newline + 1)..];
            if (!plain)
            {
                int cr = line.IndexOf((byte)'\r');
                if (cr >= 0 && cr != line.Length - 1) return null;
                int hash = line.IndexOf((byte)'#');
                if (hash >= 0) line = line[..hash];
                if (line.IndexOfAnyExceptInRange((byte)0, (byte)0x7F) >= 0) return null;
            }
            var tokens = new AsciiTokens(line);
            if (!tokens.Next(out var labelToken)) continue;
            if (!Utf8Number.TryParse(labelToken, out double label) || !double.IsFinite(label)) return null;
            int previous = 0;
            int at = line.Length - tokens.Remaining;
            while (true)
            {
                while (at < line.Length && IsSpace(line[at])) at++;
                if (at == line.Length) break;
                int start = at;
                long index = 0;
                while (at < line.Length && (uint)(line[at] - '0') <= 9 && index <= int.MaxValue)
                {
                    index = index * 10 + (line[at] - '0');
                    at++;
                }
                if (at > start && at < line.Length && line[at] == (byte)':' && index <= int.MaxValue)
                {
                    int used = Utf8Number.ParsePlainDecimalPrefix(line[(at + 1)..], out double value);
                    int end = at + 1 + used;
                    if (used > 0 && (end == line.Length || IsSpace(line[end])))
                    {
                        if (index <= previous || index > limit || !double.IsFinite(value)) return null;
                        previous = (int)index;
                        columns[nonZeros] = previous - 1;
                        values[nonZeros++] = value;
                        at = end;
                        continue;
                    }
                }
                // The token path: the whole whitespace-delimited token, as the line-by-line reader cuts it.
                at = start;
                while (at < line.Length && !IsSpace(line[at])) at++;
                var token = line[start..at];
                int colon = token.IndexOf((byte)':');
                if (colon == 3 && token[..3].SequenceEqual("qid"u8)) continue;
                if (colon <= 0 || colon == token.Length - 1) return null;
                index = 0;
                foreach (byte b in token[..colon])
                {
                    if ((uint)(b - '0') > 9) return null;
                    index = index * 10 + (b - '0');
                    if (index > int.MaxValue) return null;
                }
                if (index <= previous || index > limit) return null;
                if (!Utf8Number.TryParse(token[(colon + 1)..], out double slow) || !double.IsFinite(slow)) return null;
                previous = (int)index;
                columns[nonZeros] = previous - 1;
                values[nonZeros++] = slow;
            }
            maxIndex = Math.Max(maxIndex, previous);
            labels[rows] = label;
            rowEnds[rows++] = nonZeros;
        }
        return new Part(rows, labels, rowEnds, nonZeros, maxIndex);
    }

    /// <summary>The whitespace <see cref="char.IsWhiteSpace(char)"/> knows in ASCII: space, \t … \r.</summary>
    private static bool IsSpace(byte b) => b == (byte)' ' || (uint)(b - 9) <= 4;

    /// <summary>Tokens of an ASCII line separated by the whitespace <see cref="char.IsWhiteSpace(char)"/> knows in ASCII (space, \t … \r).</summary>
    private ref struct AsciiTokens
    {
        private ReadOnlySpan<byte> _rest;

        public AsciiTokens(ReadOnlySpan<byte> text) => _rest = text;

        /// <summary>Bytes after the last token returned.</summary>
        public readonly int Remaining => _rest.Length;

        public bool Next(out ReadOnlySpan<byte> token)
        {
            int start = 0;
            while (start < _rest.Length && IsSpace(_rest[start])) start++;
            int end = start;
            while (end < _rest.Length && !IsSpace(_rest[end])) end++;
            token = _rest[start..end];
            _rest = _rest[end..];
            return end > start;
        }
    }
}
