using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using TorchLogistic.Data;

namespace TorchLogistic.Cli.Bench;

/// <summary>
/// The streaming memory benchmark: peak memory of <c>torchlogistic train --stream</c> on Fashion-MNIST repeated 10×
/// (600 000 rows) must be within <see cref="TargetRatio"/> of the same run on the 60 000 original rows — memory must
/// not grow with the number of rows. Writes both training sets as uncompressed IDX pairs to a temporary folder (the
/// 10× one by copying the original data ten times over, a block at a time), runs the real executable as a child process
/// on each with identical settings (adagrad, lr 0.1, batch 32, file order, test rows: the official t10k files), reads each
/// run's <c>peak_memory_bytes</c> (the child's <c>VmHWM</c>) from its metrics.json, prints a table and the ratio, and
/// deletes its files.
/// </summary>
public static class StreamingMemoryBench
{
    /// <summary>The target: peak memory of the 10× run at most 1.2 times that of the 1× run.</summary>
    public const double TargetRatio = 1.2;

    /// <summary>How many times the 10× training set repeats the original rows.</summary>
    public const int Repeats = 10;

    /// <summary>Runs the benchmark and prints its table to <paramref name="output"/>.</summary>
    /// <param name="output">Where the table goes.</param>
    /// <param name="dataDir">Folder of Fashion-MNIST's four IDX files; null means <see cref="FashionMnist.DefaultDirectory"/>.</param>
    /// <param name="epochs">Epochs of each run, ≥ 1.</param>
    /// <param name="cancellation">Stops the benchmark (the running child is killed; the temporary files are deleted).</param>
    /// <returns>0 when the ratio is within <see cref="TargetRatio"/>, 1 otherwise (or when a run failed or reported no peak).</returns>
    public static int Run(TextWriter output, string? dataDir, int epochs, CancellationToken cancellation)
    {
        if (epochs < 1) throw new ArgumentException($"--epochs {epochs} must be ≥ 1.");
        string[] files = FashionMnist.Files(dataDir);
        string folder = Path.Combine(Path.GetTempPath(), $"torchlogistic-stream-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var runs = new List<global::TorchLogistic.Cli.Bench.StreamingMemoryBench.RunNumbers>();
            foreach (int times in new[] { 1, Repeats })
            {
                string dir = Path.Combine(folder, $"x{times}");
                Directory.CreateDirectory(dir);
                string images = Path.Combine(dir, "train-images-idx3-ubyte");
                Repeat(files[0], images, times, cancellation);
                Repeat(files[1], Path.Combine(dir, "train-labels-idx1-ubyte"), times, cancellation);
                var result = Train(images, files[2], epochs, Path.Combine(dir, "run"), output, cancellation);
                File.Delete(images);
                if (result == null) return 1;
                runs.Add(result);
            }
            return Report(output, runs, epochs);
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>One run's numbers.</summary>
    private sealed record RunNumbers(long Rows, double Seconds, double FitSeconds, long? PeakBytes, double TestAccuracy);

    private static int Report(TextWriter output, List<global::TorchLogistic.Cli.Bench.StreamingMemoryBench.RunNumbers> runs, int epochs)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine("Streaming memory: torchlogistic train --stream on Fashion-MNIST (adagrad, lr 0.1, batch 32, file order)");
        output.WriteLine(string.Create(c, $"{"rows",9} {"epochs",7} {"seconds",9} {"s/epoch",8} {"peak MiB",9} {"test accuracy",14}"));
        foreach (var r in runs)
        {
            string peak = r.PeakBytes is { } p ? (p / 1048576.0).ToString("F1", c) : "n/a";
            output.WriteLine(string.Create(c, $"{r.Rows,9} {epochs,7} {r.Seconds,9:F1} {r.FitSeconds / epochs,8:F1} {peak,9} {r.TestAccuracy,14:F4}"));
        }
        if (runs[0].PeakBytes is not { } small || runs[1].PeakBytes is not { } large)
        {
            output.WriteLine("peak memory is not available on this system (/proc/self/status); the target cannot be checked.");
            return 1;
        }
        double ratio = (double)large / small;
        bool ok = ratio <= TargetRatio;
        output.WriteLine(string.Create(c, $"peak memory {Repeats}×/1×: {ratio:F3} (target ≤ {TargetRatio:F1}): {(ok ? "met" : "NOT met")}"));
        return ok ? 0 : 1;
    }

    /// <summary>Runs <c>torchlogistic train --stream</c> on the pair at <paramref name="images"/>; null when it failed.</summary>
    private static global::TorchLogistic.Cli.Bench.StreamingMemoryBench.RunNumbers? Train(string images, string testImages, int epochs, string outDir, TextWriter output, CancellationToken cancellation)
    {
        var info = ChildProcess();
        foreach (string a in new[]
                 {
                     "train", "--stream", "--data", images, "--test-data", testImages, "--solver", "adagrad", "--lr", "0.1", "--batch-size", "32",
                     "--epochs", epochs.ToString(CultureInfo.InvariantCulture), "--quiet", "--out", outDir,
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
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")))!;
        return new global::TorchLogistic.Cli.Bench.StreamingMemoryBench.RunNumbers((long)metrics["n_train"]!, seconds, (double)metrics["fit_seconds"]!, (long?)metrics["peak_memory_bytes"],
            (double)metrics["test"]!["accuracy"]!);
    }

    /// <summary>
    /// The same executable as this process: the <c>torchlogistic</c> app host when it runs as one, else <c>dotnet</c>
    /// with this assembly (torchlogistic.dll).
    /// </summary>
    private static ProcessStartInfo ChildProcess()
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
    private static void Repeat(string source, string destination, int times, CancellationToken cancellation)
    {
        int[] shape;
        long bytes;
        IdxType type;
        using (var probe = IdxReader.Open(source))
        {
            shape = probe.Shape;
            bytes = probe.DataBytes;
            type = probe.Type;
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
            using var reader = IdxReader.Open(source);
            for (long done = 0; done < bytes;)
            {
                int n = (int)Math.Min(block.Length, bytes - done);
                reader.Read(block.AsSpan(0, n));
                file.Write(block, 0, n);
                done += n;
            }
        }
    }
}
