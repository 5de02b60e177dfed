using System.Diagnostics;
using System.Globalization;
using System.Text;
using TorchLogistic.Data;

namespace TorchLogistic.Performance;

/// <summary>
/// LIBLINEAR's <c>liblinear-train -s 0</c> (L2-regularised logistic regression by its trust-region Newton method,
/// one thread) on a binary benchmark problem without intercept (<c>-B -1</c>), C as the problem's: LIBLINEAR
/// minimises <c>½‖w‖² + C Σᵢ log(1 + e^(−yᵢ wᵀxᵢ))</c>, which is C·m times our F, so both have the same optimum.
/// One run, timed from inside (<see cref="LiblinearPeerProcess"/>): its reading ends when the data file is closed
/// (polled in <c>/proc</c>), and each Newton trial step's line is stamped as it arrives; F after each step is rebuilt
/// from F at the final model (ours, float64, <see cref="BenchmarkProblem.ExactValue"/>) and the printed decreases
/// (<see cref="LiblinearPeerTrace"/>), so its time to the target is the arrival of the first line after which F is
/// within it, minus the end of reading. The stopping tolerance only decides where it stops (the iterates do not depend
/// on it: its CG stops at 0.1‖g‖), so the run uses <see cref="FirstEpsilon"/> and is repeated 100× tighter only when its
/// final F misses the target. As a cross-check of the old method, two read-only runs (<c>-e 1e9</c>: read, F and ∇F at
/// w = 0, model written), one before and one after, are timed by their wall time; the old estimate of the whole solve
/// is the timed run's wall time minus their mean. The same file is then read by <see cref="LibSvmFile.Load"/> (ours),
/// timed, and checked to hold the same rows.
/// </summary>
public static class LiblinearPeer
{
    /// <summary>Debian's <c>liblinear-tools</c> executable.</summary>
    public const string DefaultTrain = "/usr/bin/liblinear-train";

    /// <summary>The first run's <c>-e</c>: on Fashion-MNIST binary -e 1e-4 stops at 1.3e-6 above F*, 1e-5 well within 1e-6.</summary>
    public const double FirstEpsilon = 1e-5;

    /// <summary>Timed runs at most (each 100× tighter than the last) before LIBLINEAR is reported as not reaching the target.</summary>
    public const int MaxRuns = 3;

    /// <summary>Why the peer cannot run here, or null.</summary>
    public static string? UnavailableReason(string train = DefaultTrain) =>
        File.Exists(train) ? null : $"{train} does not exist (apt-get install liblinear-tools)";

