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
        var data = BuiltinDatasets.load(name);
        Assert.Equal((m, d, k), (data.n_samples, data.n_features, data.n_classes));
        Assert.Equal(counts, data.class_counts());
        Assert.Equal(d, data.feature_names.Distinct().Count());
    }

    [Fact]
    public void Breast_cancer_first_row_and_names_are_scikit_learns()
    {
        var data = BuiltinDatasets.load("breast-cancer");
        Assert.Equal(new[] { "malignant", "benign" }, data.classes);
        Assert.Equal("mean radius", data.feature_names[0]);
        Assert.Equal("radius error", data.feature_names[10]);
        Assert.Equal("worst fractal dimension", data.feature_names[29]);
        Assert.Equal(17.99, data[0, 0]);
        Assert.Equal(0.1189, data[0, 29]);
        Assert.Equal(0, data.labels[0]);
    }

    [Fact]
    public void Selected_features_are_the_named_columns_in_the_given_order()
    {
        var data = BuiltinDatasets.load("breast-cancer");
        var two = data.select_features(new[] { "mean symmetry", "mean radius" });
        Assert.Equal(new[] { "mean symmetry", "mean radius" }, two.feature_names);
        Assert.Equal((569, 2), (two.n_samples, two.n_features));
        // scikit-learn's first row: mean radius 17.99, mean symmetry 0.2419; the second row: 20.57 and 0.1812.
        Assert.Equal(new[] { 0.2419, 17.99, 0.1812, 20.57 }, two.features.Take(4));
        Assert.Equal(data.labels, two.labels);
        var e = Assert.Throws<ArgumentException>(() => data.select_features(new[] { "mean radius", "radius" }));
        Assert.Contains("no feature 'radius'", e.Message);
        Assert.Contains("mean radius", e.Message);
    }

    [Fact]
    public void Csv_labels_become_classes_in_sorted_order()
    {
        var text = "a,b,label\n1,2,dog\n3,4,cat\n5,6,emu\n7,8,cat\n";
        var data = CsvDataset.read(new StringReader(text), "t.csv");
        Assert.Equal(new[] { "cat", "dog", "emu" }, data.classes);
        Assert.Equal(new[] { 1, 0, 2, 0 }, data.labels);
        Assert.Equal(new[] { "a", "b" }, data.feature_names);
        Assert.Equal(new double[] { 1, 2, 3, 4, 5, 6, 7, 8 }, data.features);
    }

    [Fact]
    public void Integer_labels_sort_numerically_and_label_column_can_be_named()
    {
        var text = "y,x1,x2\n10,1,2\n2,3,4\n10,5,6\n";
        var data = CsvDataset.read(new StringReader(text), "t.csv", label: "y");
        Assert.Equal(new[] { "2", "10" }, data.classes);
        Assert.Equal(new[] { 1, 0, 1 }, data.labels);
        Assert.Equal(new[] { "x1", "x2" }, data.feature_names);
    }

    [Fact]
    public void Split_is_reproducible_by_seed_and_uses_ceil_of_the_test_fraction()
    {
        var labels = Enumerable.Range(0, 101).Select(i => i % 3 == 0 ? 1 : 0).ToArray();
        var a = TrainTestSplit.split_indices(labels, 0.2, seed: 7);
        var b = TrainTestSplit.split_indices(labels, 0.2, seed: 7);
        var c = TrainTestSplit.split_indices(labels, 0.2, seed: 8);
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
        var (train, test) = TrainTestSplit.split(data, 0.2, seed: 7);
        var indices = TrainTestSplit.split_indices(labels, 0.2, seed: 7);
        Assert.Equal(indices.Test.Select(i => (double)i), test.features);
        Assert.Equal(indices.Train.Select(i => (double)i), train.features);
        foreach (double bad in new[] { 0.0, 1.0, -0.1, double.NaN })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => TrainTestSplit.split(data, bad, seed: 0));
            Assert.StartsWith($"Test fraction {bad} must be in (0, 1) for a split with a test part; to train on every row, use TrainTestSplit.split_optional with 0.", e.Message);
        }
        var (all, none) = TrainTestSplit.split_optional(data, 0, seed: 0);
        Assert.Null(none);
        Assert.Equal(data.features, all.features);
        var (optionalTrain, optionalTest) = TrainTestSplit.split_optional(data, 0.2, seed: 7);
        Assert.Equal(test.features, optionalTest!.features);
        Assert.Equal(train.features, optionalTrain.features);
    }

    [Fact]
    public void Scaler_uses_training_mean_and_population_std_and_leaves_constant_columns_unscaled()
    {
        // Column 0: 1, 2, 3, 4 → mean 2.5, population std sqrt(1.25). Column 1 constant 5.
        var data = new Dataset("t", new double[] { 1, 5, 2, 5, 3, 5, 4, 5 }, 4, 2, new[] { 0, 1, 0, 1 }, new[] { "a", "b" }, new[] { "x", "c" });
        var scaler = StandardScaler.fit(data);
        Close.All(new[] { 2.5, 5.0 }, scaler.mean, 1e-15);
        Close.All(new[] { Math.Sqrt(1.25), 1.0 }, scaler.scale, 1e-15);
        var t = scaler.transform(data);
        Close.Equal(-1.5 / Math.Sqrt(1.25), t[0, 0], 1e-15);
        Assert.Equal(0.0, t[3, 1]);
    }
}
