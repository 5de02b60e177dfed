using TorchLogistic.Data;
using TorchLogistic.Metrics;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.Metrics;

public class ModelEvaluationTests
{
    [Fact]
    public void Evaluate_on_the_model_is_the_evaluation_of_its_probabilities()
    {
        var (train, test) = TrainTestSplit.Split(BuiltinDatasets.Load("breast-cancer"), 0.2, seed: 0);
        using var model = Trainer.Fit(train, new TrainingOptions { Standardize = true });
        double[] proba = model.PredictProbabilities(test).Values;
        foreach (double? t in new double?[] { null, 0.3 })
        {
            var e = model.Evaluate(test, t);
            var expected = Evaluation.Of(test.Labels, proba, 2, t);
            Assert.Equal(t ?? 0.5, e.Threshold);
            Assert.Equal((expected.Accuracy, expected.LogLoss, expected.RocAuc, expected.BrierScore), (e.Accuracy, e.LogLoss, e.RocAuc, e.BrierScore));
            Assert.Equal(expected.ConfusionMatrix, e.ConfusionMatrix);
            // Independently: the share of rows whose class-1 probability is on the right side of the threshold.
            double accuracy = Enumerable.Range(0, test.SampleCount).Average(i => (proba[2 * i + 1] >= (t ?? 0.5) ? 1 : 0) == test.Labels[i] ? 1.0 : 0.0);
            Assert.Equal(accuracy, e.Accuracy, 15);
        }
    }
}
