using TorchLogistic.Data;
using TorchLogistic.Optim;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;
using Xunit.Abstractions;

namespace TorchLogistic.Tests.Optim;

/// <summary>
/// lbfgs-precond minimises the same objective as Newton's method (the reference here: quadratic convergence to
/// ‖∇F‖∞ ≤ 1e-12) and, on raw features, needs fewer iterations than plain L-BFGS — the reason it exists.
/// Iteration counts are deterministic (one thread, float64), so this is a count, not a timing.
/// </summary>
public class PreconditionedLbfgsTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("breast-cancer", ModelKind.Logistic)]
    [InlineData("digits", ModelKind.Softmax)]
    public void Reaches_newtons_optimum_on_raw_features_in_fewer_iterations_than_lbfgs(string data, ModelKind model)
    {
        var rows = BuiltinDatasets.Load(data);
        var options = new TrainingOptions { Model = model, Standardize = false, Tolerance = 1e-7, MaxIterations = 20000 };
        using var newton = Trainer.Fit(rows, options with { Solver = SolverKind.NewtonCg, Tolerance = 1e-12, MaxIterations = 200 });
        using var plain = Trainer.Fit(rows, options with { Solver = SolverKind.Lbfgs });
        using var preconditioned = Trainer.Fit(rows, options with { Solver = SolverKind.LbfgsPrecond });
        double optimum = newton.Result!.Objective;
        output.WriteLine($"{data}: F* = {optimum:R}; lbfgs {plain.Result!.Iterations} iterations → {plain.Result.Objective:R}; " +
            $"lbfgs-precond {preconditioned.Result!.Iterations} iterations → {preconditioned.Result.Objective:R}");
        Assert.True(newton.Result.Converged, newton.Result.StopDescription);
        Assert.True(preconditioned.Result.Converged, preconditioned.Result.StopDescription);
        Close.Equal(optimum, preconditioned.Result.Objective, relativeTolerance: 1e-8, what: "lbfgs-precond objective vs newton-cg");
        Assert.True(preconditioned.Result.Iterations * 2 < plain.Result.Iterations,
            $"lbfgs-precond took {preconditioned.Result.Iterations} iterations, plain lbfgs {plain.Result.Iterations}: expected under half");
    }
}
