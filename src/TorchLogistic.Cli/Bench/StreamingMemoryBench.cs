using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using TorchLogistic.Data;

namespace TorchLogistic.Cli.Bench;

/// <summary>
/// The streaming memory benchmark: peak memory of <c>torchlogistic train --stream</c> on Fashion-MNIST repeated 10×
/// (600 000 rows) must be within <see cref="target_ratio"/> of the same run on the 60 000 original rows — memory must
/// not grow with the number of rows. Writes both training sets as uncompressed IDX pairs to a temporary folder (the
/// 10× one by copying the original data ten times over, a block at a time), runs the real executable as a child process
/// on each with identical settings (adagrad, lr 0.1, batch 32, file order, test rows: the official t10k files), reads each
/// run's <c>peak_memory_bytes</c> (the child's <c>VmHWM</c>) from its metrics.json, prints a table and the ratio, and
/// deletes its files.
/// </summary>
public static class StreamingMemoryBench
{
    /// <summary>The target: peak memory of the 10× run at most 1.2 times that of the 1× run.</summary>
    public const double target_ratio = 1.2;

    /// <summary>How many times the 10× training set repeats the original rows.</summary>
    public const int repeats = 10;

    /// <summary>Runs the benchmark and prints its table to <paramref name="output"/>.</summary>
    /// <param name="output">Where the table goes.</param>
    /// <param name="data_dir">Folder of Fashion-MNIST's four IDX files; null means <see cref="FashionMnist.default_directory"/>.</param>
    /// <param name="epochs">Epochs of each run, ≥ 1.</param>
    /// <param name="cancellation">Stops the benchmark (the running child is killed; the temporary files are deleted).</param>
    /// <returns>0 when the ratio is within <see cref="target_ratio"/>, 1 otherwise (or when a run failed or reported no peak).</returns>
    public static int run(TextWriter output, string? data_dir, int epochs, CancellationToken cancellation)
    {
        if (epochs < 1) throw new ArgumentException($"--epochs {epochs} must be ≥ 1.");
        string[] files = FashionMnist.files(data_dir);
        string folder = Path.Combine(Path.GetTempPath(), $"torchlogistic-stream-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var runs = new List<Run>();
            foreach (int times in new[] { 1, repeats })
            {
                string dir = Path.Combine(folder, $"x{times}");
                Directory.CreateDirectory(dir);
                string images = Path.Combine(dir, "train-images-idx3-ubyte");
                repeat(files[0], images, times, cancellation);
                repeat(files[1], Path.Combine(dir, "train-labels-idx1-ubyte"), times, cancellation);
                var result = train(images, files[2], epochs, Path.Combine(dir, "run"), output, cancellation);
                File.Delete(images);
                if (result == null) return 1;
                runs.Add(result);
            }
            return report(output, runs, epochs);
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>One run's numbers.</summary>
    private sealed record Run(long rows, double seconds, double fit_seconds, long? peak_bytes, double test_accuracy);

    private static int report(TextWriter output, List<Run> runs, int epochs)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine("Streaming memory: torchlogistic train --stream on Fashion-MNIST (adagrad, lr 0.1, batch 32, file order)");
        output.WriteLine(string.Create(c, $"{"rows",9} {"epochs",7} {"seconds",9} {"s/epoch",8} {"peak MiB",9} {"test accuracy",14}"));
        foreach (var r in runs)
        {
            string peak = r.peak_bytes is { } p ? (p / 1048576.0).ToString("F1", c) : "n/a";
            output.WriteLine(string.Create(c, $"{r.rows,9} {epochs,7} {r.seconds,9:F1} {r.fit_seconds / epochs,8:F1} {peak,9} {r.test_accuracy,14:F4}"));
        }
        if (runs[0].peak_bytes is not { } small || runs[1].peak_bytes is not { } large)
        {
            output.WriteLine("peak memory is not available on this system (/proc/self/status); the target cannot be checked.");
            return 1;
        }
        double ratio = (double)large / small;
        bool ok = ratio <= target_ratio;
        output.WriteLine(string.Create(c, $"peak memory {repeats}×/1×: {ratio:F3} (target ≤ {target_ratio:F1}): {(ok ? "met" : "NOT met")}"));
        return ok ? 0 : 1;
    }

    /// <summary>Runs <c>torchlogistic train --stream</c> on the pair at <paramref name="images"/>; null when it failed.</summary>
    private static Run? train(string images, string test_images, int epochs, string out_dir, TextWriter output, CancellationToken cancellation)
    {
        var info = child_process();
        foreach (string a in new[]
                 {
                     "train", "--stream", "--data", images, "--test-data", test_images, "--solver", "adagrad", "--lr", "0.1", "--batch-size", "32",
                     "--epochs", epochs.ToString(CultureInfo.InvariantCulture), "--quiet", "--out", out_dir,
                 })
            info.ArgumentList.Add(a);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellation);
        var stderr = process.StandardError.ReadToEndAsync(cancellation);
        try
        {
            process.WaitForExitAsync(cancellation).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        double seconds = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            output.WriteLine($"torchlogistic train --stream on '{images}' failed (exit {process.ExitCode}): {stderr.Result.Trim()}{stdout.Result.Trim()}");
            return null;
        }
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(out_dir, "metrics.json")))!;
        return new Run((long)metrics["n_train"]!, seconds, (double)metrics["fit_seconds"]!, (long?)metrics["peak_memory_bytes"],
            (double)metrics["test"]!["accuracy"]!);
    }

    /// <summary>
    /// The same executable as this process: the <c>torchlogistic</c> app host when it runs as one, else <c>dotnet</c>
    /// with this assembly (torchlogistic.dll).
    /// </summary>
    private static ProcessStartInfo child_process()
    {
        string? self = Environment.ProcessPath;
        if (self != null && Path.GetFileNameWithoutExtension(self) == "torchlogistic") return new ProcessStartInfo(self);
        string dotnet = self != null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        var info = new ProcessStartInfo(dotnet);
        info.ArgumentList.Add(typeof(StreamingMemoryBench).Assembly.Location);
        return info;
    }

    /// <summary>
    /// Writes the IDX file <paramref name="source"/> (raw or gzip) to <paramref name="destination"/>, uncompressed, with its
    /// elements repeated <paramref name="times"/> times along the first dimension — a block at a time, never the whole array.
    /// </summary>
    private static void repeat(string source, string destination, int times, CancellationToken cancellation)
    {
        int[] shape;
        long bytes;
        IdxType type;
        using (var probe = IdxReader.open(source))
        {
            shape = probe.shape;
            bytes = probe.data_bytes;
            type = probe.type;
        }
        using var file = File.Create(destination);
        var header = new byte[4 + 4 * shape.Length];
        header[2] = (byte)type;
        header[3] = (byte)shape.Length;
        for (int i = 0; i < shape.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), i == 0 ? checked(shape[0] * times) : shape[i]);
        file.Write(header);
        var block = new byte[1 << 20];
        for (int t = 0; t < times; t++)
        {
            cancellation.ThrowIfCancellationRequested();
            using var reader = IdxReader.open(source);
            for (long done = 0; done < bytes;)
            {
                int n = (int)Math.Min(block.Length, bytes - done);
                reader.read(block.AsSpan(0, n));
                file.Write(block, 0, n);
                done += n;
            }
        }
    }
}
