using TorchLogistic.Interactive;
using TorchLogistic.Metrics;

namespace TorchLogistic.Tests.Interactive;

public class HtmlTablesTests
{
    [Fact]
    public void Evaluation_table_has_each_metric_and_the_confusion_matrix()
    {
        // P(class 1) = 0.1, 0.8, 0.6, 0.7 at 0.5 predicts 0, 1, 1, 1 against 0, 1, 1, 0.
        var e = Evaluation.Of(new[] { 0, 1, 1, 0 }, new double[] { 0.9, 0.1, 0.2, 0.8, 0.4, 0.6, 0.3, 0.7 }, 2);
        string html = HtmlTables.Of(e);
        Assert.Contains("<tr><td>rows</td><td>4</td></tr><tr><td>threshold</td><td>0.5</td></tr><tr><td>accuracy</td><td>0.75</td></tr>", html);
        Assert.Contains("<tr><td>precision</td><td>0.6667</td></tr><tr><td>recall</td><td>1</td></tr>", html);
        // Rows are the true class: class 0 has one right (0.1) and one wrong (0.7); class 1 both right.
        Assert.Contains("<tr><td>0</td><td>1</td><td>1</td></tr><tr><td>1</td><td>0</td><td>2</td></tr>", html);
    }

    [Fact]
    public void Confusion_matrix_table_adds_per_class_recall_and_precision()
    {
        var m = new ConfusionMatrix(new[] { 0, 0, 1, 1, 1 }, new[] { 0, 1, 1, 1, 0 }, 2);
        string html = HtmlTables.Of(m);
        Assert.Contains("<tr><td>0</td><td>1</td><td>1</td><td>0.5</td></tr>", html);
        Assert.Contains("<tr><td>1</td><td>1</td><td>2</td><td>0.6667</td></tr>", html);
        Assert.Contains("<tr><td>precision</td><td>0.5</td><td>0.6667</td><td></td></tr>", html);
    }

    [Fact]
    public void Solver_names_and_messages_are_html_encoded()
    {
        var row = new TorchLogistic.Training.SolverComparison.Row(TorchLogistic.Optim.SolverKind.Gd, 3, 3, 0, 0.001, double.NaN, 1, false, "diverged", Array.Empty<double>(), Error: "objective <NaN> & worse");
        Assert.Contains("<td>objective &lt;NaN&gt; &amp; worse</td>", HtmlTables.Of(new[] { row }));
    }
}
