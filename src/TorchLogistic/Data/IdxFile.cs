using System.Buffers.Binary;

namespace TorchLogistic.Data;

/// <summary>The element types of the IDX format, by their type code (the file's third byte).</summary>
public enum IdxType : byte
{
    /// <summary>0x08: unsigned byte (MNIST's pixels and labels).</summary>
    UnsignedByte = 0x08,
    /// <summary>0x09: signed byte.</summary>
    SignedByte = 0x09,
    /// <summary>0x0B: big-endian 16-bit integer.</summary>
    Int16 = 0x0B,
    /// <summary>0x0C: big-endian 32-bit integer.</summary>
    Int32 = 0x0C,
    /// <summary>0x0D: big-endian IEEE 754 single.</summary>
    Float32 = 0x0D,
    /// <summary>0x0E: big-endian IEEE 754 double.</summary>
    Float64 = 0x0E,
}

/// <summary>
/// An n-dimensional array read from an IDX file: its element type, its shape, and its elements in the file's
/// order (row-major, last index fastest), kept as the file's big-endian bytes.
/// </summary>
public sealed class IdxArray
{
    /// <summary>Wraps elements already checked to have the length the shape implies.</summary>
    internal IdxArray(IdxType type, int[] shape, byte[] data)
    {
        this.Type = type;
        this.Shape = shape;
        this.Data = data;
    }

    /// <summary>Element type.</summary>
    public IdxType Type { get; }

    /// <summary>Dimensions, outermost first (MNIST images: <c>[n, 28, 28]</c>; labels: <c>[n]</c>).</summary>
    public int[] Shape { get; }

    /// <summary>The elements' bytes as stored in the file (big-endian).</summary>
    public byte[] Data { get; }

    /// <summary>Number of elements: the product of <see cref="Shape"/>.</summary>
    public long Length => Data.LongLength / IdxFile.ElementSize(Type);

    /// <summary>Element <paramref name="index"/> (in file order) as a double.</summary>
    public double this[long index]
    {
        get
        {
            int size = IdxFile.ElementSize(Type);
            var bytes = Data.AsSpan(checked((int)(index * size)), size);
            return Type switch
            {
                IdxType.UnsignedByte => bytes[0],
                IdxType.SignedByte => (sbyte)bytes[0],
                IdxType.Int16 => BinaryPrimitives.ReadInt16BigEndian(bytes),
                IdxType.Int32 => BinaryPrimitives.ReadInt32BigEndian(bytes),
                IdxType.Float32 => BinaryPrimitives.ReadSingleBigEndian(bytes),
                _ => BinaryPrimitives.ReadDoubleBigEndian(bytes),
            };
        }
    }

    /// <summary>Every element times <paramref name="scale"/>, as a new array in file order.</summary>
    /// <param name="scale">Factor applied to each element (default 1; MNIST pixels use 1/255).</param>
    public double[] ToDoubles(double scale = 1.0)
    {
        var result = new double[Length];
        if (Type == IdxType.UnsignedByte)
        {
            // The common case (MNIST), without the per-element dispatch of the indexer.
            for (long i = 0; i < result.LongLength; i++) result[i] = Data[i] * scale;
        }
        else
        {
            for (long i = 0; i < result.LongLength; i++) result[i] = this[i] * scale;
        }
        return result;
    }
}

/// <summary>
/// Reads the IDX format of MNIST and Fashion-MNIST (LeCun et al.), raw or gzip-compressed (detected from the
/// content, not the name):
/// <code>
/// 0x00 0x00             magic: two zero bytes
/// type code             1 byte, see <see cref="IdxType"/>
/// number of dimensions  1 byte, ≥ 1
/// dimensions            one big-endian uint32 per dimension
/// data                  the product of the dimensions elements, big-endian, row-major; nothing after
/// </code>
/// Every departure — a bad magic number, an unknown type, a header or data shorter than declared, bytes
/// after the data, a corrupt gzip stream — is a <see cref="DataFormatException"/> naming the file and what
/// is wrong.
/// </summary>
public static class IdxFile
{
    /// <summary>Reads the IDX file at <paramref name="path"/> (raw or gzip).</summary>
    /// <exception cref="DataFormatException">The file is missing or not a valid IDX file.</exception>
    public static IdxArray Read(string path)
    {
        if (!File.Exists(path))
            throw new DataFormatException($"IDX file '{path}' does not exist.");
        using var file = File.OpenRead(path);
        return Read(file, path);
    }

    /// <summary>Reads one IDX array from <paramref name="stream"/> (raw or gzip); <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="DataFormatException">The content is not a valid IDX file.</exception>
    public static IdxArray Read(Stream stream, string source)
    {
        using var reader = IdxReader.Open(stream, source, leaveOpen: true);
        var data = new byte[reader.DataBytes];
        reader.Read(data);
        reader.CheckEnd();
        return new IdxArray(reader.Type, reader.Shape, data);
    }

    /// <summary>Bytes per element of <paramref name="type"/>.</summary>
    public static int ElementSize(IdxType type) => type switch
    {
        IdxType.UnsignedByte or IdxType.SignedByte => 1,
        IdxType.Int16 => 2,
        IdxType.Int32 or IdxType.Float32 => 4,
        IdxType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, $"Unknown IDX type code 0x{(byte)type:X2}."),
    };

    /// <summary>The bytes of an IDX file holding <paramref name="values"/> with <paramref name="shape"/> (uncompressed).</summary>
    /// <param name="type">Element type to write; values are converted to it.</param>
    /// <param name="shape">Dimensions; their product must equal the number of values.</param>
    /// <param name="values">Elements in row-major order.</param>
    public static byte[] ToBytes(IdxType type, int[] shape, IReadOnlyList<double> values)
    {
        if (shape.Length is < 1 or > 255) throw new ArgumentException($"An IDX array has 1 to 255 dimensions, not {shape.Length}.", nameof(shape));
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (count != values.Count) throw new ArgumentException($"Shape [{string.Join(", ", shape)}] holds {count} elements but {values.Count} values were given.", nameof(values));
        int size = ElementSize(type);
        var bytes = new byte[4 + 4 * shape.Length + count * size];
        bytes[2] = (byte)type;
        bytes[3] = (byte)shape.Length;
        for (int i = 0; i < shape.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), shape[i]);
        int offset = 4 + 4 * shape.Length;
        for (int i = 0; i < values.Count; i++)
        {
            var at = bytes.AsSpan(offset + i * size, size);
            double v = values[i];
            switch (type)
            {
                case IdxType.UnsignedByte: at[0] = checked((byte)v); break;
                case IdxType.SignedByte: at[0] = unchecked((byte)checked((sbyte)v)); break;
                case IdxType.Int16: BinaryPrimitives.WriteInt16BigEndian(at, checked((short)v)); break;
                case IdxType.Int32: BinaryPrimitives.WriteInt32BigEndian(at, checked((int)v)); break;
                case IdxType.Float32: BinaryPrimitives.WriteSingleBigEndian(at, (float)v); break;
                default: BinaryPrimitives.WriteDoubleBigEndian(at, v); break;
            }
        }
        return bytes;
    }
}
