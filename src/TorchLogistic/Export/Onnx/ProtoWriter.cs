using System.Buffers.Binary;
using System.Text;

namespace TorchLogistic.Export;

/// <summary>
/// The protocol-buffers wire format, the few pieces ONNX files need: a field key is <c>(number &lt;&lt; 3) | wire type</c>
/// as a base-128 varint; wire type 0 carries a varint (int32, int64, enums, bools), 1 eight little-endian bytes
/// (fixed64, double), 2 a varint length and that many bytes (strings, bytes, nested messages, packed repeated
/// scalars), 5 four little-endian bytes (fixed32, float). Negative int32/int64 values are written as ten-byte
/// varints (two's complement), as protobuf does for non-zigzag integers.
/// </summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _stream = new();

    /// <summary>The bytes written so far.</summary>
    public byte[] ToArray() => _stream.ToArray();

    /// <summary>A varint field (int32, int64, enum).</summary>
    public void WriteInt64(int field, long value)
    {
        WriteKey(field, 0);
        WriteVarint(unchecked((ulong)value));
    }

    /// <summary>A float field (wire type 5).</summary>
    public void WriteFloat(int field, float value)
    {
        WriteKey(field, 5);
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(b, value);
        _stream.Write(b);
    }

    /// <summary>A UTF-8 string field.</summary>
    public void WriteString(int field, string value) => WriteBytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A bytes field (also a nested message's encoding).</summary>
    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteKey(field, 2);
        WriteVarint((ulong)value.Length);
        _stream.Write(value);
    }

    /// <summary>A nested message: <paramref name="body"/> writes its fields, which are then length-prefixed.</summary>
    public void WriteMessage(int field, Action<ProtoWriter> body)
    {
        var inner = new ProtoWriter();
        body(inner);
        WriteBytes(field, inner.ToArray());
    }

    /// <summary>A packed repeated int64 field (one length-delimited run of varints).</summary>
    public void WritePackedInt64(int field, IEnumerable<long> values)
    {
        var inner = new ProtoWriter();
        foreach (long v in values) inner.WriteVarint(unchecked((ulong)v));
        WriteBytes(field, inner.ToArray());
    }

    /// <summary>A packed repeated float field (one length-delimited run of little-endian floats).</summary>
    public void WritePackedFloat(int field, IReadOnlyList<float> values)
    {
        var bytes = new byte[4 * values.Count];
        for (int i = 0; i < values.Count; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        WriteBytes(field, bytes);
    }

    private void WriteKey(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _stream.WriteByte((byte)value);
    }
}
