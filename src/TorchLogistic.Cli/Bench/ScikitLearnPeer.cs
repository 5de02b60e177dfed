using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using TorchLogistic.IO;

namespace TorchLogistic.Performance;

/// <summary>
/// scikit-learn's <c>LogisticRegression(solver="lbfgs")</c> on a benchmark problem, timed to the same target by the
/// script <c>bench/peers/sklearn_time_to_target.py</c> (see its docstring: what is timed, and why scikit-learn's
/// objective is TorchLogistic's times m). The problem's float64 rows go to the script as <c>.npy</c> files, so both
/// sides minimise over the same bytes.
/// </summary>
public static class ScikitLearnPeer
{
    /// <summary>The Python that has Debian's <c>python3-sklearn</c>.</summary>
    public const string DefaultPython = "/usr/bin/python3";

    /// <summary>Why the peer cannot run here (no Python, or no scikit-learn in it), or null when it can.</summary>
    public static string? UnavailableReason(string python = DefaultPython)
    {
        if (!File.Exists(python)) return $"{python} does not exist (apt-get install python3-sklearn)";
        var (code, stdout, stderr) = Execute(python, new[] { "-c", "import sklearn, scipy, numpy; print(sklearn.__version__)" }, TimeSpan.FromMinutes(2), default);
        return code == 0 ? null : $"{python} cannot import scikit-learn ({stderr.Trim().Split('\n').LastOrDefault()}); apt-get install python3-sklearn";
    }

    /// <summary>Runs the script on <paramref name="problem"/> until scikit-learn's objective is at most <paramref name="target"/> (in TorchLogistic's scale).</summary>
    /// <param name="problem">The problem (its rows as trained: standardised where it is).</param>
    /// <param name="target">The value of F to reach.</param>
    /// <param name="script">Path of <c>sklearn_time_to_target.py</c>.</param>
    /// <param name="capSeconds">The script stops scikit-learn after this many seconds (default 900).</param>
    /// <param name="python">The Python to run (default <see cref="DefaultPython"/>).</param>
    /// <param name="cancellation">Kills the script.</param>
    /// <exception cref="InvalidOperationException">The script failed; the message has its last error line.</exception>
    public static ScikitLearnPeerResult Run(BenchmarkProblem problem, double target, string script, double capSeconds = 900,
        string python = DefaultPython, CancellationToken cancellation = default)
    {
        if (!File.Exists(script)) throw new FileNotFoundException($"The scikit-learn peer script {script} does not exist. Pass its path (bench/peers/sklearn_time_to_target.py in the repository).", script);
        if (!(capSeconds > 0)) throw new ArgumentOutOfRangeException(nameof(capSeconds), capSeconds, $"The peer's time cap {capSeconds} must be > 0 seconds.");
        string folder = Path.Combine(Path.GetTempPath(), $"torchlogistic-peer-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var data = problem.Data;
            string x = Path.Combine(folder, "X.npy"), y = Path.Combine(folder, "y.npy");
            NpyFile.Write(x, data.Features, data.SampleCount, data.FeatureCount);
            NpyFile.Write(y, data.Labels, data.SampleCount);
            var args = new[]
            {
                script, "--x", x, "--y", y, "--C", problem.Penalty.C.ToString("R", CultureInfo.InvariantCulture),
                "--target", target.ToString("R", CultureInfo.InvariantCulture), "--cap", capSeconds.ToString("R", CultureInfo.InvariantCulture),
            };
            // Loading and checking the data comes on top of the cap.
            var (code, stdout, stderr) = Execute(python, args, TimeSpan.FromSeconds(capSeconds + 600), cancellation);
            if (code != 0)
                throw new InvalidOperationException($"The scikit-learn peer failed (exit {code}): {stderr.Trim().Split('\n').LastOrDefault()}");
            return Parse(JsonNode.Parse(stdout)!, problem);
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static ScikitLearnPeerResult Parse(JsonNode json, BenchmarkProblem problem)
    {
        var coefficients = json["coef"]!.AsArray().Select(row => row!.AsArray().Select(v => (double)v!).ToArray()).ToArray();
        var intercept = json["intercept"]!.AsArray().Select(v => (double)v!).ToArray();
        if (coefficients.Length != problem.OutputCount || intercept.Length != problem.OutputCount || coefficients.Any(r => r.Length != problem.FeatureCount))
            throw new InvalidOperationException($"The scikit-learn peer returned {coefficients.Length} × {coefficients.FirstOrDefault()?.Length} coefficients for {problem.Name}, which needs {problem.OutputCount} × {problem.FeatureCount}.");
        var theta = coefficients.SelectMany(r => r).Concat(intercept).ToArray();
        string threads = string.Join(", ", json["blas_threads"]!.AsArray().Select(t => $"{(string?)t!["api"]} {(int?)t["threads"]}"));
        return new ScikitLearnPeerResult((string)json["sklearn"]!, (bool)json["reached"]!, (string)json["stop"]!, (double?)json["seconds_to_target"],
            (double)json["seconds"]!, (int)json["evaluations"]!, (int)json["iterations"]!, (double)json["objective"]!, (double)json["objective_numpy"]!,
            (double)json["objective_at_zero"]!, (double)json["objective_at_zero_expected"]!, (double)json["cap_seconds"]!, threads, theta);
    }

    internal static (int Code, string Stdout, string Stderr) Execute(string program, IEnumerable<string> args, TimeSpan timeout, CancellationToken cancellation)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using (cancellation.Register(() => { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }))
        {
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in {timeout.TotalSeconds:F0} s.");
            }
            process.WaitForExit();
        }
        cancellation.ThrowIfCancellationRequested();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
