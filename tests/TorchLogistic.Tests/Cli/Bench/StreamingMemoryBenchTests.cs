using System.Globalization;
using System.IO.Compression;
using TorchLogistic.Cli.Bench;
using TorchLogistic.Data;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Bench;

public class StreamingMemoryBenchTests
{
    private static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(raw);
        return output.ToArray();
    }

    [Fact]
    public void The_benchmark_runs_the_executable_on_1x_and_10x_and_checks_the_ratio_it_prints()
    {
        // A small stand-in for Fashion-MNIST (300 training and 60 test images of 28×28), so the whole path runs in seconds.
        using var folder = new TempFolder();
        var random = new Random(1);
        void Pair(string prefix, int n)
        {
            var labels = Enumerable.Range(0, n).Select(i => (double)(i % 10)).ToArray();
            var pixels = Enumerable.Range(0, n * 784).Select(p => (double)((p % 784) / 78 == (int)labels[p / 784] ? 200 : random.Next(60))).ToArray();
            File.WriteAllBytes(folder.File($"{prefix}-images-idx3-ubyte.gz"), Gzip(IdxFile.ToBytes(IdxType.UnsignedByte, new[] { n, 28, 28 }, pixels)));
            File.WriteAllBytes(folder.File($"{prefix}-labels-idx1-ubyte"), IdxFile.ToBytes(IdxType.UnsignedByte, new[] { n }, labels));
        }
        Pair("train", 300);
        Pair("t10k", 60);
        var before = Directory.GetDirectories(Path.GetTempPath(), "torchlogistic-stream-bench-*").ToHashSet();

        var output = new StringWriter();
        int status = StreamingMemoryBench.Run(output, folder.Path, epochs: 1, CancellationToken.None);

        string text = output.ToString();
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.TrimStart().StartsWith("300 ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.TrimStart().StartsWith("3000 ", StringComparison.Ordinal));
        string summary = Assert.Single(lines, l => l.StartsWith("peak memory 10×/1×: ", StringComparison.Ordinal));
        double ratio = double.Parse(summary.Split(' ')[3], CultureInfo.InvariantCulture);
        Assert.InRange(ratio, 0.5, 2.0);
        Assert.Equal(ratio <= StreamingMemoryBench.TargetRatio ? 0 : 1, status);
        Assert.Equal(before, Directory.GetDirectories(Path.GetTempPath(), "torchlogistic-stream-bench-*").ToHashSet());
    }
}
