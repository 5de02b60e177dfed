using System.Globalization;
using System.IO.Compression;
using TorchLogistic.Data;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Data;

public class BatchStreamTests
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Every row of one pass, in order: features, labels, weights.</summary>
    private static (List<double> X, List<int> Y, List<double> W, List<int> Sizes) ReadPass(BatchStream stream, bool shuffle = false, int? batchRows = null)
    {
        var (x, y, w, sizes) = (new List<double>(), new List<int>(), new List<double>(), new List<int>());
        stream.Rewind(shuffle, batchRows);
        while (stream.Next() is { } batch)
        {
            Assert.Equal(batch.RowCount * stream.FeatureCount, batch.Features.Length);
            x.AddRange(batch.Features);
            y.AddRange(batch.Labels);
            if (batch.SampleWeight != null) w.AddRange(batch.SampleWeight);
            sizes.Add(batch.RowCount);
        }
        return (x, y, w, sizes);
    }

    /// <summary>A CSV of <paramref name="rows"/> random rows: features a (offset 1e4), b, constant c, weight w, and a string label.</summary>
    private static string WriteCsv(TempFolder folder, int rows, int seed, string name = "data.csv")
    {
        var random = new Random(seed);
        var lines = new List<string> { "a,b,c,w,label" };
        string[] labels = { "cat", "dog", "ant" };
        for (int i = 0; i < rows; i++)
        {
            lines.Add(string.Join(",", (1e4 + random.NextDouble()).ToString("R", C), (random.NextDouble() * 2 - 1).ToString("R", C), "7.25",
                (random.Next(1, 4) * 0.5).ToString("R", C), labels[random.Next(3)]));
            if (i % 17 == 0) lines.Add("");
        }
        string path = folder.File(name);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public void A_csv_stream_reads_the_rows_classes_and_weights_of_CsvDataset(int batch)
    {
        using var folder = new TempFolder();
        string path = WriteCsv(folder, 103, seed: 1);
        var memory = CsvDataset.Load(path, sampleWeight: "w");
        using var stream = CsvBatchStream.Open(path, batch, sampleWeight: "w");

        Assert.Equal(memory.Classes, stream.Classes);                                  // ant, cat, dog: sorted, not in order of appearance
        Assert.Equal(memory.FeatureNames, stream.FeatureNames);
        Assert.Equal(103, stream.SampleCount);
        Assert.Equal(memory.ClassCounts().Select(c => (long)c), stream.ClassCounts);
        for (int k = 0; k < 3; k++)
            Close.Equal(Enumerable.Range(0, 103).Where(i => memory.Labels[i] == k).Sum(i => memory.SampleWeight![i]), stream.ClassWeightSums[k], 1e-15);
        for (int pass = 0; pass < 2; pass++)
        {
            var (x, y, w, sizes) = ReadPass(stream);
            Assert.Equal(memory.Features, x);
            Assert.Equal(memory.Labels, y);
            Assert.Equal(memory.SampleWeight!, w);
            Assert.All(sizes.SkipLast(1), s => Assert.Equal(Math.Min(batch, 103), s));
            Assert.Equal(103 % batch == 0 ? Math.Min(batch, 103) : 103 % batch, sizes[^1]);
        }
        // An evaluation pass in larger batches reads the same rows.
        Assert.Equal(memory.Features, ReadPass(stream, batchRows: 50).X);
    }

    [Fact]
    public void Numeric_csv_labels_are_classes_in_numeric_order()
    {
        using var folder = new TempFolder();
        string path = folder.File("n.csv");
        File.WriteAllText(path, "x,y\n1,10\n2,9\n3,10\n4,-1\n");
        using var stream = CsvBatchStream.Open(path, 2);
        Assert.Equal(new[] { "-1", "9", "10" }, stream.Classes);
        Assert.Equal(new[] { 2, 1, 2, 0 }, ReadPass(stream).Y);
    }

    [Fact]
    public void Streamed_standardisation_equals_StandardScaler()
    {
        using var folder = new TempFolder();
        string path = WriteCsv(folder, 1001, seed: 2);
        var memory = CsvDataset.Load(path, sampleWeight: "w");
        var expected = StandardScaler.Fit(memory);
        foreach (int batch in new[] { 1, 32, 5000 })
        {
            using var stream = CsvBatchStream.Open(path, batch, sampleWeight: "w");
            var scaler = stream.FitScaler();
            Close.All(expected.Mean, scaler.Mean, 1e-12, what: $"mean (batch {batch})");
            Close.All(expected.Scale, scaler.Scale, 1e-12, what: $"scale (batch {batch})");
            Assert.Equal(1.0, scaler.Scale[2]);                                       // the constant column is centred, not divided
            Close.Equal(7.25, scaler.Mean[2], 1e-15);
        }
    }

    [Fact]
    public void Running_moments_merge_batches_as_chan_golub_leveque()
    {
        // Rows 1..10 in one batch and in batches of 3: mean 5.5, population variance (10² − 1)/12 = 8.25.
        var rows = Enumerable.Range(1, 10).Select(i => (double)i).ToArray();
        var one = new RunningMoments(1);
        one.Add(rows, 10);
        var pieces = new RunningMoments(1);
        for (int start = 0; start < 10; start += 3) pieces.Add(rows.AsSpan(start, Math.Min(3, 10 - start)), Math.Min(3, 10 - start));
        foreach (var m in new[] { one, pieces })
        {
            Assert.Equal(10, m.Count);
            Close.Equal(5.5, m.Mean[0], 1e-15);
            Close.Equal(8.25, m.Variance[0], 1e-15);
        }
    }

    private static byte[] Idx(IdxType type, int[] shape, IEnumerable<double> values) => IdxFile.ToBytes(type, shape, values.ToArray());

    private static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(raw);
        return output.ToArray();
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 4)]
    [InlineData(true, 1000)]
    public void An_idx_stream_reads_exactly_the_rows_of_IdxDataset(bool gzip, int batch)
    {
        using var folder = new TempFolder();
        int n = 37;
        var random = new Random(3);
        byte[] images = Idx(IdxType.UnsignedByte, new[] { n, 4, 5 }, Enumerable.Range(0, n * 20).Select(_ => (double)random.Next(256)));
        byte[] labels = Idx(IdxType.UnsignedByte, new[] { n }, Enumerable.Range(0, n).Select(_ => (double)random.Next(10)));
        string imagesPath = folder.File(gzip ? "train-images-idx3-ubyte.gz" : "train-images-idx3-ubyte");
        string labelsPath = folder.File(gzip ? "train-labels-idx1-ubyte.gz" : "train-labels-idx1-ubyte");
        File.WriteAllBytes(imagesPath, gzip ? Gzip(images) : images);
        File.WriteAllBytes(labelsPath, gzip ? Gzip(labels) : labels);
        string[] names = FashionMnist.Classes.ToArray();
        var memory = IdxDataset.Load("t", imagesPath, labelsPath, names);

        using var stream = IdxBatchStream.Open(imagesPath, labelsPath, batch, "t", classNames: names);
        Assert.Equal(memory.FeatureNames, stream.FeatureNames);
        Assert.Equal(names, stream.Classes);
        Assert.Equal(memory.ClassCounts().Select(c => (long)c), stream.ClassCounts);
        for (int pass = 0; pass < 2; pass++)
        {
            var (x, y, _, _) = ReadPass(stream);
            Assert.Equal(memory.Features, x);                                         // bit for bit: pixel · (1/255)
            Assert.Equal(memory.Labels, y);
        }
        Assert.Equal(labelsPath, DataStreams.LabelsBeside(imagesPath));
    }

    [Fact]
    public void Idx_labels_without_class_names_are_classes_in_numeric_order_and_a_test_file_maps_onto_them()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("a-images-idx3-ubyte"), Idx(IdxType.UnsignedByte, new[] { 4, 1, 2 }, new double[] { 0, 1, 2, 3, 4, 5, 6, 7 }));
        File.WriteAllBytes(folder.File("a-labels-idx1-ubyte"), Idx(IdxType.UnsignedByte, new[] { 4 }, new double[] { 9, 3, 12, 3 }));
        File.WriteAllBytes(folder.File("b-images-idx3-ubyte"), Idx(IdxType.UnsignedByte, new[] { 2, 1, 2 }, new double[] { 0, 1, 2, 3 }));
        File.WriteAllBytes(folder.File("b-labels-idx1-ubyte"), Idx(IdxType.UnsignedByte, new[] { 2 }, new double[] { 12, 5 }));
        using var train = IdxBatchStream.Open(folder.File("a-images-idx3-ubyte"), folder.File("a-labels-idx1-ubyte"), 3);
        Assert.Equal(new[] { "3", "9", "12" }, train.Classes);
        Assert.Equal(new[] { 1, 0, 2, 0 }, ReadPass(train).Y);
        Assert.Equal(new[] { "pixel_0_0", "pixel_0_1" }, train.FeatureNames);
        var e = Assert.Throws<DataFormatException>(() =>
            IdxBatchStream.Open(folder.File("b-images-idx3-ubyte"), folder.File("b-labels-idx1-ubyte"), 3, classes: train.Classes));
        Assert.Contains("b-labels-idx1-ubyte' row 1: label '5' is not one of the training classes (3, 9, 12)", e.Message);
    }

    [Fact]
    public void Idx_streams_make_IdxFile_s_checks()
    {
        using var folder = new TempFolder();
        byte[] images = Idx(IdxType.UnsignedByte, new[] { 3, 2, 2 }, Enumerable.Range(0, 12).Select(i => (double)i));
        File.WriteAllBytes(folder.File("i-images"), images);
        File.WriteAllBytes(folder.File("i-labels"), Idx(IdxType.UnsignedByte, new[] { 2 }, new double[] { 1, 0 }));
        File.WriteAllBytes(folder.File("t-images"), images[..^1]);
        File.WriteAllBytes(folder.File("t-labels"), Idx(IdxType.UnsignedByte, new[] { 3 }, new double[] { 1, 0, 11 }));
        File.WriteAllBytes(folder.File("g-labels"), Idx(IdxType.UnsignedByte, new[] { 3 }, new double[] { 1, 0, 1 }));
        File.WriteAllBytes(folder.File("x-images"), images.Append((byte)0).ToArray());
        string Message(string imagesFile, string labelsFile) => Assert.Throws<DataFormatException>(() =>
            IdxBatchStream.Open(folder.File(imagesFile), folder.File(labelsFile), 2, "t", classNames: new[] { "a", "b" })).Message;

        Assert.Contains("has 3 images but", Message("i-images", "i-labels"));
        Assert.Contains("is truncated: its header declares shape [3, 2, 2]", Message("t-images", "g-labels"));
        Assert.Contains("label 11 at row 2 is not a class index of t (0 to 1)", Message("i-images", "t-labels"));
        Assert.Contains("has 1 bytes after the 12 data bytes", Assert.Throws<DataFormatException>(() =>
            IdxBatchStream.Open(folder.File("x-images"), folder.File("t-labels"), 2, "t", classNames: Enumerable.Range(0, 12).Select(i => $"c{i}").ToArray())).Message);
        Assert.Contains("Is it a label file?", Message("i-labels", "i-labels"));
    }

    [Fact]
    public void Csv_stream_errors_name_the_line()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("train.csv"), "a,b,label\n1,2,x\n3,4,y\n");
        File.WriteAllText(folder.File("test.csv"), "a,b,label\n1,2,x\n\n3,4,z\n");
        File.WriteAllText(folder.File("bad.csv"), "a,b,label\n1,2,x\n3,4,y\n5,six,x\n");
        File.WriteAllText(folder.File("empty-label.csv"), "\na,b,label\n1,2,x\n3,4, \n");
        using var train = CsvBatchStream.Open(folder.File("train.csv"), 1);
        string Message(string file, string[]? classes = null) =>
            Assert.Throws<DataFormatException>(() => CsvBatchStream.Open(folder.File(file), 1, classes: classes)).Message;
        Assert.Contains("test.csv' line 4: label 'z' is not one of the training classes (x, y)", Message("test.csv", train.Classes));
        Assert.Contains("bad.csv' line 4, column 'b': 'six' is not a number", Message("bad.csv"));
        Assert.Contains("empty-label.csv' line 4: the label 'label' is empty", Message("empty-label.csv"));
    }

    [Fact]
    public void A_file_that_changes_between_passes_is_an_error()
    {
        using var folder = new TempFolder();
        string path = folder.File("d.csv");
        File.WriteAllText(path, "a,label\n1,x\n2,y\n3,x\n");
        using var stream = CsvBatchStream.Open(path, 2);
        File.AppendAllText(path, "4,y\n");
        var e = Assert.Throws<DataFormatException>(() => ReadPass(stream));
        Assert.Contains("changed while it was being read: the opening pass counted 3 rows and this pass found more", e.Message);
        File.WriteAllText(path, "a,label\n1,x\n");
        Assert.Contains("found fewer", Assert.Throws<DataFormatException>(() => ReadPass(stream)).Message);
    }

    [Fact]
    public void A_shuffle_buffer_hands_out_every_row_once_per_pass_in_a_seeded_order_that_changes_each_epoch()
    {
        using var folder = new TempFolder();
        string path = folder.File("d.csv");
        File.WriteAllLines(path, new[] { "i,label" }.Concat(Enumerable.Range(0, 50).Select(i => $"{i},{(i % 2 == 0 ? "even" : "odd")}")));
        List<double> Order(BatchStream s) => ReadPass(s, shuffle: true).X;
        using var a = CsvBatchStream.Open(path, 8, shuffleBuffer: 10, seed: 5);
        using var b = CsvBatchStream.Open(path, 8, shuffleBuffer: 10, seed: 5);
        using var other = CsvBatchStream.Open(path, 8, shuffleBuffer: 10, seed: 6);
        var first = Order(a);
        var second = Order(a);
        var all = Enumerable.Range(0, 50).Select(i => (double)i).ToList();
        Assert.Equal(all, first.Order());
        Assert.Equal(all, second.Order());
        Assert.NotEqual(all, first);
        Assert.NotEqual(first, second);
        Assert.Equal(first, Order(b));
        Assert.NotEqual(first, Order(other));
        // A buffer of B rows only mixes nearby rows: row i comes out at position ≥ i − B + 1 ... and never before it was read.
        Assert.All(first.Select((v, position) => (v, position)), p => Assert.True(p.position >= p.v - 10, $"row {p.v} at {p.position}"));
        // Labels travel with their rows; passes without shuffling stay in file order.
        var shuffled = ReadPass(a, shuffle: true);
        Assert.All(shuffled.X.Zip(shuffled.Y), p => Assert.Equal((int)p.First % 2 == 0 ? 0 : 1, p.Second));
        Assert.Equal(all, ReadPass(a).X);
    }

    [Fact]
    public void Labels_are_found_beside_the_images_by_mnist_naming()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("t10k-labels-idx1-ubyte"), "");
        File.WriteAllText(folder.File("train-labels.idx1-ubyte.gz"), "");
        Assert.Equal(folder.File("t10k-labels-idx1-ubyte"), DataStreams.LabelsBeside(folder.File("t10k-images-idx3-ubyte.gz")));
        Assert.Equal(folder.File("train-labels.idx1-ubyte.gz"), DataStreams.LabelsBeside(folder.File("train-images.idx3-ubyte")));
        Assert.Contains("looked for mine-labels-idx1-ubyte[.gz]", Assert.Throws<DataFormatException>(() => DataStreams.LabelsBeside(folder.File("mine-images-idx3-ubyte"))).Message);
        Assert.Contains("It looks like a label file", Assert.Throws<DataFormatException>(() => DataStreams.LabelsBeside(folder.File("t10k-labels-idx1-ubyte"))).Message);
    }
}
