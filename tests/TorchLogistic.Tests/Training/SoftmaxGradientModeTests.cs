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
        model = ModelKind.Softmax, solver = solver, tol = 1e-9, max_iter = maxIter, lr = 0.5, standardize = true, C = 1,
        gradients = gradients, class_weight = classWeight,
    };

    [Theory]
    [InlineData("iris", SolverKind.Lbfgs, 40, ClassWeightMode.None)]
    [InlineData("iris", SolverKind.Gd, 40, ClassWeightMode.Balanced)]
    [InlineData("digits", SolverKind.Lbfgs, 15, ClassWeightMode.None)]
    public void Analytic_and_autograd_gradients_give_the_same_softmax_iterates(string data, SolverKind solver, int maxIter, ClassWeightMode classWeight)
    {
        var dataset = BuiltinDatasets.load(data);
        using var analytic = Trainer.fit(dataset, Options(solver, maxIter, GradientMode.Analytic, classWeight));
        using var autograd = Trainer.fit(dataset, Options(solver, maxIter, GradientMode.Autograd, classWeight));
        var a = analytic.result!;
        var b = autograd.result!;
        Assert.Equal(a.iterations, b.iterations);
        Assert.Equal(a.history.Count, b.history.Count);
        Assert.True(a.history.Count > 5, $"only {a.history.Count} iterations recorded");
        for (int i = 0; i < a.history.Count; i++)
            Close.Equal(a.history[i].objective, b.history[i].objective, 1e-10, 1e-14, $"objective at iteration {a.history[i].iteration}");
        Assert.True(Close.relative_error(b.theta, a.theta) < 1e-10, $"final θ differs by {Close.relative_error(b.theta, a.theta):E2}");
        Assert.Equal(analytic.module.parameters_to_vector().Length, a.theta.Length);
        Assert.True(Close.relative_error(autograd.module.parameters_to_vector(), analytic.module.parameters_to_vector()) < 1e-10);
    }
}
