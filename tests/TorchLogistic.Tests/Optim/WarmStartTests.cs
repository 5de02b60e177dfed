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
        var first = Data.subset(Enumerable.Range(0, 300).ToArray());
        using var model = Trainer.fit(first, new TrainingOptions { standardize = true, tol = 1e-8 });
        // A model on other rows has another scaler; θ re-expressed for it must compute the same logits.
        var otherScaler = StandardScaler.fit(Data.subset(Enumerable.Range(200, 369).ToArray()));
        double[] theta = model.parameters_for(otherScaler);
        using var module = new TorchLogistic.Models.LogisticRegression(Data.n_features);
        module.vector_to_parameters(theta);
        using var other = new FittedModel(module, Data.classes, Data.feature_names, otherScaler, model.options, null);
        Close.All(model.predict_proba(Data).values, other.predict_proba(Data).values, 1e-10, 1e-14);
    }

    [Fact]
    public void A_warm_start_from_a_partial_run_finishes_where_a_cold_start_does_in_fewer_iterations()
    {
        var options = new TrainingOptions { standardize = true, tol = 1e-10, max_iter = 1000 };
        using var partial = Trainer.fit(Data, options with { max_iter = 30 });
        using var cold = Trainer.fit(Data, options);
        using var warm = Trainer.fit(Data, options, warm_start: partial);
        Assert.True(warm.result!.converged);
        Assert.True(warm.result.iterations < cold.result!.iterations, $"warm {warm.result.iterations}, cold {cold.result.iterations}");
        Assert.True(Close.relative_error(warm.result.theta, cold.result.theta) < 1e-7);
        Assert.True(warm.result.history[0].objective < cold.result.history[0].objective);
    }

    [Fact]
    public void A_warm_start_from_another_problem_is_refused_with_the_fix()
    {
        using var softmax = Trainer.fit(BuiltinDatasets.load("iris"), new TrainingOptions { model = ModelKind.Softmax, max_iter = 3 });
        var e = Assert.Throws<ArgumentException>(() => Trainer.fit(Data, new TrainingOptions(), warm_start: softmax));
        Assert.Contains("Warm-start from a model trained on the same features", e.Message);
    }
}
