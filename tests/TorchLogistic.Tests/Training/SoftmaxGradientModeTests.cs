using TorchLogistic.Data;
using TorchLogistic.Optim;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.Training;

/// <summary>
/// <c>--gradients analytic</c> and <c>--gradients autograd</c> give the same softmax iterates (1e-10, float64) and the
/// same final model — the multiclass counterpart of the binary test in <see cref="BreastCancerTrainingTests"/>.
/// </summary>
public class SoftmaxGradientModeTests
{
    private static TrainingOptions Options(SolverKind solver, int maxIter, GradientMode gradients, ClassWeightMode classWeight = ClassWeightMode.None) => new()
    {
        Model = ModelKind.Softmax, Solver = solver, Tolerance = 1e-9, MaxIterations = maxIter, LearningRate = 0.5, Standardize = true, C = 1,
        Gradients = gradients, ClassWeight = classWeight,
    };

    [Theory]
    [InlineData("iris", SolverKind.Lbfgs, 40, ClassWeightMode.None)]
    [InlineData("iris", SolverKind.Gd, 40, ClassWeightMode.Balanced)]
    [InlineData("digits", SolverKind.Lbfgs, 15, ClassWeightMode.None)]
    public void Analytic_and_autograd_gradients_give_the_same_softmax_iterates(string data, SolverKind solver, int maxIter, ClassWeightMode classWeight)
    {
        var dataset = BuiltinDatasets.Load(data);
        using var analytic = Trainer.Fit(dataset, Options(solver, maxIter, GradientMode.Analytic, classWeight));
        using var autograd = Trainer.Fit(dataset, Options(solver, maxIter, GradientMode.Autograd, classWeight));
        var a = analytic.Result!;
        var b = autograd.Result!;
        Assert.Equal(a.Iterations, b.Iterations);
        Assert.Equal(a.History.Count, b.History.Count);
        Assert.True(a.History.Count > 5, $"only {a.History.Count} iterations recorded");
        for (int i = 0; i < a.History.Count; i++)
            Close.Equal(a.History[i].Objective, b.History[i].Objective, 1e-10, 1e-14, $"objective at iteration {a.History[i].Iteration}");
        Assert.True(Close.RelativeError(b.Theta, a.Theta) < 1e-10, $"final θ differs by {Close.RelativeError(b.Theta, a.Theta):E2}");
        Assert.Equal(analytic.Module.ParametersToVector().Length, a.Theta.Length);
        Assert.True(Close.RelativeError(autograd.Module.ParametersToVector(), analytic.Module.ParametersToVector()) < 1e-10);
    }
}
