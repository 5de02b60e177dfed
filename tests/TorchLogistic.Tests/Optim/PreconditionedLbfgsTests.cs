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
        var rows = BuiltinDatasets.load(data);
        var options = new TrainingOptions { model = model, standardize = false, tol = 1e-7, max_iter = 20000 };
        using var newton = Trainer.fit(rows, options with { solver = SolverKind.NewtonCg, tol = 1e-12, max_iter = 200 });
        using var plain = Trainer.fit(rows, options with { solver = SolverKind.Lbfgs });
        using var preconditioned = Trainer.fit(rows, options with { solver = SolverKind.LbfgsPrecond });
        double optimum = newton.result!.objective;
        output.WriteLine($"{data}: F* = {optimum:R}; lbfgs {plain.result!.iterations} iterations → {plain.result.objective:R}; " +
            $"lbfgs-precond {preconditioned.result!.iterations} iterations → {preconditioned.result.objective:R}");
        Assert.True(newton.result.converged, newton.result.stop_reason);
        Assert.True(preconditioned.result.converged, preconditioned.result.stop_reason);
        Close.Equal(optimum, preconditioned.result.objective, rtol: 1e-8, what: "lbfgs-precond objective vs newton-cg");
        Assert.True(preconditioned.result.iterations * 2 < plain.result.iterations,
            $"lbfgs-precond took {preconditioned.result.iterations} iterations, plain lbfgs {plain.result.iterations}: expected under half");
    }
}
