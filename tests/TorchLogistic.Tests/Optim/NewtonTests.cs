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
        using var model = Trainer.Fit(SolverReferences.BreastCancer, new TrainingOptions { Solver = solver, Standardize = true, Tolerance = 1e-14, MaxIterations = 50 });
        var g = model.Result!.History.Select(h => h.Criterion).ToArray();
        output.WriteLine($"{solver}: ‖∇f‖∞ per iteration: {string.Join(", ", g.Select(v => v.ToString("E2")))}");
        Assert.True(model.Result.Converged, model.Result.StopDescription);
        Assert.True(model.Result.Iterations <= 15, $"{model.Result.Iterations} iterations");
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
        var iris = BuiltinDatasets.Load("iris");
        var options = new TrainingOptions { Model = ModelKind.Softmax, Standardize = true, Tolerance = 1e-11, MaxIterations = 500 };
        using var newton = Trainer.Fit(iris, options with { Solver = SolverKind.Newton });
        using var lbfgs = Trainer.Fit(iris, options with { Solver = SolverKind.Lbfgs });
        Assert.True(newton.Result!.Converged && lbfgs.Result!.Converged);
        Assert.True(newton.Result.Iterations <= 15);
        // Both start at 0 and keep Σₖ bₖ = 0 (∇f is orthogonal to the shift), so the vectors agree as they are.
        Assert.True(Close.RelativeError(newton.Result.Theta, lbfgs.Result.Theta) < 1e-8, $"{Close.RelativeError(newton.Result.Theta, lbfgs.Result.Theta):E2}");
        Close.Equal(lbfgs.Result.Objective, newton.Result.Objective, 1e-12);
        Assert.True(Math.Abs(newton.Result.Theta.TakeLast(3).Sum()) < 1e-10);
    }

    [Fact]
    public void Newton_survives_a_singular_Hessian_on_unpenalised_separable_data()
    {
        // Two separable points per class and no penalty: the optimum is at infinity and the Hessian vanishes.
        var x = new double[] { -2, -1, 1, 2 };
        var data = new Dataset("separable", x, 4, 1, new[] { 0, 0, 1, 1 }, new[] { "a", "b" }, new[] { "x" });
        using var model = Trainer.Fit(data, new TrainingOptions { Solver = SolverKind.Newton, Penalty = PenaltyKind.None, MaxIterations = 40, Tolerance = 1e-8 });
        var objectives = model.Result!.History.Select(h => h.Objective).ToArray();
        Assert.True(objectives.Zip(objectives.Skip(1)).All(p => p.Second <= p.First + 1e-15), "the objective never increases");
        Assert.True(model.Result.Objective < 1e-6, $"objective {model.Result.Objective:E2}");
    }
}
