using TorchLogistic.Data;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.Optim;

public class WarmStartTests
{
    private static readonly Dataset Data = SolverReferences.BreastCancer;

    [Fact]
    public void Re_expressed_parameters_give_the_same_probabilities_under_another_scaler()
    {
        var first = Data.Subset(Enumerable.Range(0, 300).ToArray());
        using var model = Trainer.Fit(first, new TrainingOptions { Standardize = true, Tolerance = 1e-8 });
        // A model on other rows has another scaler; θ re-expressed for it must compute the same logits.
        var otherScaler = StandardScaler.Fit(Data.Subset(Enumerable.Range(200, 369).ToArray()));
        double[] theta = model.ParametersFor(otherScaler);
        using var module = new TorchLogistic.Models.LogisticRegression(Data.FeatureCount);
        module.VectorToParameters(theta);
        using var other = new FittedModel(module, Data.Classes, Data.FeatureNames, otherScaler, model.Options, null);
        Close.All(model.PredictProbabilities(Data).Values, other.PredictProbabilities(Data).Values, 1e-10, 1e-14);
    }

    [Fact]
    public void A_warm_start_from_a_partial_run_finishes_where_a_cold_start_does_in_fewer_iterations()
    {
        var options = new TrainingOptions { Standardize = true, Tolerance = 1e-10, MaxIterations = 1000 };
        using var partial = Trainer.Fit(Data, options with { MaxIterations = 30 });
        using var cold = Trainer.Fit(Data, options);
        using var warm = Trainer.Fit(Data, options, warmStart: partial);
        Assert.True(warm.Result!.Converged);
        Assert.True(warm.Result.Iterations < cold.Result!.Iterations, $"warm {warm.Result.Iterations}, cold {cold.Result.Iterations}");
        Assert.True(Close.RelativeError(warm.Result.Theta, cold.Result.Theta) < 1e-7);
        Assert.True(warm.Result.History[0].Objective < cold.Result.History[0].Objective);
    }

    [Fact]
    public void A_warm_start_from_another_problem_is_refused_with_the_fix()
    {
        using var softmax = Trainer.Fit(BuiltinDatasets.Load("iris"), new TrainingOptions { Model = ModelKind.Softmax, MaxIterations = 3 });
        var e = Assert.Throws<ArgumentException>(() => Trainer.Fit(Data, new TrainingOptions(), warmStart: softmax));
        Assert.Contains("Warm-start from a model trained on the same features", e.Message);
    }
}
