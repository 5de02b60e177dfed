using System.Diagnostics;

namespace TorchLogistic.Performance;

/// <summary>
/// Runs <c>liblinear-train</c> with its standard output line-buffered (<c>stdbuf -oL</c>, coreutils, when present;
/// LIBLINEAR also flushes after each line it prints) and every line stamped with the clock when it arrives, while a
/// second thread polls <c>/proc/&lt;pid&gt;/fd</c> every millisecond for the data file: LIBLINEAR's <c>read_problem</c>
/// opens it, reads it twice (count, then parse) and closes it before training, so the moment it is no longer open is
/// the end of reading — measured inside the same run, not by subtracting another run.
/// </summary>
internal static class LiblinearPeerProcess
{
    /// <summary>coreutils' <c>stdbuf</c>.</summary>
    private const string Stdbuf = "/usr/bin/stdbuf";

    /// <summary>What one run printed and when.</summary>
    /// <param name="WallSeconds">From the start of the process to its exit.</param>
    /// <param name="ReadSeconds">From the start of the process until the data file was seen closed, or null when it was never seen open (a file read within a millisecond, or no /proc).</param>
    /// <param name="Lines">Each standard-output line with its arrival, seconds from the start.</param>
    public sealed record Timed(double WallSeconds, double? ReadSeconds, IReadOnlyList<(double Seconds, string Text)> Lines);

    /// <summary>Runs <paramref name="program"/> on <paramref name="args"/>; a non-zero exit is an error naming its last stderr line.</summary>
    public static Timed Run(string program, IReadOnlyList<string> args, string dataFile, TimeSpan timeout, CancellationToken cancellation)
    {
        var info = new ProcessStartInfo
        {
            FileName = File.Exists(Stdbuf) ? Stdbuf : program,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (File.Exists(Stdbuf))
        {
            info.ArgumentList.Add("-oL");
            info.ArgumentList.Add(program);
        }
        foreach (var a in args) info.ArgumentList.Add(a);
        string target = Path.GetFullPath(dataFile);
        var lines = new List<(double, string)>();
        var stderr = new System.Text.StringBuilder();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start.");
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        double? opened = null, closed = null;
        var exited = new ManualResetEventSlim();
        var poller = new Thread(() =>
        {
            string folder = $"/proc/{process.Id}/fd";
            while (!exited.IsSet && closed == null)
            {
                bool open = IsOpen(folder, target);
                double now = clock.Elapsed.TotalSeconds;
                if (open) opened ??= now;
                else if (opened != null) closed = now;
                exited.Wait(1);
            }
        }) { IsBackground = true, Name = "liblinear fd poll" };
        poller.Start();
        using var timer = new CancellationTokenSource(timeout);
        using var registration = cancellation.Register(() => Kill(process));
        using var timerRegistration = timer.Token.Register(() => Kill(process));
        string? line;
        while ((line = process.StandardOutput.ReadLine()) != null)
            lines.Add((clock.Elapsed.TotalSeconds, line));
        process.WaitForExit();
        double wall = clock.Elapsed.TotalSeconds;
        exited.Set();
        poller.Join();
        cancellation.ThrowIfCancellationRequested();
        if (timer.IsCancellationRequested) throw new TimeoutException($"{program} did not finish within {timeout.TotalSeconds:0} s.");
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} failed (exit {process.ExitCode}): {stderr.ToString().Trim().Split('\n').LastOrDefault()}");
        return new Timed(wall, closed, lines);
    }

    private static bool IsOpen(string folder, string target)
    {
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries(folder))
            {
                if (new FileInfo(fd).LinkTarget == target) return true;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return false;
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
