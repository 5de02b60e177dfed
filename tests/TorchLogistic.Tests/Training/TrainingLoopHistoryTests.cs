using TorchLogistic.Data;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.Training;

public class TrainingLoopHistoryTests
{
    [Fact]
    public void The_history_starts_at_the_start_point_without_a_progress_callback()
    {
        var data = BuiltinDatasets.load("breast-cancer");
        var options = new TrainingOptions { standardize = true, tol = 1e-10 };
        using var model = Trainer.fit(data, options);
        var first = model.result!.history[0];
        Assert.Equal(0, first.iteration);
        // θ = 0: every probability is ½, so F = ln 2 (the L2 term is 0 there).
        Assert.Equal(Math.Log(2), first.objective, 15);

        // A start that is already optimal converges in 0 iterations, with the start as its only record.
        using var again = Trainer.fit(data, options, initial_theta: model.result.theta);
        Assert.True(again.result!.converged);
        Assert.Equal(0, again.result.iterations);
        Assert.Equal(0, Assert.Single(again.result.history).iteration);
    }
}
