using TorchLogistic.Data;
using TorchLogistic.Metrics;
using TorchLogistic.Optim;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.Training;

public class BreastCancerTrainingTests
{
    private static readonly Dataset Data = BuiltinDatasets.Load("breast-cancer");

    private static TrainingOptions Options(SolverKind solver, double tolerance, int maxIter, double learningRate = 0.1, GradientMode gradients = GradientMode.Analytic) => new()
    {
        Solver = solver, Tolerance = tolerance, MaxIterations = maxIter, LearningRate = learningRate, Standardize = true, C = 1, Gradients = gradients,
    };

    [Fact]
    public void Lbfgs_and_gradient_descent_reach_the_same_objective_and_97_percent_accuracy()
    {
        using var lbfgs = Trainer.Fit(Data, Options(SolverKind.Lbfgs, 1e-10, 1000));
        using var gd = Trainer.Fit(Data, Options(SolverKind.Gd, 1e-10, 50_000, learningRate: 0.5));
        Assert.True(lbfgs.Result!.Converged, lbfgs.Result.StopDescription);
        Assert.True(gd.Result!.Converged, gd.Result.StopDescription);
        Close.Equal(lbfgs.Result.Objective, gd.Result.Objective, 1e-8);
        Assert.True(Close.RelativeError(gd.Result.Theta, lbfgs.Result.Theta) < 1e-6);
        Assert.True(Evaluation.Of(lbfgs, Data).Accuracy >= 0.97);
    }

    [Fact]
    public void Analytic_and_autograd_gradients_give_the_same_iterates()
    {
        using var a = Trainer.Fit(Data, Options(SolverKind.Lbfgs, 1e-8, 30));
        using var b = Trainer.Fit(Data, Options(SolverKind.Lbfgs, 1e-8, 30, gradients: GradientMode.Autograd));
        Assert.Equal(a.Result!.Iterations, b.Result!.Iterations);
        for (int i = 0; i < a.Result.History.Count; i++)
            Close.Equal(a.Result.History[i].Objective, b.Result.History[i].Objective, 1e-10, 1e-14, $"objective at iteration {a.Result.History[i].Iteration}");
        Assert.True(Close.RelativeError(b.Result.Theta, a.Result.Theta) < 1e-10);
    }

    [Theory]
    [InlineData(1.0, false, "grew")]            // features up to ~4000: each step overshoots, the loss grows past 1e4 × ln 2
    [InlineData(1e38, true, "NaN or infinite")] // float32 logits overflow at once
    public void A_step_too_large_for_gradient_descent_diverges_with_a_clear_message(double learningRate, bool float32, string what)
    {
        var options = new TrainingOptions
        {
            Solver = SolverKind.Gd, LearningRate = learningRate, MaxIterations = 200, Penalty = TorchLogistic.Objectives.PenaltyKind.None,
            DType = float32 ? TorchSharp.torch.ScalarType.Float32 : TorchSharp.torch.ScalarType.Float64,
        };
        using var model = Trainer.Fit(Data, options);
        var result = model.Result!;
        Assert.Equal(StopReason.Diverged, result.Stop);
        Assert.False(result.Converged);
        Assert.StartsWith("diverged: ", result.StopDescription);
        Assert.Contains(what, result.StopDescription);
        Assert.Matches($@"^Training diverged at iteration {result.Iterations} \(solver gd\): the .*{what}.*\.$", result.DivergenceMessage);
        Assert.True(result.Iterations < 200, $"stopped at once, not at the limit ({result.Iterations})");
        Assert.DoesNotContain("--", result.DivergenceMessage);
    }

    [Fact]
    public void Hitting_the_iteration_limit_is_reported_as_not_converged()
    {
        using var model = Trainer.Fit(Data, Options(SolverKind.Gd, 1e-10, 5));
        Assert.False(model.Result!.Converged);
        Assert.Equal(5, model.Result.Iterations);
        Assert.Contains("max_iter", model.Result.StopDescription);
    }
}
