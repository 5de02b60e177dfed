using System.Buffers.Binary;

namespace TorchLogistic.Tests.Support;

/// <summary>Reads a PNG's size from its IHDR chunk, after checking the signature.</summary>
public static class Png
{
    public static (int Width, int Height) Size(string path)
    {
        byte[] b = File.ReadAllBytes(path);
        byte[] signature = { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A };
        Assert.True(b.Length > 33 && b.AsSpan(0, 8).SequenceEqual(signature), $"{path} is not a PNG file.");
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(b, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(20)));
    }
}

/// <summary>Pixel statistics of a PNG, to tell a drawn chart from a blank image.</summary>
public static class PngContent
{
    /// <summary>Number of distinct colours and the share of pixels that are not the most common (background) colour.</summary>
    public static (int DistinctColors, double NonBackgroundShare) Analyse(string path)
    {
        using var bitmap = SkiaSharp.SKBitmap.Decode(path) ?? throw new InvalidDataException($"{path} cannot be decoded as an image.");
        var counts = new Dictionary<uint, int>();
        foreach (var c in bitmap.Pixels)
        {
            uint key = (uint)c;
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        int total = bitmap.Width * bitmap.Height;
        return (counts.Count, 1.0 - (double)counts.Values.Max() / total);
    }
}
