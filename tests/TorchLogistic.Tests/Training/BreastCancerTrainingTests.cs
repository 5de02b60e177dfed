using TorchLogistic.Data;
using TorchLogistic.Metrics;
using TorchLogistic.Optim;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.Training;

public class BreastCancerTrainingTests
{
    private static readonly Dataset Data = BuiltinDatasets.load("breast-cancer");

    private static TrainingOptions Options(SolverKind solver, double tol, int maxIter, double lr = 0.1, GradientMode gradients = GradientMode.Analytic) => new()
    {
        solver = solver, tol = tol, max_iter = maxIter, lr = lr, standardize = true, C = 1, gradients = gradients,
    };

    [Fact]
    public void Lbfgs_and_gradient_descent_reach_the_same_objective_and_97_percent_accuracy()
    {
        using var lbfgs = Trainer.fit(Data, Options(SolverKind.Lbfgs, 1e-10, 1000));
        using var gd = Trainer.fit(Data, Options(SolverKind.Gd, 1e-10, 50_000, lr: 0.5));
        Assert.True(lbfgs.result!.converged, lbfgs.result.stop_reason);
        Assert.True(gd.result!.converged, gd.result.stop_reason);
        Close.Equal(lbfgs.result.objective, gd.result.objective, 1e-8);
        Assert.True(Close.relative_error(gd.result.theta, lbfgs.result.theta) < 1e-6);
        Assert.True(Evaluation.of(lbfgs, Data).accuracy >= 0.97);
    }

    [Fact]
    public void Analytic_and_autograd_gradients_give_the_same_iterates()
    {
        using var a = Trainer.fit(Data, Options(SolverKind.Lbfgs, 1e-8, 30));
        using var b = Trainer.fit(Data, Options(SolverKind.Lbfgs, 1e-8, 30, gradients: GradientMode.Autograd));
        Assert.Equal(a.result!.iterations, b.result!.iterations);
        for (int i = 0; i < a.result.history.Count; i++)
            Close.Equal(a.result.history[i].objective, b.result.history[i].objective, 1e-10, 1e-14, $"objective at iteration {a.result.history[i].iteration}");
        Assert.True(Close.relative_error(b.result.theta, a.result.theta) < 1e-10);
    }

    [Theory]
    [InlineData(1.0, false, "grew")]            // features up to ~4000: each step overshoots, the loss grows past 1e4 × ln 2
    [InlineData(1e38, true, "NaN or infinite")] // float32 logits overflow at once
    public void A_step_too_large_for_gradient_descent_diverges_with_a_clear_message(double lr, bool float32, string what)
    {
        var options = new TrainingOptions
        {
            solver = SolverKind.Gd, lr = lr, max_iter = 200, penalty = TorchLogistic.Objectives.PenaltyKind.None,
            dtype = float32 ? TorchSharp.torch.ScalarType.Float32 : TorchSharp.torch.ScalarType.Float64,
        };
        using var model = Trainer.fit(Data, options);
        var result = model.result!;
        Assert.Equal(StopReason.Diverged, result.stop);
        Assert.False(result.converged);
        Assert.StartsWith("diverged: ", result.stop_reason);
        Assert.Contains(what, result.stop_reason);
        Assert.Matches($@"^Training diverged at iteration {result.iterations} \(solver gd\): the .*{what}.*\.$", result.divergence_message);
        Assert.True(result.iterations < 200, $"stopped at once, not at the limit ({result.iterations})");
        Assert.DoesNotContain("--", result.divergence_message);
    }

    [Fact]
    public void Hitting_the_iteration_limit_is_reported_as_not_converged()
    {
        using var model = Trainer.fit(Data, Options(SolverKind.Gd, 1e-10, 5));
        Assert.False(model.result!.converged);
        Assert.Equal(5, model.result.iterations);
        Assert.Contains("max_iter", model.result.stop_reason);
    }
}
