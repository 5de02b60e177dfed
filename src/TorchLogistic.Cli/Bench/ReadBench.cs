using System.Diagnostics;
using System.Globalization;
using System.Text;
using TorchLogistic.Data;
using TorchLogistic.Performance;
using TorchLogistic.Sparse;

namespace TorchLogistic.Cli.Bench;

/// <summary>
/// <c>torchlogistic bench --problem read</c>: file reading against LIBLINEAR, in one run. Fashion-MNIST binary (the
/// 60,000 training rows, pixels / 255, labels ±1) is written once as LIBSVM (as the LIBLINEAR peer writes it) and as
/// CSV (header, then 784 values and the label per row), both in round-trip form. Timed, best of
/// <c>repeats</c> each: LIBLINEAR's read — <c>liblinear-train -s 0 -B -1 -e 1e9 -q</c> from its start until it closes the
/// data file (<see cref="LiblinearPeerProcess"/> polls <c>/proc</c>; its whole run, which also evaluates one gradient
/// and writes the model, is printed beside it) — then ours in this process
/// after a warm-up: <see cref="LibSvmFile.Load"/>, <see cref="CsvDataset.Load"/> and <see cref="TabularCsv.Load"/>
/// (what <c>train</c> runs on a CSV), and once each the line-by-line readers they fall back to (the readers before
/// the parallel path). Throughput is the file's MB per second; the target is ours ≥ 3× LIBLINEAR's MB/s on each
/// format (stricter for CSV than the time ratio: the CSV of the same rows is half the bytes). Every fast read is
/// checked bit for bit against the line-by-line read of the same file.
/// </summary>
public static class ReadBench
{
    /// <summary>The problem's name for <c>--problem</c>.</summary>
    public const string Name = "read";

    /// <summary>The target: our MB/s over LIBLINEAR's.</summary>
    public const double TargetRatio = 3;

