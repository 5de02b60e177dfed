using System.Diagnostics;
using System.Globalization;
using TorchLogistic.Training;

namespace TorchLogistic.Cli;

/// <summary>
/// Shows training progress on stderr for runs longer than a moment: one line rewritten in place on a
/// terminal (at most 10 times a second), or a line every 5 seconds when stderr is redirected.
/// </summary>
internal sealed class ProgressReporter
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly int maxIter;
    private readonly bool interactive = !Console.IsErrorRedirected;
    private readonly bool enabled;
    private TimeSpan last = TimeSpan.Zero;
    private bool shown;

    public ProgressReporter(int max_iter, bool enabled)
    {
        maxIter = max_iter;
        this.enabled = enabled;
    }

    public void report(IterationRecord r)
    {
        if (!enabled) return;
        var now = clock.Elapsed;
        var interval = interactive ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(5);
        if (now < TimeSpan.FromSeconds(1) || now - last < interval) return;
        last = now;
        string line = string.Create(CultureInfo.InvariantCulture,
            $"iteration {r.iteration}/{maxIter}  objective {r.objective:F10}  criterion {r.criterion:E2}  {now.TotalSeconds:F1} s");
        if (interactive) Console.Error.Write($"\r{line}   ");
        else Console.Error.WriteLine(line);
        shown = true;
    }

    public void finish()
    {
        if (shown && interactive) Console.Error.WriteLine();
    }
}
