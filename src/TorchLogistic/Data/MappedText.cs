using System.IO.MemoryMappedFiles;

namespace TorchLogistic.Data;

/// <summary>
/// A text file memory-mapped read-only and cut into chunks that end at line breaks, for the parallel readers
/// (<see cref="LibSvmFastReader"/>, <see cref="CsvFastReader"/>): each chunk is parsed on its own thread straight from
/// the mapped bytes, and the results are put together in file order. A UTF-8 byte-order mark is skipped.
/// </summary>
internal sealed unsafe class MappedText : IDisposable
{
    /// <summary>Bytes per chunk by default: 4 MiB, small enough to spread a file over the cores, large enough that per-chunk work is noise.</summary>
    private const int DefaultChunkBytes = 1 << 22;

    [ThreadStatic]
    private static int? _chunkBytes;

    [ThreadStatic]
    private static int? _threads;

    /// <summary>Bytes per chunk, about (a chunk ends at the first line break at or after this size); tests set it tiny, for their own thread only, to put boundaries everywhere.</summary>
    internal static int ChunkBytes
    {
        get => _chunkBytes ?? DefaultChunkBytes;
        set => _chunkBytes = value;
    }

    /// <summary>Threads that parse chunks (default: every core); tests set it, for their own thread only, to vary the schedule.</summary>
    internal static int Threads
    {
        get => _threads ?? Environment.ProcessorCount;
        set => _threads = value;
    }

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _bytes;

    private MappedText(MemoryMappedFile file, MemoryMappedViewAccessor view, long length)
    {
        _file = file;
        _view = view;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _bytes = pointer + view.PointerOffset;
        Length = length;
        Start = length >= 3 && _bytes[0] == 0xEF && _bytes[1] == 0xBB && _bytes[2] == 0xBF ? 3 : 0;
    }

    /// <summary>The file's length in bytes.</summary>
    public long Length { get; }

    /// <summary>Where the text starts: 3 after a UTF-8 byte-order mark, else 0.</summary>
    public long Start { get; }

    /// <summary>
    /// Maps <paramref name="path"/>, or null when it cannot be mapped or is not plain UTF-8 text to the fast readers
    /// (empty, or starting with a UTF-16/UTF-32 byte-order mark): the caller then reads it with its stream reader.
    /// </summary>
    public static MappedText? TryOpen(string path)
    {
        long length;
        try
        {
            length = new FileInfo(path).Length;
        }
        catch (IOException)
        {
            return null;
        }
        if (length == 0) return null;
        MemoryMappedFile? file = null;
        try
        {
            file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            var view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            var text = new MappedText(file, view, length);
            if (length >= 2 && ((text._bytes[0] == 0xFE && text._bytes[1] == 0xFF) || (text._bytes[0] == 0xFF && text._bytes[1] == 0xFE)))
            {
                text.Dispose();
                return null;
            }
            return text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            file?.Dispose();
            return null;
        }
    }

    /// <summary>The bytes <c>[start, start + length)</c>.</summary>
    public ReadOnlySpan<byte> Span(long start, int length) => new(_bytes + start, length);

    /// <summary>
    /// Cuts <c>[from, Length)</c> into pieces of about <see cref="ChunkBytes"/> (and at most <see cref="int.MaxValue"/>)
    /// bytes, each ending just after a <c>\n</c> (the last at the end of the file); null when a line is longer than that.
    /// </summary>
    public (long Start, int Length)[]? Chunks(long from)
    {
        var chunks = new List<(long, int)>();
        long size = Math.Max(1, ChunkBytes);
        while (from < Length)
        {
            long end = Math.Min(Length, from + size);
            while (end < Length && _bytes[end - 1] != (byte)'\n')
            {
                int window = (int)Math.Min(1 << 16, Length - end);
                int at = new ReadOnlySpan<byte>(_bytes + end, window).IndexOf((byte)'\n');
                end = at >= 0 ? end + at + 1 : end + window;
            }
            if (end - from > int.MaxValue) return null;
            chunks.Add((from, (int)(end - from)));
            from = end;
        }
        return chunks.ToArray();
    }

    /// <summary>Runs <paramref name="body"/> on every chunk index, on up to <see cref="Threads"/> threads.</summary>
    public static void ForEach(int count, Action<int> body) =>
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Threads) }, body);

    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
