using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace TorchLogistic.IO;

/// <summary>
/// Writes NumPy's <c>.npy</c> format (version 1.0): the magic string, a header dictionary padded so the data starts
/// at a multiple of 64 bytes, then the array's bytes in C order, little-endian. Enough to hand a matrix to a Python
/// peer without a text round trip.
/// </summary>
public static class NpyFile
{
    /// <summary>Writes <paramref name="values"/> as a float64 array of <paramref name="shape"/> (row-major).</summary>
    public static void Write(string path, double[] values, params long[] shape) => AtomicFile.WriteAllBytes(path, ToBytes(values, shape));

    /// <summary>Writes <paramref name="values"/> as an int32 array of <paramref name="shape"/>.</summary>
    public static void Write(string path, int[] values, params long[] shape) =>
        AtomicFile.WriteAllBytes(path, Encode("<i4", MemoryMarshal.AsBytes(values.AsSpan()), values.LongLength, shape));

    /// <summary>The <c>.npy</c> bytes of a float64 array of <paramref name="shape"/> (row-major).</summary>
    public static byte[] ToBytes(double[] values, params long[] shape) => Encode("<f8", MemoryMarshal.AsBytes(values.AsSpan()), values.LongLength, shape);

    /// <summary>The <c>.npy</c> bytes of an int64 array of <paramref name="shape"/>.</summary>
    public static byte[] ToBytes(long[] values, params long[] shape) => Encode("<i8", MemoryMarshal.AsBytes(values.AsSpan()), values.LongLength, shape);

    /// <summary>
    /// The <c>.npy</c> bytes of a Unicode string array (NumPy's <c>&lt;U n</c>: n UTF-32 code units per entry, n the
    /// longest entry, shorter ones zero-padded), readable with <c>allow_pickle=False</c>.
    /// </summary>
    public static byte[] ToBytes(string[] values, params long[] shape)
    {
        var runes = values.Select(v => v.EnumerateRunes().Select(r => r.Value).ToArray()).ToArray();
        int width = Math.Max(1, runes.Select(r => r.Length).DefaultIfEmpty(0).Max());
        var data = new int[values.Length * width];
        for (int i = 0; i < runes.Length; i++) runes[i].CopyTo(data, i * width);
        return Encode($"<U{width}", MemoryMarshal.AsBytes(data.AsSpan()), values.LongLength, shape);
    }

    private static byte[] Encode(string descr, ReadOnlySpan<byte> data, long count, long[] shape)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("NpyFile writes little-endian data on little-endian machines only.");
        long expected = shape.Aggregate(1L, (a, b) => a * b);
        if (expected != count) throw new ArgumentException($"Shape ({string.Join(", ", shape)}) holds {expected} values but {count} were given.");
        string dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape.Select(s => s.ToString(CultureInfo.InvariantCulture)));
        string header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({dims}), }}";
        // magic (6) + version (2) + header length (2) + header + '\n', padded with spaces to a multiple of 64.
        int total = 10 + header.Length + 1;
        header = header + new string(' ', (64 - total % 64) % 64) + "\n";
        using var stream = new MemoryStream();
        stream.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 });
        stream.Write(BitConverter.GetBytes((ushort)header.Length));
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(data);
        return stream.ToArray();
    }
}
