using TorchLogistic.Optim;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.Optim;

public class StochasticSolverTests
{
    private static TrainingOptions Sgd(int seed, int batch = 32) => new()
    {
        Solver = SolverKind.Sgd, Standardize = true, C = 1, MaxIterations = 20, Tolerance = 1e-12, Seed = seed, BatchSize = batch, LearningRate = 1,
    };

    [Fact]
    public void Sgd_is_reproducible_with_a_seed_and_differs_across_seeds()
    {
        using var a = Trainer.Fit(SolverReferences.BreastCancer, Sgd(1));
        using var b = Trainer.Fit(SolverReferences.BreastCancer, Sgd(1));
        using var c = Trainer.Fit(SolverReferences.BreastCancer, Sgd(2));
        // The same shuffles give the same iterates (up to the last bits: libtorch may split a sum over threads differently).
        double same = Support.Close.RelativeError(b.Result!.Theta, a.Result!.Theta);
        double other = Support.Close.RelativeError(c.Result!.Theta, a.Result.Theta);
        Assert.True(same < 1e-12, $"same seed: {same:E2}");
        Assert.True(other > 1e-4, $"other seed: {other:E2}");
        // After 20 epochs every seed is within 3% of the optimal objective.
        var reference = SolverReferences.Get("l2_C1");
        Assert.True(a.Result.Objective - reference.Objective < 0.03 * reference.Objective, $"{a.Result.Objective} vs {reference.Objective}");
        Assert.True(c.Result.Objective - reference.Objective < 0.03 * reference.Objective, $"{c.Result.Objective} vs {reference.Objective}");
    }

    [Fact]
    public void Sgd_with_one_batch_of_all_rows_is_gradient_descent_with_the_scheduled_step()
    {
        // batch = m: each epoch is one full-gradient step, of size lr/(1 + lr·λ₂·t) — lr at t = 0.
        int m = SolverReferences.BreastCancer.SampleCount;
        using var sgd = Trainer.Fit(SolverReferences.BreastCancer, Sgd(0, batch: m) with { MaxIterations = 1 });
        using var gd = Trainer.Fit(SolverReferences.BreastCancer, new TrainingOptions { Solver = SolverKind.Gd, LearningRate = 1, Standardize = true, MaxIterations = 1, Tolerance = 1e-12 });
        // The same step; only the order of the rows in the sums differs (shuffled).
        Assert.True(Support.Close.RelativeError(sgd.Result!.Theta, gd.Result!.Theta) < 1e-13);
    }

    [Fact]
    public void The_schedule_decays_as_one_over_t_with_L2_and_one_over_root_t_without()
    {
        var solver = new StochasticGradientDescent(learningRate: 0.5, batchSize: 10);
        Assert.Equal(0.5, solver.StepSize(0, 10));
        Assert.Equal(0.5 / Math.Sqrt(2), solver.StepSize(10, 10), 15);
    }
}
