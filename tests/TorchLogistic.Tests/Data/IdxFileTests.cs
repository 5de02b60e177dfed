using System.Buffers.Binary;
using System.IO.Compression;
using TorchLogistic.Data;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Data;

public class IdxFileTests
{
    private static byte[] Images(int n, int rows = 2, int cols = 3) =>
        IdxFile.ToBytes(IdxType.UnsignedByte, new[] { n, rows, cols }, Enumerable.Range(0, n * rows * cols).Select(i => (double)(i * 7 % 256)).ToArray());

    private static byte[] Labels(params int[] labels) =>
        IdxFile.ToBytes(IdxType.UnsignedByte, new[] { labels.Length }, labels.Select(l => (double)l).ToArray());

    private static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(raw);
        return output.ToArray();
    }

    private static IdxArray Read(byte[] bytes) => IdxFile.Read(new MemoryStream(bytes), "t.idx");

    private static string Error(byte[] bytes) => Assert.Throws<DataFormatException>(() => Read(bytes)).Message;

    [Fact]
    public void Header_bytes_are_the_mnist_magic_numbers()
    {
        // MNIST's documented magic numbers: 0x00000803 for images, 0x00000801 for labels; sizes big-endian.
        byte[] images = Images(2);
        Assert.Equal(0x00000803, BinaryPrimitives.ReadInt32BigEndian(images));
        Assert.Equal(new[] { 2, 2, 3 }, Enumerable.Range(0, 3).Select(i => BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(4 + 4 * i))));
        Assert.Equal(0x00000801, BinaryPrimitives.ReadInt32BigEndian(Labels(1, 2)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Raw_and_gzip_files_read_the_same_array(bool gzip)
    {
        byte[] raw = Images(4);
        var array = Read(gzip ? Gzip(raw) : raw);
        Assert.Equal(IdxType.UnsignedByte, array.Type);
        Assert.Equal(new[] { 4, 2, 3 }, array.Shape);
        Assert.Equal(24, array.Length);
        Assert.Equal(raw.AsSpan(16).ToArray(), array.Data);
        Assert.Equal(7 * 23 % 256, array[23]);
    }

    [Theory]
    [InlineData(IdxType.SignedByte, new double[] { -128, -1, 0, 127 })]
    [InlineData(IdxType.Int16, new double[] { -32768, -2, 3, 32767 })]
    [InlineData(IdxType.Int32, new double[] { int.MinValue, -5, 6, int.MaxValue })]
    [InlineData(IdxType.Float32, new double[] { -1.5, 0.25, 3e38, -0.0 })]
    [InlineData(IdxType.Float64, new double[] { -1.5, 1e-300, Math.PI, 1e300 })]
    public void Every_element_type_is_read_big_endian(IdxType type, double[] values)
    {
        var array = Read(IdxFile.ToBytes(type, new[] { 2, 2 }, values));
        Assert.Equal(type, array.Type);
        Assert.Equal(values.Select(v => type == IdxType.Float32 ? (double)(float)v : v), array.ToDoubles());
    }

    [Fact]
    public void Pixels_are_scaled_to_the_unit_interval_and_named_by_row_and_column()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("img"), IdxFile.ToBytes(IdxType.UnsignedByte, new[] { 2, 2, 2 }, new double[] { 0, 255, 51, 102, 1, 2, 3, 4 }));
        File.WriteAllBytes(folder.File("lab.gz"), Gzip(Labels(1, 0)));
        var data = IdxDataset.Load("toy", folder.File("img"), folder.File("lab.gz"), new[] { "a", "b" });
        Assert.Equal((2, 4), (data.SampleCount, data.FeatureCount));
        Assert.Equal(new[] { "pixel_0_0", "pixel_0_1", "pixel_1_0", "pixel_1_1" }, data.FeatureNames);
        Close.All(new[] { 0, 1, 0.2, 0.4, 1 / 255.0, 2 / 255.0, 3 / 255.0, 4 / 255.0 }, data.Features, 1e-15);
        Assert.Equal(new[] { 1, 0 }, data.Labels);
    }

    [Fact]
    public void A_foreign_file_is_rejected_by_its_magic_number()
    {
        Assert.Contains("magic number 0x504B0304", Error("PK\u0003\u0004zip"u8.ToArray()));
        Assert.Contains("not an IDX file", Error("PK\u0003\u0004zip"u8.ToArray()));
    }

    [Fact]
    public void Unknown_type_code_and_zero_dimensions_are_rejected()
    {
        byte[] bytes = Labels(1, 2, 3);
        bytes[2] = 0x0A;
        Assert.Contains("type code 0x0A", Error(bytes));
        Assert.Contains("0 dimensions", Error(new byte[] { 0, 0, 8, 0 }));
    }

    [Theory]
    [InlineData(0, "0 bytes, too few for an IDX header")]
    [InlineData(3, "3 bytes, too few for an IDX header")]
    [InlineData(10, "truncated in its header")]
    [InlineData(16, "truncated: its header declares shape [4, 2, 3]")]
    [InlineData(39, "only 23 follow")]
    public void Truncated_files_are_rejected_with_what_is_missing(int keep, string message)
    {
        byte[] raw = Images(4);
        Assert.Contains(message, Error(raw[..keep]));
        // The same cut inside a gzip stream is found too (the gzip stream itself is complete).
        Assert.Contains(message, Error(Gzip(raw[..keep])));
    }

    [Fact]
    public void A_cut_gzip_stream_is_reported_as_truncated_or_corrupt()
    {
        byte[] gz = Gzip(Images(50, 10, 10));
        string message = Error(gz[..(gz.Length / 2)]);
        Assert.True(message.Contains("truncated") || message.Contains("corrupt"), message);
        byte[] flipped = (byte[])gz.Clone();
        for (int i = 20; i < 40; i++) flipped[i] ^= 0x5A;
        message = Error(flipped);
        Assert.True(message.Contains("corrupt") || message.Contains("truncated") || message.Contains("magic"), message);
    }

    [Fact]
    public void Bytes_after_the_declared_data_are_rejected()
    {
        byte[] raw = Images(4);
        Assert.Contains("5 bytes after the 24 data bytes", Error(raw.Concat(new byte[5]).ToArray()));
        // A header that declares fewer images than the file holds is the same mistake.
        BinaryPrimitives.WriteInt32BigEndian(raw.AsSpan(4), 3);
        Assert.Contains("6 bytes after the 18 data bytes", Error(raw));
    }

    [Fact]
    public void A_dimension_too_large_to_be_real_is_rejected_before_allocating()
    {
        byte[] raw = Images(1);
        BinaryPrimitives.WriteUInt32BigEndian(raw.AsSpan(4), 0xFFFF_FFF0);
        Assert.Contains("not plausible", Error(raw));
        BinaryPrimitives.WriteInt32BigEndian(raw.AsSpan(4), 1 << 30);
        BinaryPrimitives.WriteInt32BigEndian(raw.AsSpan(8), 1 << 10);
        Assert.Contains("The header is corrupt", Error(raw));
    }

    [Fact]
    public void Images_and_labels_that_do_not_belong_together_are_rejected()
    {
        using var folder = new TempFolder();
        string images = folder.File("img"), labels = folder.File("lab");
        File.WriteAllBytes(images, Images(3));
        File.WriteAllBytes(labels, Labels(0, 1));
        Assert.Contains("has 3 images but", Assert.Throws<DataFormatException>(() => IdxDataset.Load("t", images, labels, new[] { "a", "b" })).Message);

        File.WriteAllBytes(labels, Labels(0, 1, 2));
        Assert.Contains("label 2 at row 2", Assert.Throws<DataFormatException>(() => IdxDataset.Load("t", images, labels, new[] { "a", "b" })).Message);

        // Swapped files: a label file where the images belong, and the other way round.
        Assert.Contains("Is it a label file?", Assert.Throws<DataFormatException>(() => IdxDataset.Load("t", labels, labels, new[] { "a", "b", "c" })).Message);
        Assert.Contains("Is it an image file?", Assert.Throws<DataFormatException>(() => IdxDataset.Load("t", images, images, new[] { "a", "b", "c" })).Message);
    }

    [Fact]
    public void A_missing_fashion_mnist_folder_names_the_package_to_install()
    {
        using var folder = new TempFolder();
        var e = Assert.Throws<DataFormatException>(() => FashionMnist.Load(folder.File("nowhere")));
        Assert.Contains("apt-get install dataset-fashion-mnist", e.Message);
        Assert.Contains("does not exist", e.Message);
        Assert.Contains("Datasets.dataDir", e.Message);
        e = Assert.Throws<DataFormatException>(() => FashionMnist.Load(folder.Path));
        Assert.Contains("has no train-images-idx3-ubyte.gz or train-images-idx3-ubyte", e.Message);
    }

    [Fact]
    public void Fashion_mnist_reads_raw_or_gzip_files_from_a_data_dir()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("train-images-idx3-ubyte.gz"), Gzip(Images(3, 28, 28)));
        File.WriteAllBytes(folder.File("train-labels-idx1-ubyte"), Labels(9, 0, 5));
        File.WriteAllBytes(folder.File("t10k-images-idx3-ubyte"), Images(2, 28, 28));
        File.WriteAllBytes(folder.File("t10k-labels-idx1-ubyte.gz"), Gzip(Labels(1, 2)));
        var (train, test) = FashionMnist.Load(folder.Path);
        Assert.Equal((3, 784, 10), (train.SampleCount, train.FeatureCount, train.ClassCount));
        Assert.Equal((2, 784), (test.SampleCount, test.FeatureCount));
        Assert.Equal("Ankle boot", train.Classes[train.Labels[0]]);
        Assert.Equal("pixel_27_27", train.FeatureNames[^1]);
        Assert.True(train.Features.All(v => v is >= 0 and <= 1));

        var all = BuiltinDatasets.Load("fashion-mnist", folder.Path);
        Assert.Equal(new[] { 9, 0, 5, 1, 2 }, all.Labels);
        Assert.Equal(train.Features.Concat(test.Features), all.Features);
    }

    [Fact]
    public void The_installed_fashion_mnist_has_the_official_split_and_balanced_classes()
    {
        if (!Directory.Exists(FashionMnist.DefaultDirectory))
        {
            // Without the package, the error must say how to get it.
            Assert.Contains("apt-get install dataset-fashion-mnist", Assert.Throws<DataFormatException>(() => FashionMnist.LoadLabels()).Message);
            return;
        }
        var (train, test) = FashionMnist.LoadLabels();
        Assert.Equal(60_000, train.Length);
        Assert.Equal(10_000, test.Length);
        // Fashion-MNIST is balanced: 6 000 training and 1 000 test images per class.
        Assert.All(Enumerable.Range(0, 10), k => Assert.Equal(6_000, train.Count(y => y == k)));
        Assert.All(Enumerable.Range(0, 10), k => Assert.Equal(1_000, test.Count(y => y == k)));
    }
}
