using TorchLogistic.Data;
using TorchLogistic.IO;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Data;

/// <summary>
/// The encoder's rules on small tables whose encodings are worked out by hand (scikit-learn's OneHotEncoder and
/// SimpleImputer semantics), and the promise that an all-numeric file reads exactly as before.
/// </summary>
public class TabularEncoderTests
{
    private static TabularTable Table(string text) => TabularTable.Read(new StringReader(text), "t.csv");

    private const string Text = "colour,size,grade,label\nred,1,3,x\nblue,,1,y\n,4,2,x\ngreen,NA,3,y\nred,7,1,x\nblue,NaN,2,y\n";

    [Fact]
    public void Levels_are_sorted_and_fills_follow_the_strategy_on_the_given_rows()
    {
        var table = Table(Text);
        var options = new TabularOptions { Categorical = new[] { "grade" }, Missing = MissingStrategy.Median, MissingIndicator = true };
        // Rows 0..4 only: size's present values are 1, 4, 7 (median 4); colour's levels blue, green, red (red twice).
        var encoder = TabularEncoder.Fit(table, new[] { "colour", "size", "grade" }, new[] { 0, 1, 2, 3, 4 }, options);
        Assert.Equal(new[] { "colour[blue]", "colour[green]", "colour[red]", "colour[missing]", "size", "size[missing]", "grade[1]", "grade[2]", "grade[3]" },
            encoder.FeatureNames);
        Assert.Equal(4.0, encoder.Columns[1].NumericFill);
        Assert.Equal("red", encoder.Columns[0].LevelFill);
        double[] x = encoder.Transform(table, new[] { 2, 5 });
        Assert.Equal(new double[] { 0, 0, 1, 1, 4, 0, 0, 1, 0, /* row 5 */ 1, 0, 0, 0, 4, 1, 0, 1, 0 }, x);
    }

    [Theory]
    [InlineData(MissingStrategy.Mean, 4.0)]           // (1 + 4 + 7) / 3
    [InlineData(MissingStrategy.Median, 4.0)]
    [InlineData(MissingStrategy.MostFrequent, 1.0)]   // a three-way tie: the smallest
    public void Numeric_fills(MissingStrategy strategy, double fill)
    {
        var encoder = TabularEncoder.Fit(Table(Text), new[] { "size" }, Enumerable.Range(0, 6).ToArray(), new TabularOptions { Missing = strategy });
        Assert.Equal(fill, encoder.Columns[0].NumericFill);
    }

    [Fact]
    public void Median_of_an_even_count_is_the_mean_of_the_middle_two_and_ties_in_levels_take_the_first()
    {
        var table = Table("a,c,label\n1,q,x\n2,p,y\n10,q,x\n3,p,y\n");
        var encoder = TabularEncoder.Fit(table, new[] { "a", "c" }, new[] { 0, 1, 2, 3 }, new TabularOptions { Missing = MissingStrategy.Median });
        Assert.Equal(2.5, encoder.Columns[0].NumericFill);
        Assert.Equal("p", encoder.Columns[1].LevelFill);
    }

    [Fact]
    public void Drop_first_and_unknown_levels_ignored_give_all_zeros()
    {
        var table = Table("c,label\nb,x\na,y\nc,x\na,y\n");
        var encoder = TabularEncoder.Fit(table, new[] { "c" }, new[] { 0, 1, 2, 3 },
            new TabularOptions { CategoricalDrop = CategoricalDrop.First, HandleUnknown = UnknownLevels.Ignore });
        Assert.Equal(new[] { "c[b]", "c[c]" }, encoder.FeatureNames);
        Assert.Equal(new double[] { 1, 0, 0, 0, 0, 1, 0, 0, 0, 0 }, encoder.Transform(Table("c\nb\na\nc\nz\nz\n")));
        var error = TabularEncoder.Fit(table, new[] { "c" }, new[] { 0, 1, 2, 3 }, TabularOptions.Default);
        Assert.Contains("line 3, column 'c': level 'z' is not among the training rows' levels (a, b, c)",
            Assert.Throws<DataFormatException>(() => error.Transform(Table("c\nb\nz\n"))).Message);
    }

    [Fact]
    public void Number_coded_levels_sort_numerically()
    {
        var table = Table("k,label\n10,x\n9,y\n10,x\n2.0,y\n");
        var encoder = TabularEncoder.Fit(table, new[] { "k" }, new[] { 0, 1, 2, 3 }, new TabularOptions { Categorical = new[] { "k" } });
        Assert.Equal(new[] { "k[2]", "k[9]", "k[10]" }, encoder.FeatureNames);
    }

    [Fact]
    public void An_all_numeric_file_reads_exactly_as_the_numeric_loader_and_carries_no_encoder()
    {
        using var folder = new TempFolder();
        string path = folder.File("n.csv");
        File.WriteAllText(path, "a,b,label\n1.5,2,x\n3,-4e-3,y\n5,7,x\n8,9.25,y\n0.1,0.2,x\n6,1,y\n");
        var (train, test) = TabularCsv.LoadSplit(path, TabularOptions.Default, 0.34, 7);
        var (oldTrain, oldTest) = TrainTestSplit.SplitOptional(CsvDataset.Load(path), 0.34, 7);
        Assert.Null(train.Encoding);
        Assert.Equal(oldTrain.Features, train.Features);
        Assert.Equal(oldTest!.Features, test!.Features);
        Assert.Equal(oldTrain.Labels, train.Labels);
        Assert.Equal(oldTrain.FeatureNames, train.FeatureNames);
    }

    [Fact]
    public void The_encoder_survives_the_model_file()
    {
        var table = Table(Text);
        var encoder = TabularEncoder.Fit(table, new[] { "colour", "size", "grade" }, Enumerable.Range(0, 6).ToArray(),
            new TabularOptions { Categorical = new[] { "grade" }, Missing = MissingStrategy.Mean, MissingIndicator = true, CategoricalDrop = CategoricalDrop.First });
        var json = ModelFile.TabularToJson(encoder).ToJsonString();
        Assert.Contains("\"missing\":\"mean\",\"categorical_drop\":\"first\",\"handle_unknown\":\"error\"", json);
        Assert.Contains("{\"name\":\"size\",\"kind\":\"numeric\",\"levels\":[],\"fill\":4,\"indicator\":true}", json);
    }
}
