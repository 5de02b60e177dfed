using TorchLogistic.Data;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.Training;

public class ProbabilitiesTests
{
    private static Probabilities ThreeRows() =>
        new(new[] { 0.7, 0.2, 0.1, 0.1, 0.3, 0.6, 0.4, 0.4, 0.2 }, new[] { "cat", "dog", "owl" });

    [Fact]
    public void Rows_columns_and_classes_index_the_row_major_values()
    {
        var p = ThreeRows();
        Assert.Equal((3, 3), (p.RowCount, p.ClassCount));
        Assert.Equal(new[] { "cat", "dog", "owl" }, p.Classes);
        Assert.Equal(0.6, p[1, 2]);
        Assert.Equal(0.4, p[2, 1]);
        Assert.Equal(new[] { 0.2, 0.3, 0.4 }, p.Column(1));
        Assert.Equal(new[] { 0.1, 0.6, 0.2 }, p.ForClass("owl"));
        Assert.Equal(new[] { 0, 2, 0 }, p.Argmax());              // row 2 ties cat and dog: the first wins
        Assert.Equal(0.3, p.Values[1 * 3 + 1]);
    }

    [Fact]
    public void Bad_shapes_indices_and_names_are_refused_with_the_values()
    {
        var p = ThreeRows();
        Assert.StartsWith("Row 3 is outside 0..2.", Assert.Throws<ArgumentOutOfRangeException>(() => p[3, 0]).Message);
        Assert.StartsWith("Class -1 is outside 0..2.", Assert.Throws<ArgumentOutOfRangeException>(() => p.Column(-1)).Message);
        Assert.StartsWith("No class is named 'emu'; the classes are cat, dog, owl.", Assert.Throws<ArgumentException>(() => p.ForClass("emu")).Message);
        Assert.StartsWith("5 values do not fill rows of 2 classes.", Assert.Throws<ArgumentException>(() => new Probabilities(new double[5], new[] { "a", "b" })).Message);
    }

    [Fact]
    public void A_binary_model_s_probabilities_are_the_sigmoid_of_its_own_logits()
    {
        var data = BuiltinDatasets.Load("breast-cancer");
        using var model = Trainer.Fit(data, new TrainingOptions { Standardize = true, MaxIterations = 50 });
        var p = model.PredictProbabilities(data);
        double[] theta = model.Module.ParametersToVector();
        int d = data.FeatureCount;
        double[] x = model.Scaler!.Transform(data.Features, data.SampleCount);
        Assert.Equal((data.SampleCount, 2), (p.RowCount, p.ClassCount));
        Assert.Equal(data.Classes, p.Classes);
        for (int i = 0; i < data.SampleCount; i += 37)
        {
            double z = theta[d];
            for (int j = 0; j < d; j++) z += theta[j] * x[i * d + j];
            double sigma = 1 / (1 + Math.Exp(-z));
            Close.Equal(sigma, p[i, 1], 1e-12);
            Close.Equal(1 - sigma, p[i, 0], 1e-12);
        }
        Assert.Equal(p.Column(1), p.ForClass(data.Classes[1]));
        Assert.Equal(model.Predict(data), p.Argmax());
    }
}
