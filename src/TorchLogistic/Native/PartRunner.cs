using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace TorchLogistic.Native;

/// <summary>
/// Runs the fixed parts of one pass over the data on the calling thread and persistent helper threads, each part
/// claimed by whichever thread is free first. Why not <c>Parallel.For</c>: a pass of a sparse binary fit lasts a few
/// milliseconds, and there the thread pool's wake-up (0.1–0.2 ms on this kind of VM) is a tenth of a part; worse, on a
/// loaded machine a pool worker that took part 1 may wait for a core for several milliseconds while the calling thread,
/// done with part 0, sits idle. Here the helpers spin for a short while after each pass (the solver's own work between
/// two passes is shorter), so the next pass finds them awake, and a part is claimed only by a running thread: when the
/// helpers get no core, the caller runs every part itself. Which thread runs a part does not change its result, so the
/// results are the same as with any other schedule of the same parts.
/// <para>
/// One pass at a time per process: a second caller while a pass runs (parallel folds of a cross-validation) runs its
/// parts on its own thread, one after the other.
/// </para>
/// </summary>
internal static class PartRunner
{
    /// <summary>How long a helper spins for the next pass before it blocks (longer than the gap between two passes of a fit).</summary>
    public static readonly TimeSpan SpinTime = TimeSpan.FromMilliseconds(2);

    private static readonly object Gate = new();
    private static readonly List<Thread> Helpers = new();
    private static readonly SemaphoreSlim Wake = new(0);
    private static int _busy;
    private static int _sleeping;
    private static Pass? _current;

    /// <summary>Runs <paramref name="work"/>(p) for p in [0, <paramref name="count"/>) on up to <paramref name="threads"/> threads, the caller's included; returns when all have run.</summary>
    public static void Run(int count, int threads, Action<int> work)
    {
        int helpers = Math.Min(count, threads) - 1;
        if (helpers <= 0 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int p = 0; p < count; p++) work(p);
            return;
        }
        try
        {
            EnsureHelpers(helpers);
            var pass = new Pass(work, count);
            Interlocked.Exchange(ref _current, pass);
            int sleeping = Volatile.Read(ref _sleeping);
            if (sleeping > 0) Wake.Release(Math.Min(sleeping, helpers));
            pass.Claim();
            var spin = new SpinWait();
            while (Volatile.Read(ref pass.Remaining) > 0) spin.SpinOnce(-1);
            Volatile.Write(ref _current, null);
            if (pass.Failure is { } failure) ExceptionDispatchInfo.Capture(failure).Throw();
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>One pass's parts: the next unclaimed one, and how many have not finished.</summary>
    private sealed class Pass
    {
        private readonly Action<int> _work;
        private readonly int _count;
        public int Next;
        public int Remaining;
        public Exception? Failure;

        public Pass(Action<int> work, int count)
        {
            _work = work;
            _count = count;
            Remaining = count;
        }

        public void Claim()
        {
            while (true)
            {
                int p = Interlocked.Increment(ref Next) - 1;
                if (p >= _count) return;
                try
                {
                    _work(p);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref Failure, e, null);
                }
                Interlocked.Decrement(ref Remaining);
            }
        }
    }

    private static void EnsureHelpers(int helpers)
    {
        if (Helpers.Count >= helpers) return;
        lock (Gate)
        {
            while (Helpers.Count < helpers)
            {
                var thread = new Thread(Help) { IsBackground = true, Name = $"TorchLogistic pass helper {Helpers.Count + 1}" };
                Helpers.Add(thread);
                thread.Start();
            }
        }
    }

    private static void Help()
    {
        Pass? done = null;
        while (true)
        {
            var clock = Stopwatch.StartNew();
            var spin = new SpinWait();
            Pass? pass;
            while ((pass = Volatile.Read(ref _current)) is null || ReferenceEquals(pass, done))
            {
                if (clock.Elapsed < SpinTime)
                {
                    spin.SpinOnce(-1);
                    continue;
                }
                Interlocked.Increment(ref _sleeping);
                // A pass published between the check and the increment has seen no sleeper: look once more.
                pass = Volatile.Read(ref _current);
                if (pass is null || ReferenceEquals(pass, done)) Wake.Wait();
                Interlocked.Decrement(ref _sleeping);
                clock.Restart();
                spin = new SpinWait();
            }
            pass.Claim();
            done = pass;
        }
    }
}