    /// <summary>Runs LIBLINEAR on <paramref name="problem"/> (binary, no intercept) until its F is at most <paramref name="target"/>.</summary>
    /// <param name="problem">A binary problem without intercept.</param>
    /// <param name="target">The value of F to reach.</param>
    /// <param name="capSeconds">No tighter run is started once the runs' total wall time passes this.</param>
    /// <param name="train">The liblinear-train executable.</param>
    /// <param name="cancellation">Kills a run.</param>
    /// <param name="firstEpsilon">The first run's <c>-e</c>.</param>
    public static LiblinearPeerResult Run(BenchmarkProblem problem, double target, double capSeconds = 900, string train = DefaultTrain,
        CancellationToken cancellation = default, double firstEpsilon = FirstEpsilon)
    {
        if (problem.OutputCount != 1 || problem.FitIntercept)
            throw new ArgumentException($"The LIBLINEAR peer compares binary problems without intercept (-B -1); {problem.Name} is not one.");
        string folder = Path.Combine(Path.GetTempPath(), $"torchlogistic-liblinear-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string data = Path.Combine(folder, "train.svm"), model = Path.Combine(folder, "model");
            var write = Stopwatch.StartNew();
            WriteLibSvm(problem, data);
            double writeSeconds = write.Elapsed.TotalSeconds;
            string c = problem.Penalty.C.ToString("R", CultureInfo.InvariantCulture);
            double sumScale = problem.Penalty.C * problem.SampleCount;
            var timeout = TimeSpan.FromSeconds(capSeconds + 600);
            LiblinearPeerProcess.Timed Execute(double epsilon, bool quiet)
            {
                var args = new List<string> { "-s", "0", "-c", c, "-B", "-1", "-e", epsilon.ToString("R", CultureInfo.InvariantCulture) };
                if (quiet) args.Add("-q");
                args.Add(data);
                args.Add(model);
                return LiblinearPeerProcess.Run(train, args, data, timeout, cancellation);
            }
            var firstRead = Execute(1e9, quiet: true);
            double total = firstRead.WallSeconds;
            var runs = new List<LiblinearPeerResult.Run>();
            double epsilon = firstEpsilon;
            for (int attempt = 0; attempt < MaxRuns; attempt++, epsilon /= 100)
            {
                var timed = Execute(epsilon, quiet: false);
                total += timed.WallSeconds;
                double objective = problem.ExactValue(ReadModel(model, checked((int)problem.FeatureCount)));
                var lines = timed.Lines.Select(l => LiblinearPeerTrace.Parse(l.Text, l.Seconds)).OfType<LiblinearPeerTrace.Line>().ToList();
                runs.Add(new LiblinearPeerResult.Run(epsilon, timed.WallSeconds, timed.ReadSeconds, objective, LiblinearPeerTrace.Rebuild(lines, objective, sumScale), sumScale));
                if (objective <= target || total >= capSeconds) break;
            }
            var secondRead = Execute(1e9, quiet: true);
            var ours = Stopwatch.StartNew();
            var back = LibSvmFile.Load(data, checked((int)problem.FeatureCount));
            double oursRead = ours.Elapsed.TotalSeconds;
            long expected = problem.NonZeroCount;
            if (back.SampleCount != problem.SampleCount || (problem.Sparse != null && back.Features.NonZeroCount != expected))
                throw new InvalidOperationException($"The LIBSVM file of {problem.Name} reads back as {back.SampleCount} rows, {back.Features.NonZeroCount} non-zeros; expected {problem.SampleCount}, {expected}.");
            return new LiblinearPeerResult(writeSeconds, new FileInfo(data).Length, (firstRead.WallSeconds, secondRead.WallSeconds), runs, target)
            {
                ReadOnlyObserved = (firstRead.ReadSeconds, secondRead.ReadSeconds),
                OurReadSeconds = oursRead,
            };
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Rows as LIBSVM text: label +1 for class 1, −1 for class 0, then the non-zero features (1-based) in round-trip form.</summary>
    internal static void WriteLibSvm(BenchmarkProblem problem, string path)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        var line = new StringBuilder();
        if (problem.Sparse is { } sparse)
        {
            var x = sparse.Features;
            for (int i = 0; i < x.RowCount; i++)
            {
                line.Clear();
                line.Append(sparse.Labels[i] == 1 ? "+1" : "-1");
                for (int p = x.RowPointers[i]; p < x.RowPointers[i + 1]; p++)
                    line.Append(' ').Append(x.ColumnIndices[p] + 1).Append(':').Append(x.Values[p].ToString("R", CultureInfo.InvariantCulture));
                writer.WriteLine(line);
            }
            return;
        }
        var data = problem.Data;
        for (int i = 0; i < data.SampleCount; i++)
        {
            line.Clear();
            line.Append(data.Labels[i] == 1 ? "+1" : "-1");
            for (int j = 0; j < data.FeatureCount; j++)
            {
                double value = data.Features[(long)i * data.FeatureCount + j];
                if (value != 0) line.Append(' ').Append(j + 1).Append(':').Append(value.ToString("R", CultureInfo.InvariantCulture));
            }
            writer.WriteLine(line);
        }
    }

    /// <summary>θ from a binary LIBLINEAR model: w when its first label is +1 (its decision value is for that label), else −w.</summary>
    internal static double[] ReadModel(string path, int featureCount)
    {
        var lines = File.ReadAllLines(path);
        int at = Array.FindIndex(lines, l => l.Trim() == "w");
        var label = lines.FirstOrDefault(l => l.StartsWith("label ", StringComparison.Ordinal))?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (at < 0 || label is not { Length: 3 }) throw new InvalidOperationException($"{path} is not a binary LIBLINEAR model (no 'label a b' and 'w' lines).");
        double sign = label[1] == "1" || label[1] == "+1" ? 1 : -1;
        // nr_feature is the largest index in the file: columns after it (all zero in the data) have w = 0.
        var stored = lines.FirstOrDefault(l => l.StartsWith("nr_feature ", StringComparison.Ordinal))?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int count = stored is { Length: 2 } ? Math.Min(featureCount, int.Parse(stored[1], CultureInfo.InvariantCulture)) : featureCount;
        var theta = new double[featureCount];
        for (int j = 0; j < count; j++)
            theta[j] = sign * double.Parse(lines[at + 1 + j].Trim(), CultureInfo.InvariantCulture);
        return theta;
    }
}
