using System.Diagnostics;

namespace TorchLogistic.Cli;

/// <summary>
/// Fault injection for the reliability tests, off unless <c>TORCHLOGISTIC_FAULT</c> is set:
/// <c>POINT:kill</c> kills the process (SIGKILL) at a point of <see cref="OutputSet.Commit"/> (before-commit,
/// after-swap, between-renames); <c>POINT:pause</c> reports "fault: paused at POINT" on stderr and waits there
/// for a signal; <c>write-fail:N</c> makes the N-th output file's write fail halfway, as a full disk does.
/// </summary>
internal static class FaultHook
{
    private static readonly string? Setting = Environment.GetEnvironmentVariable("TORCHLOGISTIC_FAULT");
    private static int _writes;

    /// <summary>Acts when the fault names <paramref name="point"/>.</summary>
    public static void At(string point, CancellationToken cancellation)
    {
        if (Setting == $"{point}:kill")
        {
            Process.GetCurrentProcess().Kill();
            Thread.Sleep(Timeout.Infinite);
        }
        if (Setting == $"{point}:pause")
        {
            Console.Error.WriteLine($"fault: paused at {point}");
            cancellation.WaitHandle.WaitOne(TimeSpan.FromMinutes(2));
            cancellation.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to a new file <paramref name="path"/>, flushed to disk.</summary>
    public static void Write(string path, byte[] bytes)
    {
        int n = Interlocked.Increment(ref _writes);
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        if (Setting == $"write-fail:{n}")
        {
            stream.Write(bytes, 0, bytes.Length / 2);
            throw new IOException("No space left on device (injected by TORCHLOGISTIC_FAULT).");
        }
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }
}
