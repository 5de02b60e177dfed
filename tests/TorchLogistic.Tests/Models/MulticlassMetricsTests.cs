using TorchLogistic.Metrics;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Models;

public class MulticlassMetricsTests
{
    [Fact]
    public void Confusion_matrix_precision_and_recall_equal_scikit_learns()
    {
        int[] yTrue = MulticlassFixture.Integers("metrics.y_true");
        int[] yPred = MulticlassFixture.Integers("metrics.y_pred");
        var matrix = new ConfusionMatrix(yTrue, yPred, 4);
        var expected = MulticlassFixture.Get("metrics.confusion_matrix").AsArray().Select(r => r!.AsArray().Select(v => (long)v!).ToArray()).ToArray();
        Assert.Equal(expected, matrix.ToRows());
        // Class 3 is never predicted: precision 0 (zero_division=0), as scikit-learn.
        Close.All(MulticlassFixture.Numbers("metrics.precision"), matrix.Precision(), 1e-15);
        Close.All(MulticlassFixture.Numbers("metrics.recall"), matrix.Recall(), 1e-15);
        Assert.Equal(Enumerable.Range(0, 4).Select(k => (long)yTrue.Count(y => y == k)), matrix.Support);
    }

    [Fact]
    public void Log_loss_equals_scikit_learns_including_clipped_certainties()
    {
        double loss = ClassificationMetrics.LogLoss(MulticlassFixture.Integers("metrics.y_true"), MulticlassFixture.Numbers("metrics.proba"), 4);
        Close.Equal((double)MulticlassFixture.Get("metrics.log_loss"), loss, 1e-13);
    }

    [Fact]
    public void Labels_outside_the_classes_are_refused()
    {
        Assert.Contains("outside [0, 2)", Assert.Throws<ArgumentException>(() => new ConfusionMatrix(new[] { 0, 2 }, new[] { 0, 1 }, 2)).Message);
        Assert.Throws<ArgumentException>(() => new ConfusionMatrix(new[] { 0 }, new[] { 0, 1 }, 2));
    }
}
