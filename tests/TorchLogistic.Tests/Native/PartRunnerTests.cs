using TorchLogistic.Native;

namespace TorchLogistic.Tests.Native;

/// <summary>
/// <see cref="PartRunner"/>: every part runs exactly once whichever thread claims it, a part's exception reaches the
/// caller after the other parts have run, and a second caller while a pass runs gets its parts run on its own thread.
/// </summary>
public class PartRunnerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Every_part_runs_once_over_many_passes(int threads)
    {
        for (int pass = 0; pass < 200; pass++)
        {
            var runs = new int[5];
            PartRunner.Run(runs.Length, threads, p => Interlocked.Increment(ref runs[p]));
            Assert.All(runs, count => Assert.Equal(1, count));
        }
    }

    [Fact]
    public void A_failing_part_is_rethrown_after_the_others_ran()
    {
        var runs = new int[4];
        var error = Assert.Throws<InvalidOperationException>(() => PartRunner.Run(runs.Length, 2, p =>
        {
            Interlocked.Increment(ref runs[p]);
            if (p == 1) throw new InvalidOperationException("part 1 failed");
        }));
        Assert.Equal("part 1 failed", error.Message);
        Assert.All(runs, count => Assert.Equal(1, count));
        // The runner is free again: the next pass runs every part.
        var next = new int[3];
        PartRunner.Run(next.Length, 2, p => Interlocked.Increment(ref next[p]));
        Assert.All(next, count => Assert.Equal(1, count));
    }

    [Fact]
    public void A_caller_inside_a_pass_runs_its_parts_itself()
    {
        var inner = new int[3];
        var innerThreads = new int[3];
        PartRunner.Run(2, 2, p =>
        {
            if (p != 0) return;
            PartRunner.Run(inner.Length, 2, q =>
            {
                Interlocked.Increment(ref inner[q]);
                innerThreads[q] = Environment.CurrentManagedThreadId;
            });
        });
        Assert.All(inner, count => Assert.Equal(1, count));
        Assert.Single(innerThreads.Distinct());
    }
}
