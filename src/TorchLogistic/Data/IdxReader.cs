using System.Buffers.Binary;
using System.IO.Compression;

namespace TorchLogistic.Data;

/// <summary>
/// An IDX file opened for reading front to back (see <see cref="IdxFile"/> for the format): the header is read and
/// checked on opening, then the elements can be read in pieces of any size — all at once
/// (<see cref="IdxFile.Read(Stream, string)"/>) or a mini-batch at a time (<see cref="IdxBatchStream"/>), without
/// holding the whole array. Raw or gzip (detected from the first two bytes). A bad magic number, unknown type,
/// short header or data, bytes after the data, or a corrupt gzip stream is a <see cref="DataFormatException"/>
/// naming the file.
/// </summary>
public sealed class IdxReader : IDisposable
{
    private readonly Stream _owned;
    private readonly bool _leaveOpen;
    private readonly Stream _content;
    private readonly string _outer;
    private readonly string _source;
    private long _consumed;

    private IdxReader(Stream owned, bool leaveOpen, Stream content, string outer, string source, IdxType type, int[] shape)
    {
        this._owned = owned;
        this._leaveOpen = leaveOpen;
        this._content = content;
        this._outer = outer;
        this._source = source;
        this.Type = type;
        this.Shape = shape;
        DataBytes = shape.Aggregate(1L, (a, b) => a * b) * IdxFile.ElementSize(type);
    }

    /// <summary>Element type.</summary>
    public IdxType Type { get; }

    /// <summary>Dimensions, outermost first.</summary>
    public int[] Shape { get; }

    /// <summary>Bytes of element data the header declares.</summary>
    public long DataBytes { get; }

