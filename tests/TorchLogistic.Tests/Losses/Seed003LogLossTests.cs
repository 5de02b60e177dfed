using System.Text.Json.Nodes;
using TorchLogistic.Losses;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Losses;

/// <summary>
/// Seed 003's pitfall: for a 4-class example the multiclass log loss equals scikit-learn's <c>log_loss</c>
/// (0.7083767843022996), and the binary formula applied to one-hot columns gives a different number.
/// Values recorded by <c>Fixtures/scripts/seed003_log_loss.py</c> (scikit-learn 1.2.1).
/// </summary>
public class Seed003LogLossTests
{
    private static readonly JsonObject Fixture =
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "seed003_log_loss.json")))!.AsObject();

    private static Tensor Probabilities() => tensor(
        Fixture["probabilities"]!.AsArray().SelectMany(row => row!.AsArray().Select(v => (double)v!)).ToArray(), new long[] { 2, 4 });

    private static Tensor Labels() => tensor(Fixture["labels"]!.AsArray().Select(v => (long)v!).ToArray());

    [Fact]
    public void The_multiclass_log_loss_equals_sklearns_log_loss()
    {
        using var scope = NewDisposeScope();
        double expected = (double)Fixture["multiclass_log_loss"]!;
        Assert.Equal(0.7083767843022996, expected);
        // log p are logits whose softmax is p (each row sums to 1), so cross-entropy on them is the log loss of p.
        var logits = Probabilities().log();
        Close(expected, LossFunctions.CrossEntropy(logits, Labels()), 1e-15);
        Close(expected, nn.functional.cross_entropy(logits, Labels()), 1e-15);
        using var module = new CategoricalCrossEntropy();
        Close(expected, module.call(logits, Labels()), 1e-15);
        // Probability (one-hot) targets give the same number.
        var oneHot = nn.functional.one_hot(Labels(), 4).to_type(ScalarType.Float64);
        Close(expected, LossFunctions.CrossEntropy(logits, oneHot), 1e-15);
    }

    [Fact]
    public void The_binary_formula_on_one_hot_columns_gives_a_different_number()
    {
        using var scope = NewDisposeScope();
        double multiclass = (double)Fixture["multiclass_log_loss"]!;
        var p = Probabilities();
        var oneHot = nn.functional.one_hot(Labels(), 4).to_type(ScalarType.Float64);
        var columnLogits = (p / (1 - p)).log();
        // The binary formula averaged over all 8 entries = the mean of sklearn's per-column binary log losses.
        var meanOverEntries = LossFunctions.BinaryCrossEntropyWithLogits(columnLogits, oneHot);
        Close((double)Fixture["binary_formula_mean_over_entries"]!, meanOverEntries, 1e-14);
        double perColumnMean = Fixture["binary_log_loss_per_column"]!.AsArray().Average(v => (double)v!);
        Close(perColumnMean, meanOverEntries, 1e-14);
        // Summed over the classes of a row, averaged over rows.
        var sumOverClasses = LossFunctions.BinaryCrossEntropyWithLogits(columnLogits, oneHot, reduction: nn.Reduction.Sum) / 2;
        Close((double)Fixture["binary_formula_sum_over_classes"]!, sumOverClasses, 1e-14);
        foreach (var wrong in new[] { meanOverEntries, sumOverClasses })
            Assert.True(Math.Abs(Numbers.Value(wrong) - multiclass) > 0.1, $"{Numbers.Value(wrong)} should differ from {multiclass}");
    }

    [Fact]
    public void In_bits_the_log_loss_is_divided_by_ln_2()
    {
        using var scope = NewDisposeScope();
        // The binary loss with log_base 2 on the true-class column alone reproduces a log₂ multiclass value: −log₂ p_y.
        var p = Probabilities();
        var trueClass = p.gather(1, Labels().unsqueeze(1)).squeeze(1);
        var bits = LossFunctions.BinaryCrossEntropyWithLogits((trueClass / (1 - trueClass)).log(), ones(2, dtype: ScalarType.Float64), logBase: 2);
        Close((double)Fixture["multiclass_log_loss_base2"]!, bits, 1e-14);
    }

    private static void Close(double expected, Tensor actual, double relativeTolerance) => Support.Close.Equal(expected, Numbers.Value(actual), relativeTolerance);
}
