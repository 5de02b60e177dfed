using TorchLogistic.Data;

namespace TorchLogistic.Tests.Data;

public class LabelledRowsTests
{
    [Fact]
    public void Rows_take_the_models_feature_order_and_class_indices()
    {
        // Columns b, extra, a; classes discovered as (no, yes); the model knows (maybe, yes, no) over (a, b).
        var data = new Dataset("rows.csv", new double[] { 1, 10, 100, 2, 20, 200, 3, 30, 300 }, 3, 3, new[] { 1, 0, 1 }, new[] { "no", "yes" }, new[] { "b", "extra", "a" });
        var aligned = LabelledRows.Align(data, new[] { "a", "b" }, new[] { "maybe", "yes", "no" });
        Assert.Equal(new[] { "a", "b" }, aligned.FeatureNames);
        Assert.Equal(new double[] { 100, 1, 200, 2, 300, 3 }, aligned.Features);
        Assert.Equal(new[] { "maybe", "yes", "no" }, aligned.Classes);
        Assert.Equal(new[] { 1, 2, 1 }, aligned.Labels);
    }

    [Fact]
    public void Unknown_labels_and_missing_features_are_named()
    {
        var data = new Dataset("rows.csv", new double[] { 1, 2, 3 }, 3, 1, new[] { 0, 1, 2 }, new[] { "u", "v", "w" }, new[] { "a" });
        var labels = Assert.Throws<DataFormatException>(() => LabelledRows.Align(data, new[] { "a" }, new[] { "v" }));
        Assert.Equal("'rows.csv' has labels 'u', 'w' (2 rows) that the model does not know; its classes are 'v'. Keep only rows of those classes, or use the label column the model was trained on.", labels.Message);
        var features = Assert.Throws<DataFormatException>(() => LabelledRows.Align(data, new[] { "a", "c" }, new[] { "u", "v", "w" }));
        Assert.StartsWith("'rows.csv' has 1 features but the model needs 2, and 1 of them are missing: 'c'.", features.Message);
    }
}