    /// <summary>Opens the IDX file at <paramref name="path"/> and reads its header.</summary>
    /// <exception cref="DataFormatException">The file is missing or its header is invalid.</exception>
    public static IdxReader Open(string path)
    {
        if (!File.Exists(path))
            throw new DataFormatException($"IDX file '{path}' does not exist.");
        var file = File.OpenRead(path);
        try
        {
            return Open(file, path, leaveOpen: false);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Reads the header of the IDX content of <paramref name="stream"/>; <paramref name="source"/> names it in messages.</summary>
    /// <param name="stream">Positioned at the file's first byte.</param>
    /// <param name="source">Names the file in messages.</param>
    /// <param name="leaveOpen">Whether disposing the reader leaves <paramref name="stream"/> open.</param>
    /// <exception cref="DataFormatException">The header is invalid.</exception>
    public static IdxReader Open(Stream stream, string source, bool leaveOpen)
    {
        var prefix = new byte[2];
        int got = ReadUpTo(stream, prefix);
        Stream content = new PrefixedStream(prefix.AsMemory(0, got), stream);
        string name = source;
        if (got == 2 && prefix[0] == 0x1F && prefix[1] == 0x8B)
        {
            content = new GZipStream(content, CompressionMode.Decompress);
            name = source + " (gzip)";
        }
        try
        {
            var (type, shape) = Guard(source, () => ReadHeader(content, name));
            return new IdxReader(stream, leaveOpen, content, source, name, type, shape);
        }
        catch
        {
            content.Dispose();
            if (!leaveOpen) stream.Dispose();
            throw;
        }
    }

    /// <summary>Fills <paramref name="buffer"/> with the next elements' bytes (big-endian, file order).</summary>
    /// <exception cref="DataFormatException">The data ends before the buffer is full, or the gzip stream is corrupt.</exception>
    public void Read(Span<byte> buffer)
    {
        if (_consumed + buffer.Length > DataBytes)
            throw new InvalidOperationException($"Reading {buffer.Length} bytes at {_consumed} would pass the {DataBytes} data bytes of '{_source}'.");
        int got;
        try
        {
            got = ReadUpTo(_content, buffer);
        }
        catch (InvalidDataException e)
        {
            throw Corrupt(_outer, e);
        }
        _consumed += got;
        if (got < buffer.Length)
            throw new DataFormatException($"'{_source}' is truncated: its header declares shape [{string.Join(", ", Shape)}] of {Type} ({DataBytes} data bytes) but only {_consumed} follow. Download or install the file again.");
    }

    /// <summary>After every element was read: checks that nothing follows the data.</summary>
    /// <exception cref="DataFormatException">Bytes follow the declared data.</exception>
    public void CheckEnd()
    {
        if (_consumed != DataBytes)
            throw new InvalidOperationException($"{_consumed} of the {DataBytes} data bytes of '{_source}' were read; read them all first.");
        long extra = Guard(_outer, () =>
        {
            long total = 0;
            var probe = new byte[4096];
            int n;
            while ((n = _content.Read(probe)) > 0) total += n;
            return total;
        });
        if (extra > 0)
            throw new DataFormatException($"'{_source}' has {extra} bytes after the {DataBytes} data bytes its header declares (shape [{string.Join(", ", Shape)}] of {Type}). The header or the data is wrong; an IDX file holds one array.");
    }

    /// <summary>Closes the file (unless opened with leaveOpen).</summary>
    public void Dispose()
    {
        _content.Dispose();
        if (!_leaveOpen) _owned.Dispose();
    }

    private delegate T ReadFunction<T>();

    /// <summary>Runs <paramref name="read"/>, turning a corrupt gzip stream into a <see cref="DataFormatException"/>.</summary>
    private static T Guard<T>(string file, global::TorchLogistic.Data.IdxReader.ReadFunction<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException e)
        {
            throw Corrupt(file, e);
        }
    }

    private static DataFormatException Corrupt(string file, InvalidDataException e) =>
        new($"'{file}' starts like a gzip file but its compressed data is corrupt ({e.Message}). Download or install the file again.", e);

    private static (IdxType Type, int[] Shape) ReadHeader(Stream stream, string source)
    {
        var head = new byte[4];
        int got = ReadUpTo(stream, head);
        if (got < 4)
            throw new DataFormatException($"'{source}' has {got} bytes, too few for an IDX header (4 bytes: 0x00 0x00, type code, number of dimensions). The file is truncated or not an IDX file.");
        if (head[0] != 0 || head[1] != 0)
            throw new DataFormatException($"'{source}' has magic number 0x{head[0]:X2}{head[1]:X2}{head[2]:X2}{head[3]:X2}; an IDX file starts with two zero bytes (e.g. 0x00000803 for MNIST images, 0x00000801 for labels). It is not an IDX file.");
        var type = (IdxType)head[2];
        if (!Enum.IsDefined(type))
            throw new DataFormatException($"'{source}' has IDX type code 0x{head[2]:X2}; known codes are 0x08 (ubyte), 0x09 (sbyte), 0x0B (int16), 0x0C (int32), 0x0D (float32), 0x0E (float64). The file is corrupt or not an IDX file.");
        int ndim = head[3];
        if (ndim == 0)
            throw new DataFormatException($"'{source}' declares 0 dimensions; an IDX array has at least one. The file is corrupt.");

        var dims = new byte[4 * ndim];
        got = ReadUpTo(stream, dims);
        if (got < dims.Length)
            throw new DataFormatException($"'{source}' is truncated in its header: {ndim} dimensions need {dims.Length} bytes but only {got} follow the magic number.");
        var shape = new int[ndim];
        long count = 1;
        int size = IdxFile.ElementSize(type);
        for (int i = 0; i < ndim; i++)
        {
            uint dim = BinaryPrimitives.ReadUInt32BigEndian(dims.AsSpan(4 * i));
            if (dim > int.MaxValue)
                throw new DataFormatException($"'{source}' declares dimension {i} of size {dim}, which is not plausible. The header is corrupt.");
            shape[i] = (int)dim;
            count *= dim;
            if (count * size > Array.MaxLength)
                throw new DataFormatException($"'{source}' declares shape [{string.Join(", ", DimsText(dims, ndim))}], more than {Array.MaxLength} bytes of data. The header is corrupt.");
        }
        return (type, shape);
    }

    private static IEnumerable<string> DimsText(byte[] dims, int ndim) =>
        Enumerable.Range(0, ndim).Select(i => BinaryPrimitives.ReadUInt32BigEndian(dims.AsSpan(4 * i)).ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Fills <paramref name="buffer"/> as far as the stream allows; returns the bytes read.</summary>
    private static int ReadUpTo(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>A read-only stream that yields some already-read bytes, then the rest of another stream.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
    {
        private ReadOnlyMemory<byte> _pending = prefix;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_pending.IsEmpty) return rest.Read(buffer);
            int n = Math.Min(buffer.Length, _pending.Length);
            _pending.Span[..n].CopyTo(buffer);
            _pending = _pending[n..];
            return n;
        }
    }
}
