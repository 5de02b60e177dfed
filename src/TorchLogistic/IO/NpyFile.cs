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
    public static void Write(string path, double[] values, params long[] shape) => Write(path, "<f8", s => s.Write(MemoryMarshal.AsBytes(values.AsSpan())), values.LongLength, shape);

    /// <summary>Writes <paramref name="values"/> as an int32 array of <paramref name="shape"/>.</summary>
    public static void Write(string path, int[] values, params long[] shape) => Write(path, "<i4", s => s.Write(MemoryMarshal.AsBytes(values.AsSpan())), values.LongLength, shape);

    private static void Write(string path, string descr, Action<Stream> data, long count, long[] shape)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("NpyFile writes little-endian data on little-endian machines only.");
        long expected = shape.Aggregate(1L, (a, b) => a * b);
        if (expected != count) throw new ArgumentException($"Shape ({string.Join(", ", shape)}) holds {expected} values but {count} were given.");
        string dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape.Select(s => s.ToString(CultureInfo.InvariantCulture)));
        string header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({dims}), }}";
        // magic (6) + version (2) + header length (2) + header + '\n', padded with spaces to a multiple of 64.
        int total = 10 + header.Length + 1;
        header = header + new string(' ', (64 - total % 64) % 64) + "\n";
        AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 });
            stream.Write(BitConverter.GetBytes((ushort)header.Length));
            stream.Write(Encoding.ASCII.GetBytes(header));
            data(stream);
        });
    }
}
