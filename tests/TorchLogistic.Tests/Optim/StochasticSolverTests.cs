using TorchLogistic.Optim;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.Optim;

public class StochasticSolverTests
{
    private static TrainingOptions Sgd(int seed, int batch = 32) => new()
    {
        solver = SolverKind.Sgd, standardize = true, C = 1, max_iter = 20, tol = 1e-12, seed = seed, batch_size = batch, lr = 1,
    };

    [Fact]
    public void Sgd_is_reproducible_with_a_seed_and_differs_across_seeds()
    {
        using var a = Trainer.fit(SolverReferences.BreastCancer, Sgd(1));
        using var b = Trainer.fit(SolverReferences.BreastCancer, Sgd(1));
        using var c = Trainer.fit(SolverReferences.BreastCancer, Sgd(2));
        // The same shuffles give the same iterates (up to the last bits: libtorch may split a sum over threads differently).
        double same = Support.Close.relative_error(b.result!.theta, a.result!.theta);
        double other = Support.Close.relative_error(c.result!.theta, a.result.theta);
        Assert.True(same < 1e-12, $"same seed: {same:E2}");
        Assert.True(other > 1e-4, $"other seed: {other:E2}");
        // After 20 epochs every seed is within 3% of the optimal objective.
        var reference = SolverReferences.get("l2_C1");
        Assert.True(a.result.objective - reference.objective < 0.03 * reference.objective, $"{a.result.objective} vs {reference.objective}");
        Assert.True(c.result.objective - reference.objective < 0.03 * reference.objective, $"{c.result.objective} vs {reference.objective}");
    }

    [Fact]
    public void Sgd_with_one_batch_of_all_rows_is_gradient_descent_with_the_scheduled_step()
    {
        // batch = m: each epoch is one full-gradient step, of size lr/(1 + lr·λ₂·t) — lr at t = 0.
        int m = SolverReferences.BreastCancer.n_samples;
        using var sgd = Trainer.fit(SolverReferences.BreastCancer, Sgd(0, batch: m) with { max_iter = 1 });
        using var gd = Trainer.fit(SolverReferences.BreastCancer, new TrainingOptions { solver = SolverKind.Gd, lr = 1, standardize = true, max_iter = 1, tol = 1e-12 });
        // The same step; only the order of the rows in the sums differs (shuffled).
        Assert.True(Support.Close.relative_error(sgd.result!.theta, gd.result!.theta) < 1e-13);
    }

    [Fact]
    public void The_schedule_decays_as_one_over_t_with_L2_and_one_over_root_t_without()
    {
        var solver = new StochasticGradientDescent(lr: 0.5, batch_size: 10);
        Assert.Equal(0.5, solver.step_size(0, 10));
        Assert.Equal(0.5 / Math.Sqrt(2), solver.step_size(10, 10), 15);
    }
}
