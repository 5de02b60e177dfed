using TorchLogistic.Data;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;
using Xunit.Abstractions;

namespace TorchLogistic.Tests.Optim;

public class NewtonTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(SolverKind.Newton)]
    [InlineData(SolverKind.NewtonCg)]
    public void Newton_converges_quadratically_in_at_most_15_iterations_on_breast_cancer(SolverKind solver)
    {
        using var model = Trainer.fit(SolverReferences.BreastCancer, new TrainingOptions { solver = solver, standardize = true, tol = 1e-14, max_iter = 50 });
        var g = model.result!.history.Select(h => h.criterion).ToArray();
        output.WriteLine($"{solver}: ‖∇f‖∞ per iteration: {string.Join(", ", g.Select(v => v.ToString("E2")))}");
        Assert.True(model.result.converged, model.result.stop_reason);
        Assert.True(model.result.iterations <= 15, $"{model.result.iterations} iterations");
        // Once ‖∇f‖∞ < 1e-3 (and above the rounding floor), newton squares it up to a constant, g₊ ≤ M·g², with
        // M ≈ 1e2 here; newton-cg solves the Newton system only to a relative residual √‖∇f‖, so it is superlinear:
        // the ratio g₊/g shrinks at every step.
        var tail = Enumerable.Range(0, g.Length - 1).Where(k => g[k] < 1e-3 && g[k + 1] > 1e-15).ToArray();
        output.WriteLine($"g₊/g²: {string.Join(", ", tail.Select(k => (g[k + 1] / (g[k] * g[k])).ToString("E2")))}; g₊/g: {string.Join(", ", tail.Select(k => (g[k + 1] / g[k]).ToString("E2")))}");
        Assert.True(tail.Length >= 2);
        if (solver == SolverKind.Newton)
            Assert.All(tail, k => Assert.True(g[k + 1] <= 300 * g[k] * g[k], $"g₊ = {g[k + 1]:E2} vs g = {g[k]:E2}"));
        var ratios = tail.Select(k => g[k + 1] / g[k]).ToArray();
        Assert.True(ratios.Zip(ratios.Skip(1)).All(p => p.Second < p.First), "g₊/g decreases");
        Assert.True(ratios[^1] < 1e-3);
    }

    [Fact]
    public void Softmax_newton_matches_lbfgs_up_to_the_common_intercept_shift()
    {
        var iris = BuiltinDatasets.load("iris");
        var options = new TrainingOptions { model = ModelKind.Softmax, standardize = true, tol = 1e-11, max_iter = 500 };
        using var newton = Trainer.fit(iris, options with { solver = SolverKind.Newton });
        using var lbfgs = Trainer.fit(iris, options with { solver = SolverKind.Lbfgs });
        Assert.True(newton.result!.converged && lbfgs.result!.converged);
        Assert.True(newton.result.iterations <= 15);
        // Both start at 0 and keep Σₖ bₖ = 0 (∇f is orthogonal to the shift), so the vectors agree as they are.
        Assert.True(Close.relative_error(newton.result.theta, lbfgs.result.theta) < 1e-8, $"{Close.relative_error(newton.result.theta, lbfgs.result.theta):E2}");
        Close.Equal(lbfgs.result.objective, newton.result.objective, 1e-12);
        Assert.True(Math.Abs(newton.result.theta.TakeLast(3).Sum()) < 1e-10);
    }

    [Fact]
    public void Newton_survives_a_singular_Hessian_on_unpenalised_separable_data()
    {
        // Two separable points per class and no penalty: the optimum is at infinity and the Hessian vanishes.
        var x = new double[] { -2, -1, 1, 2 };
        var data = new Dataset("separable", x, 4, 1, new[] { 0, 0, 1, 1 }, new[] { "a", "b" }, new[] { "x" });
        using var model = Trainer.fit(data, new TrainingOptions { solver = SolverKind.Newton, penalty = PenaltyKind.None, max_iter = 40, tol = 1e-8 });
        var objectives = model.result!.history.Select(h => h.objective).ToArray();
        Assert.True(objectives.Zip(objectives.Skip(1)).All(p => p.Second <= p.First + 1e-15), "the objective never increases");
        Assert.True(model.result.objective < 1e-6, $"objective {model.result.objective:E2}");
    }
}
