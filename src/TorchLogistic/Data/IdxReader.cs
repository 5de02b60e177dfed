using System.Buffers.Binary;
using System.IO.Compression;

namespace TorchLogistic.Data;

/// <summary>
/// An IDX file opened for reading front to back (see <see cref="IdxFile"/> for the format): the header is read and
/// checked on opening, then the elements can be read in pieces of any size — all at once
/// (<see cref="IdxFile.read(Stream, string)"/>) or a mini-batch at a time (<see cref="IdxBatchStream"/>), without
/// holding the whole array. Raw or gzip (detected from the first two bytes). A bad magic number, unknown type,
/// short header or data, bytes after the data, or a corrupt gzip stream is a <see cref="DataFormatException"/>
/// naming the file.
/// </summary>
public sealed class IdxReader : IDisposable
{
    private readonly Stream owned;
    private readonly bool leaveOpen;
    private readonly Stream content;
    private readonly string outer;
    private readonly string source;
    private long consumed;

    private IdxReader(Stream owned, bool leaveOpen, Stream content, string outer, string source, IdxType type, int[] shape)
    {
        this.owned = owned;
        this.leaveOpen = leaveOpen;
        this.content = content;
        this.outer = outer;
        this.source = source;
        this.type = type;
        this.shape = shape;
        data_bytes = shape.Aggregate(1L, (a, b) => a * b) * IdxFile.element_size(type);
    }

    /// <summary>Element type.</summary>
    public IdxType type { get; }

    /// <summary>Dimensions, outermost first.</summary>
    public int[] shape { get; }

    /// <summary>Bytes of element data the header declares.</summary>
    public long data_bytes { get; }

    /// <summary>Opens the IDX file at <paramref name="path"/> and reads its header.</summary>
    /// <exception cref="DataFormatException">The file is missing or its header is invalid.</exception>
    public static IdxReader open(string path)
    {
        if (!File.Exists(path))
            throw new DataFormatException($"IDX file '{path}' does not exist.");
        var file = File.OpenRead(path);
        try
        {
            return open(file, path, leave_open: false);
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
    /// <param name="leave_open">Whether disposing the reader leaves <paramref name="stream"/> open.</param>
    /// <exception cref="DataFormatException">The header is invalid.</exception>
    public static IdxReader open(Stream stream, string source, bool leave_open)
    {
        var prefix = new byte[2];
        int got = read_up_to(stream, prefix);
        Stream content = new PrefixedStream(prefix.AsMemory(0, got), stream);
        string name = source;
        if (got == 2 && prefix[0] == 0x1F && prefix[1] == 0x8B)
        {
            content = new GZipStream(content, CompressionMode.Decompress);
            name = source + " (gzip)";
        }
        try
        {
            var (type, shape) = guard(source, () => read_header(content, name));
            return new IdxReader(stream, leave_open, content, source, name, type, shape);
        }
        catch
        {
            content.Dispose();
            if (!leave_open) stream.Dispose();
            throw;
        }
    }

    /// <summary>Fills <paramref name="buffer"/> with the next elements' bytes (big-endian, file order).</summary>
    /// <exception cref="DataFormatException">The data ends before the buffer is full, or the gzip stream is corrupt.</exception>
    public void read(Span<byte> buffer)
    {
        if (consumed + buffer.Length > data_bytes)
            throw new InvalidOperationException($"Reading {buffer.Length} bytes at {consumed} would pass the {data_bytes} data bytes of '{source}'.");
        int got;
        try
        {
            got = read_up_to(content, buffer);
        }
        catch (InvalidDataException e)
        {
            throw corrupt(outer, e);
        }
        consumed += got;
        if (got < buffer.Length)
            throw new DataFormatException($"'{source}' is truncated: its header declares shape [{string.Join(", ", shape)}] of {type} ({data_bytes} data bytes) but only {consumed} follow. Download or install the file again.");
    }

    /// <summary>After every element was read: checks that nothing follows the data.</summary>
    /// <exception cref="DataFormatException">Bytes follow the declared data.</exception>
    public void check_end()
    {
        if (consumed != data_bytes)
            throw new InvalidOperationException($"{consumed} of the {data_bytes} data bytes of '{source}' were read; read them all first.");
        long extra = guard(outer, () =>
        {
            long total = 0;
            var probe = new byte[4096];
            int n;
            while ((n = content.Read(probe)) > 0) total += n;
            return total;
        });
        if (extra > 0)
            throw new DataFormatException($"'{source}' has {extra} bytes after the {data_bytes} data bytes its header declares (shape [{string.Join(", ", shape)}] of {type}). The header or the data is wrong; an IDX file holds one array.");
    }

    /// <summary>Closes the file (unless opened with leave_open).</summary>
    public void Dispose()
    {
        content.Dispose();
        if (!leaveOpen) owned.Dispose();
    }

    private delegate T Read<T>();

    /// <summary>Runs <paramref name="read"/>, turning a corrupt gzip stream into a <see cref="DataFormatException"/>.</summary>
    private static T guard<T>(string file, Read<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException e)
        {
            throw corrupt(file, e);
        }
    }

    private static DataFormatException corrupt(string file, InvalidDataException e) =>
        new($"'{file}' starts like a gzip file but its compressed data is corrupt ({e.Message}). Download or install the file again.", e);

    private static (IdxType Type, int[] Shape) read_header(Stream stream, string source)
    {
        var head = new byte[4];
        int got = read_up_to(stream, head);
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
        got = read_up_to(stream, dims);
        if (got < dims.Length)
            throw new DataFormatException($"'{source}' is truncated in its header: {ndim} dimensions need {dims.Length} bytes but only {got} follow the magic number.");
        var shape = new int[ndim];
        long count = 1;
        int size = IdxFile.element_size(type);
        for (int i = 0; i < ndim; i++)
        {
            uint dim = BinaryPrimitives.ReadUInt32BigEndian(dims.AsSpan(4 * i));
            if (dim > int.MaxValue)
                throw new DataFormatException($"'{source}' declares dimension {i} of size {dim}, which is not plausible. The header is corrupt.");
            shape[i] = (int)dim;
            count *= dim;
            if (count * size > Array.MaxLength)
                throw new DataFormatException($"'{source}' declares shape [{string.Join(", ", dims_text(dims, ndim))}], more than {Array.MaxLength} bytes of data. The header is corrupt.");
        }
        return (type, shape);
    }

    private static IEnumerable<string> dims_text(byte[] dims, int ndim) =>
        Enumerable.Range(0, ndim).Select(i => BinaryPrimitives.ReadUInt32BigEndian(dims.AsSpan(4 * i)).ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Fills <paramref name="buffer"/> as far as the stream allows; returns the bytes read.</summary>
    private static int read_up_to(Stream stream, Span<byte> buffer)
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
        private ReadOnlyMemory<byte> pending = prefix;

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
            if (pending.IsEmpty) return rest.Read(buffer);
            int n = Math.Min(buffer.Length, pending.Length);
            pending.Span[..n].CopyTo(buffer);
            pending = pending[n..];
            return n;
        }
    }
}
