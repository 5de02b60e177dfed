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
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly int _maxIter;
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private readonly bool _enabled;
    private TimeSpan _last = TimeSpan.Zero;
    private bool _shown;

    public ProgressReporter(int maxIterations, bool enabled)
    {
        _maxIter = maxIterations;
        this._enabled = enabled;
    }

    public void Report(IterationRecord r)
    {
        if (!_enabled) return;
        var now = _clock.Elapsed;
        var interval = _interactive ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(5);
        if (now < TimeSpan.FromSeconds(1) || now - _last < interval) return;
        _last = now;
        string line = string.Create(CultureInfo.InvariantCulture,
            $"iteration {r.Iteration}/{_maxIter}  objective {r.Objective:F10}  criterion {r.Criterion:E2}  {now.TotalSeconds:F1} s");
        if (_interactive) Console.Error.Write($"\r{line}   ");
        else Console.Error.WriteLine(line);
        _shown = true;
    }

    public void Finish()
    {
        if (_shown && _interactive) Console.Error.WriteLine();
    }
}
