using System.Globalization;
using System.Text.Json.Nodes;
using TorchLogistic.Data;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Cli;

[Collection(TwoLaneCollections.ChildProcesses)]
public class StreamCommandTests
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Rows of breast cancer as a CSV: every <paramref name="every"/>-th row from <paramref name="first"/>.</summary>
    private static void WriteCsv(string path, int first, int every)
    {
        var data = BuiltinDatasets.Load("breast-cancer");
        var lines = new List<string> { string.Join(",", data.FeatureNames.Append("diagnosis")) };
        for (int i = first; i < data.SampleCount; i += every)
            lines.Add(string.Join(",", Enumerable.Range(0, data.FeatureCount).Select(j => data[i, j].ToString("R", C)).Append(data.Classes[data.Labels[i]])));
        File.WriteAllLines(path, lines);
    }

    [Fact]
    public void Train_stream_writes_model_and_metrics_and_its_test_accuracy_is_that_of_predict()
    {
        using var folder = new TempFolder();
        string train = folder.File("train.csv"), test = folder.File("test.csv"), outDir = folder.File("run");
        WriteCsv(train, 1, 1);
        File.WriteAllLines(train, File.ReadAllLines(train).Where((_, i) => i == 0 || i % 4 != 0));
        WriteCsv(test, 3, 4);
        var run = CliProcess.Run("train", "--stream", "--data", train, "--test-data", test, "--standardize", "--solver", "adagrad", "--lr", "0.3",
            "--epochs", "4", "--batch-size", "16", "--out", outDir);
        Assert.True(run.ExitCode == 0, run.Stderr);

        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")))!.AsObject();
        int nTrain = File.ReadAllLines(train).Length - 1, nTest = File.ReadAllLines(test).Length - 1;
        Assert.Equal(nTrain, (int)metrics["n_train"]!);
        Assert.Equal(nTest, (int)metrics["n_test"]!);
        Assert.Equal("adagrad", (string)metrics["solver"]!);
        Assert.Equal(4, (int)metrics["iterations"]!);
        Assert.Equal(5, metrics["history"]!.AsArray().Count);
        Assert.NotNull(metrics["history"]![4]!["test_loss"]);
        Assert.Equal(16, (int)metrics["streaming"]!["batch_size"]!);
        Assert.Equal((nTrain + 15) / 16, (int)metrics["streaming"]!["batches_per_epoch"]!);
        Assert.Equal("file order", (string)metrics["streaming"]!["order"]!);
        Assert.True((long)metrics["peak_memory_bytes"]! > 50_000_000, "peak memory counts the runtime and libtorch");
        double accuracy = (double)metrics["test"]!["accuracy"]!;
        Assert.True(accuracy > 0.9, $"test accuracy {accuracy}");
        Assert.True(File.Exists(Path.Combine(outDir, "loss.png")) && File.Exists(Path.Combine(outDir, "confusion.png")));

        // predict reads model.bin (with its scaler): its labels agree with the test accuracy the streaming pass reported.
        string predictions = folder.File("p.csv");
        var predict = CliProcess.Run("predict", "--model", Path.Combine(outDir, "model.bin"), "--data", test, "--out", predictions);
        Assert.True(predict.ExitCode == 0, predict.Stderr);
        var truth = File.ReadAllLines(test).Skip(1).Select(l => l.Split(',')[^1]).ToArray();
        var predicted = File.ReadAllLines(predictions).Skip(1).Select(l => l.Split(',')[^1]).ToArray();
        Assert.Equal(accuracy, (double)truth.Zip(predicted).Count(p => p.First == p.Second) / truth.Length, 15);
    }

    [Fact]
    public void Train_stream_reads_a_gzipped_libsvm_file_and_its_libsvm_test_file_and_predict_agrees()
    {
        using var folder = new TempFolder();
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "libsvm", "binary.svm"));
        string train = folder.File("train.svm.gz"), test = folder.File("test.svm"), outDir = folder.File("run");
        using (var gz = new System.IO.Compression.GZipStream(File.Create(train), System.IO.Compression.CompressionLevel.Fastest))
            gz.Write(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", lines.Take(300)) + "\n"));
        File.WriteAllLines(test, lines.Skip(300));
        var run = CliProcess.Run("train", "--stream", "--data", train, "--test-data", test, "--standardize", "--lr", "0.1",
            "--epochs", "5", "--batch-size", "20", "--quiet", "--out", outDir);
        Assert.True(run.ExitCode == 0, run.Stderr);

        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")))!.AsObject();
        var memory = LibSvmFile.Load(train);
        Assert.Equal(300, (int)metrics["n_train"]!);
        Assert.Equal(100, (int)metrics["n_test"]!);
        Assert.Equal(memory.FeatureCount, (int)metrics["n_features"]!);
        Assert.Equal(memory.Classes, metrics["classes"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(15, (int)metrics["streaming"]!["batches_per_epoch"]!);
        double accuracy = (double)metrics["test"]!["accuracy"]!;
        Assert.True(accuracy > 0.7, $"test accuracy {accuracy}");

        // predict reads the LIBSVM test file with the model's d features: its labels give the accuracy the stream reported.
        string predictions = folder.File("p.csv");
        var predict = CliProcess.Run("predict", "--model", Path.Combine(outDir, "model.bin"), "--data", test, "--out", predictions);
        Assert.True(predict.ExitCode == 0, predict.Stderr);
        var truth = LibSvmFile.Load(test, memory.FeatureCount, memory.Classes);
        var predicted = File.ReadAllLines(predictions).Skip(1).Select(l => l.Split(',')[^1]).ToArray();
        Assert.Equal(accuracy, (double)Enumerable.Range(0, truth.SampleCount).Count(i => truth.Classes[truth.Labels[i]] == predicted[i]) / truth.SampleCount, 15);
    }

    [Fact]
    public void Train_stream_reads_an_idx_pair_named_by_its_image_file()
    {
        using var folder = new TempFolder();
        var random = new Random(7);
        void Pair(string prefix, int n)
        {
            // Class 1 images are bright, class 0 dark: separable.
            var labels = Enumerable.Range(0, n).Select(i => (double)(i % 2)).ToArray();
            var pixels = Enumerable.Range(0, n * 9).Select(p => (double)(labels[p / 9] == 1 ? 150 + random.Next(100) : random.Next(100))).ToArray();
            File.WriteAllBytes(folder.File($"{prefix}-images-idx3-ubyte"), IdxFile.ToBytes(IdxType.UnsignedByte, new[] { n, 3, 3 }, pixels));
            File.WriteAllBytes(folder.File($"{prefix}-labels-idx1-ubyte"), IdxFile.ToBytes(IdxType.UnsignedByte, new[] { n }, labels));
        }
        Pair("train", 200);
        Pair("test", 50);
        string outDir = folder.File("run");
        var run = CliProcess.Run("train", "--stream", "--data", folder.File("train-images-idx3-ubyte"), "--test-data", folder.File("test-images-idx3-ubyte"),
            "--lr", "0.5", "--epochs", "5", "--shuffle-buffer", "64", "--seed", "3", "--quiet", "--out", outDir);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")))!.AsObject();
        Assert.Equal(new[] { "0", "1" }, metrics["classes"]!.AsArray().Select(c => (string)c!));
        Assert.Equal("logistic", (string)metrics["model"]!);
        Assert.Equal("pixel_2_2", (string)metrics["feature_names"]![8]!);
        Assert.Equal("shuffle buffer of 64 rows, seed 3", (string)metrics["streaming"]!["order"]!);
        double accuracy = (double)metrics["test"]!["accuracy"]!;
        Assert.True(accuracy >= 0.96, $"test accuracy {accuracy}");
    }

    [Fact]
    public void In_memory_training_reports_its_peak_memory_too()
    {
        using var folder = new TempFolder();
        var run = CliProcess.Run("train", "--data", "iris", "--quiet", "--out", folder.Path);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var metrics = JsonNode.Parse(File.ReadAllText(folder.File("metrics.json")))!;
        Assert.True((long)metrics["peak_memory_bytes"]! > 50_000_000);
    }
}
