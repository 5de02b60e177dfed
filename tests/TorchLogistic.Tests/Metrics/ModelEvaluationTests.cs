using TorchLogistic.Data;
using TorchLogistic.Metrics;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.Metrics;

public class ModelEvaluationTests
{
    [Fact]
    public void Evaluate_on_the_model_is_the_evaluation_of_its_probabilities()
    {
        var (train, test) = TrainTestSplit.split(BuiltinDatasets.load("breast-cancer"), 0.2, seed: 0);
        using var model = Trainer.fit(train, new TrainingOptions { standardize = true });
        double[] proba = model.predict_proba(test).values;
        foreach (double? t in new double?[] { null, 0.3 })
        {
            var e = model.evaluate(test, t);
            var expected = Evaluation.of(test.labels, proba, 2, t);
            Assert.Equal(t ?? 0.5, e.threshold);
            Assert.Equal((expected.accuracy, expected.log_loss, expected.roc_auc, expected.brier_score), (e.accuracy, e.log_loss, e.roc_auc, e.brier_score));
            Assert.Equal(expected.confusion_matrix, e.confusion_matrix);
            // Independently: the share of rows whose class-1 probability is on the right side of the threshold.
            double accuracy = Enumerable.Range(0, test.n_samples).Average(i => (proba[2 * i + 1] >= (t ?? 0.5) ? 1 : 0) == test.labels[i] ? 1.0 : 0.0);
            Assert.Equal(accuracy, e.accuracy, 15);
        }
    }
}
