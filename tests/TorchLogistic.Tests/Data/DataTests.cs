using TorchLogistic.Data;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Data;

public class DataTests
{
    [Theory]
    [InlineData("breast-cancer", 569, 30, 2, new[] { 212, 357 })]
    [InlineData("iris", 150, 4, 3, new[] { 50, 50, 50 })]
    [InlineData("digits", 1797, 64, 10, new[] { 178, 182, 177, 183, 181, 182, 181, 179, 174, 180 })]
    public void Builtin_data_sets_have_the_published_shape_and_class_counts(string name, int m, int d, int k, int[] counts)
    {
        var data = BuiltinDatasets.Load(name);
        Assert.Equal((m, d, k), (data.SampleCount, data.FeatureCount, data.ClassCount));
        Assert.Equal(counts, data.ClassCounts());
        Assert.Equal(d, data.FeatureNames.Distinct().Count());
    }

    [Fact]
    public void Breast_cancer_first_row_and_names_are_scikit_learns()
    {
        var data = BuiltinDatasets.Load("breast-cancer");
        Assert.Equal(new[] { "malignant", "benign" }, data.Classes);
        Assert.Equal("mean radius", data.FeatureNames[0]);
        Assert.Equal("radius error", data.FeatureNames[10]);
        Assert.Equal("worst fractal dimension", data.FeatureNames[29]);
        Assert.Equal(17.99, data[0, 0]);
        Assert.Equal(0.1189, data[0, 29]);
        Assert.Equal(0, data.Labels[0]);
    }

    [Fact]
    public void Selected_features_are_the_named_columns_in_the_given_order()
    {
        var data = BuiltinDatasets.Load("breast-cancer");
        var two = data.SelectFeatures(new[] { "mean symmetry", "mean radius" });
        Assert.Equal(new[] { "mean symmetry", "mean radius" }, two.FeatureNames);
        Assert.Equal((569, 2), (two.SampleCount, two.FeatureCount));
        // scikit-learn's first row: mean radius 17.99, mean symmetry 0.2419; the second row: 20.57 and 0.1812.
        Assert.Equal(new[] { 0.2419, 17.99, 0.1812, 20.57 }, two.Features.Take(4));
        Assert.Equal(data.Labels, two.Labels);
        var e = Assert.Throws<ArgumentException>(() => data.SelectFeatures(new[] { "mean radius", "radius" }));
        Assert.Contains("no feature 'radius'", e.Message);
        Assert.Contains("mean radius", e.Message);
    }

    [Fact]
    public void Csv_labels_become_classes_in_sorted_order()
    {
        var text = "a,b,label\n1,2,dog\n3,4,cat\n5,6,emu\n7,8,cat\n";
        var data = CsvDataset.Read(new StringReader(text), "t.csv");
        Assert.Equal(new[] { "cat", "dog", "emu" }, data.Classes);
        Assert.Equal(new[] { 1, 0, 2, 0 }, data.Labels);
        Assert.Equal(new[] { "a", "b" }, data.FeatureNames);
        Assert.Equal(new double[] { 1, 2, 3, 4, 5, 6, 7, 8 }, data.Features);
    }

    [Fact]
    public void Integer_labels_sort_numerically_and_label_column_can_be_named()
    {
        var text = "y,x1,x2\n10,1,2\n2,3,4\n10,5,6\n";
        var data = CsvDataset.Read(new StringReader(text), "t.csv", label: "y");
        Assert.Equal(new[] { "2", "10" }, data.Classes);
        Assert.Equal(new[] { 1, 0, 1 }, data.Labels);
        Assert.Equal(new[] { "x1", "x2" }, data.FeatureNames);
    }

    [Fact]
    public void Split_is_reproducible_by_seed_and_uses_ceil_of_the_test_fraction()
    {
        var labels = Enumerable.Range(0, 101).Select(i => i % 3 == 0 ? 1 : 0).ToArray();
        var a = TrainTestSplit.SplitIndices(labels, 0.2, seed: 7);
        var b = TrainTestSplit.SplitIndices(labels, 0.2, seed: 7);
        var c = TrainTestSplit.SplitIndices(labels, 0.2, seed: 8);
        Assert.Equal(a.Test, b.Test);
        Assert.NotEqual(a.Test, c.Test);
        Assert.Equal(21, a.Test.Length);                       // ceil(0.2 · 101)
        Assert.Equal(Enumerable.Range(0, 101), a.Train.Concat(a.Test).OrderBy(i => i));
        // Stratified: the test part keeps the 1:2 class ratio (34 of 101 rows are class 1 → 7 of 21).
        Assert.Equal(7, a.Test.Count(i => labels[i] == 1));
    }

    [Fact]
    public void Split_with_a_test_part_needs_a_fraction_in_0_1_and_split_optional_takes_0()
    {
        var labels = Enumerable.Range(0, 101).Select(i => i % 3 == 0 ? 1 : 0).ToArray();
        var data = new Dataset("t", Enumerable.Range(0, 101).Select(i => (double)i).ToArray(), 101, 1, labels, new[] { "a", "b" }, new[] { "x" });
        var (train, test) = TrainTestSplit.Split(data, 0.2, seed: 7);
        var indices = TrainTestSplit.SplitIndices(labels, 0.2, seed: 7);
        Assert.Equal(indices.Test.Select(i => (double)i), test.Features);
        Assert.Equal(indices.Train.Select(i => (double)i), train.Features);
        foreach (double bad in new[] { 0.0, 1.0, -0.1, double.NaN })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => TrainTestSplit.Split(data, bad, seed: 0));
            Assert.StartsWith($"Test fraction {bad} must be in (0, 1) for a split with a test part; to train on every row, use TrainTestSplit.SplitOptional with 0.", e.Message);
        }
        var (all, none) = TrainTestSplit.SplitOptional(data, 0, seed: 0);
        Assert.Null(none);
        Assert.Equal(data.Features, all.Features);
        var (optionalTrain, optionalTest) = TrainTestSplit.SplitOptional(data, 0.2, seed: 7);
        Assert.Equal(test.Features, optionalTest!.Features);
        Assert.Equal(train.Features, optionalTrain.Features);
    }

    [Fact]
    public void Scaler_uses_training_mean_and_population_std_and_leaves_constant_columns_unscaled()
    {
        // Column 0: 1, 2, 3, 4 → mean 2.5, population std sqrt(1.25). Column 1 constant 5.
        var data = new Dataset("t", new double[] { 1, 5, 2, 5, 3, 5, 4, 5 }, 4, 2, new[] { 0, 1, 0, 1 }, new[] { "a", "b" }, new[] { "x", "c" });
        var scaler = StandardScaler.Fit(data);
        Close.All(new[] { 2.5, 5.0 }, scaler.Mean, 1e-15);
        Close.All(new[] { Math.Sqrt(1.25), 1.0 }, scaler.Scale, 1e-15);
        var t = scaler.Transform(data);
        Close.Equal(-1.5 / Math.Sqrt(1.25), t[0, 0], 1e-15);
        Assert.Equal(0.0, t[3, 1]);
    }
}
