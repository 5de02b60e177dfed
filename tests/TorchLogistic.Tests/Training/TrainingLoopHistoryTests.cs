using TorchLogistic.Data;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.Training;

public class TrainingLoopHistoryTests
{
    [Fact]
    public void The_history_starts_at_the_start_point_without_a_progress_callback()
    {
        var data = BuiltinDatasets.Load("breast-cancer");
        var options = new TrainingOptions { Standardize = true, Tolerance = 1e-10 };
        using var model = Trainer.Fit(data, options);
        var first = model.Result!.History[0];
        Assert.Equal(0, first.Iteration);
        // θ = 0: every probability is ½, so F = ln 2 (the L2 term is 0 there).
        Assert.Equal(Math.Log(2), first.Objective, 15);

        // A start that is already optimal converges in 0 iterations, with the start as its only record.
        using var again = Trainer.Fit(data, options, initialTheta: model.Result.Theta);
        Assert.True(again.Result!.Converged);
        Assert.Equal(0, again.Result.Iterations);
        Assert.Equal(0, Assert.Single(again.Result.History).Iteration);
    }
}
