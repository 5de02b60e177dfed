using TorchLogistic.Data;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.Optim;

/// <summary><c>newton-hcg</c> against <c>newton</c> (the exact Newton step by Cholesky) on the same objectives.</summary>
public class HessianPreconditionedNewtonCgTests
{
    [Fact]
    public void Softmax_reaches_newtons_optimum_with_one_factor_per_few_steps()
    {
        var iris = BuiltinDatasets.Load("iris");
        var options = new TrainingOptions { Model = ModelKind.Softmax, Tolerance = 1e-12, MaxIterations = 200, C = 100 };
        using var newton = Trainer.Fit(iris, options with { Solver = SolverKind.Newton });
        var solver = new HessianPreconditionedNewtonCg();
        using var hcg = Trainer.Fit(iris, options with { Solver = SolverKind.NewtonHcg }, null, null, default, null, null, solver);
        Assert.True(hcg.Result!.Converged, hcg.Result.StopDescription);
        Assert.Equal("newton-hcg", SolverRegistry.NameOf(hcg.Result.Solver));
        Assert.True(Close.RelativeError(hcg.Result.Theta, newton.Result!.Theta) < 1e-9, $"θ relative error {Close.RelativeError(hcg.Result.Theta, newton.Result.Theta):E2}");
        Close.Equal(newton.Result.Objective, hcg.Result.Objective, 1e-13);
        // The first step is Newton's (one product with the fresh factor); fewer Hessians than steps.
        Assert.True(solver.Factorizations < hcg.Result.Iterations, $"{solver.Factorizations} factors for {hcg.Result.Iterations} steps");
        Assert.True(solver.HessianEvaluations <= 3 * hcg.Result.Iterations * HessianPreconditionedNewtonCg.DefaultRefreshAfter);
    }

    [Fact]
    public void A_kept_factor_along_a_path_of_C_changes_the_work_not_the_optimum()
    {
        var iris = BuiltinDatasets.Load("iris");
        var options = new TrainingOptions { Model = ModelKind.Softmax, Tolerance = 1e-11, MaxIterations = 200, Solver = SolverKind.NewtonHcg };
        var kept = new HessianPreconditionedNewtonCg(keepFactor: true);
        double[]? previous = null;
        int fresh = 0;
        foreach (double c in new[] { 0.01, 1.0, 100.0 })
        {
            using var path = Trainer.Fit(iris, options with { C = c }, null, null, default, previous, null, kept);
            var own = new HessianPreconditionedNewtonCg();
            using var alone = Trainer.Fit(iris, options with { C = c }, null, null, default, previous, null, own);
            fresh += own.Factorizations;
            Assert.True(path.Result!.Converged && alone.Result!.Converged);
            Assert.True(Close.RelativeError(path.Result.Theta, alone.Result.Theta) < 1e-8, $"C = {c}: {Close.RelativeError(path.Result.Theta, alone.Result.Theta):E2}");
            previous = path.Result.Theta;
        }
        Assert.True(kept.Factorizations < fresh, $"kept {kept.Factorizations} factors, fresh runs {fresh}");
    }

    [Fact]
    public void Unpenalised_separable_data_is_damped_not_refused()
    {
        var x = new double[] { -2, -1, 1, 2 };
        var data = new Dataset("separable", x, 4, 1, new[] { 0, 0, 1, 1 }, new[] { "a", "b" }, new[] { "x" });
        using var model = Trainer.Fit(data, new TrainingOptions { Solver = SolverKind.NewtonHcg, Penalty = PenaltyKind.None, MaxIterations = 40, Tolerance = 1e-8 });
        var objectives = model.Result!.History.Select(h => h.Objective).ToArray();
        Assert.True(objectives.Zip(objectives.Skip(1)).All(p => p.Second <= p.First + 1e-15), "the objective never increases");
        Assert.True(model.Result.Objective < 1e-6, $"objective {model.Result.Objective:E2}");
    }
}