    /// <summary>Runs the benchmark and prints its numbers; exit status 0, or 1 when a fast read differs from the line-by-line read.</summary>
    /// <param name="output">Where the numbers go.</param>
    /// <param name="dataDir">Folder of Fashion-MNIST's IDX files, or null for the default.</param>
    /// <param name="repeats">Timings of each reader (the fastest is reported).</param>
    /// <param name="liblinearTimeout">Seconds after which a liblinear-train run is stopped.</param>
    /// <param name="cancellation">Stops between steps.</param>
    public static int Run(TextWriter output, string? dataDir, int repeats, double liblinearTimeout, CancellationToken cancellation)
    {
        var problem = BenchmarkProblem.Load(BenchmarkProblem.BinaryFashionMnist, 1.0, dataDir);
        var data = problem.Data;
        string folder = Path.Combine(Path.GetTempPath(), $"torchlogistic-read-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string svm = Path.Combine(folder, "train.svm"), csv = Path.Combine(folder, "train.csv");
            var clock = Stopwatch.StartNew();
            var labels = data.Labels.Select(l => l == 1 ? "+1" : "-1").ToArray();
            using (var writer = new StreamWriter(svm, false, new UTF8Encoding(false), 1 << 20))
                LibSvmFile.Write(writer, CsrMatrix.FromDense(data.Features, data.SampleCount, data.FeatureCount), labels);
            WriteCsv(csv, data, labels);
            double svmMb = new FileInfo(svm).Length / 1e6, csvMb = new FileInfo(csv).Length / 1e6;
            output.WriteLine(Inv($"data       {BenchmarkProblem.BinaryFashionMnist}: {data.SampleCount:N0} rows × {data.FeatureCount} features; LIBSVM {svmMb:F0} MB, CSV {csvMb:F0} MB, written in {clock.Elapsed.TotalSeconds:F1} s"));
            output.WriteLine(Inv($"machine    {Environment.ProcessorCount} cores, load average {LoadAverage()}; parsing threads {Environment.ProcessorCount}; best of {repeats}"));
            WarmUp(folder, svm, csv);
            cancellation.ThrowIfCancellationRequested();

            double? liblinear = null;
            string? unavailable = LiblinearPeer.UnavailableReason();
            if (unavailable == null)
            {
                string model = Path.Combine(folder, "model");
                double wall = double.PositiveInfinity, observed = double.PositiveInfinity;
                for (int r = 0; r < repeats; r++)
                {
                    var run = LiblinearPeerProcess.Run(LiblinearPeer.DefaultTrain, new[] { "-s", "0", "-c", "1", "-B", "-1", "-e", "1e9", "-q", svm, model }, svm,
                        TimeSpan.FromSeconds(liblinearTimeout), cancellation);
                    wall = Math.Min(wall, run.WallSeconds);
                    observed = Math.Min(observed, run.ReadSeconds ?? run.WallSeconds);
                }
                liblinear = observed;
                output.WriteLine(Inv($"liblinear  read {observed:F2} s = {svmMb / observed:F0} MB/s on the LIBSVM file: liblinear-train -s 0 -B -1 -e 1e9 -q from its start until it closed the file (/proc polled every ms); its whole run (read, one gradient, model written) {wall:F2} s = {svmMb / wall:F0} MB/s"));
            }
            else output.WriteLine($"liblinear  skipped: {unavailable}");
            double liblinearMbs = liblinear is double l ? svmMb / l : double.NaN;

            SparseDataset? sparse = null;
            Dataset? dense = null, tabular = null;
            double svmFast = Best(repeats, () => sparse = LibSvmFile.Load(svm));
            double csvFast = Best(repeats, () => dense = CsvDataset.Load(csv));
            double tabularFast = Best(repeats, () => tabular = TabularCsv.Load(csv));
            cancellation.ThrowIfCancellationRequested();
            SparseDataset? sparseLine = null;
            Dataset? denseLine = null;
            double svmLine = Best(1, () =>
            {
                using var reader = new StreamReader(svm, Encoding.UTF8);
                sparseLine = LibSvmFile.Read(reader, svm);
            });
            double csvLine = Best(1, () =>
            {
                using var reader = new StreamReader(csv, Encoding.UTF8);
                denseLine = CsvDataset.Read(reader, csv);
            });
            double tabularLine = Best(1, () =>
            {
                using var reader = new StreamReader(csv, Encoding.UTF8);
                TabularTable.Read(reader, csv);
            });

            output.WriteLine("reader                              file       s    MB/s  ×LIBLINEAR  target ≥ 3×");
            void Row(string name, bool isSvm, double seconds, bool target)
            {
                double mb = isSvm ? svmMb : csvMb, ratio = mb / seconds / liblinearMbs;
                string verdict = !target ? "" : double.IsNaN(ratio) ? "n/a" : ratio >= TargetRatio ? "PASS" : "MISS";
                output.WriteLine(Inv($"{name,-34} {(isSvm ? "LIBSVM" : "CSV"),-6} {seconds,7:F2} {mb / seconds,7:F0} {ratio,10:F2}  {verdict}"));
            }
            if (liblinear is double ll) Row("liblinear-train", true, ll, false);
            Row("LibSvmFile.Load (parallel)", true, svmFast, true);
            Row("CsvDataset.Load (parallel)", false, csvFast, true);
            Row("TabularCsv.Load (train's CSV path)", false, tabularFast, true);
            Row("LibSvmFile.Read (line by line)", true, svmLine, false);
            Row("CsvDataset.Read (line by line)", false, csvLine, false);
            Row("TabularTable.Read (line by line)", false, tabularLine, false);

            bool sameSparse = sparse!.Features.RowPointers.AsSpan().SequenceEqual(sparseLine!.Features.RowPointers)
                && sparse.Features.ColumnIndices.AsSpan().SequenceEqual(sparseLine.Features.ColumnIndices)
                && Bits(sparse.Features.Values).SequenceEqual(Bits(sparseLine.Features.Values))
                && sparse.Labels.AsSpan().SequenceEqual(sparseLine.Labels) && sparse.Classes.SequenceEqual(sparseLine.Classes);
            bool sameDense = Bits(dense!.Features).SequenceEqual(Bits(denseLine!.Features)) && dense.Labels.AsSpan().SequenceEqual(denseLine.Labels)
                && Bits(dense.Features).SequenceEqual(Bits(data.Features));
            bool sameTabular = Bits(tabular!.Features).SequenceEqual(Bits(data.Features)) && tabular.Labels.AsSpan().SequenceEqual(dense.Labels);
            output.WriteLine($"check      LIBSVM parallel = line by line bit for bit: {Yes(sameSparse)}; CSV parallel = line by line = the IDX pixels: {Yes(sameDense)}; tabular = the IDX pixels: {Yes(sameTabular)}");
            return sameSparse && sameDense && sameTabular ? 0 : 1;
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static void WriteCsv(string path, Dataset data, string[] labels)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write(string.Join(",", data.FeatureNames));
        writer.Write(",label\n");
        var line = new StringBuilder();
        for (int i = 0; i < data.SampleCount; i++)
        {
            line.Clear();
            for (int j = 0; j < data.FeatureCount; j++)
                line.Append(data.Features[(long)i * data.FeatureCount + j].ToString("R", CultureInfo.InvariantCulture)).Append(',');
            writer.Write(line.Append(labels[i]).Append('\n'));
        }
    }

    /// <summary>Compiles every reader on the first 2,000 rows of each file, so that the timings hold no JIT.</summary>
    private static void WarmUp(string folder, string svm, string csv)
    {
        string smallSvm = Path.Combine(folder, "warm.svm"), smallCsv = Path.Combine(folder, "warm.csv");
        File.WriteAllLines(smallSvm, File.ReadLines(svm).Take(2000));
        File.WriteAllLines(smallCsv, File.ReadLines(csv).Take(2001));
        LibSvmFile.Load(smallSvm);
        CsvDataset.Load(smallCsv);
        TabularCsv.Load(smallCsv);
    }

    private static double Best(int repeats, Action read)
    {
        double best = double.PositiveInfinity;
        for (int r = 0; r < repeats; r++)
        {
            GC.Collect();
            var clock = Stopwatch.StartNew();
            read();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return best;
    }

    private static ReadOnlySpan<long> Bits(double[] values) => System.Runtime.InteropServices.MemoryMarshal.Cast<double, long>(values.AsSpan());

    private static string Yes(bool ok) => ok ? "yes" : "NO";

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
