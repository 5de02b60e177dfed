using System.IO.Compression;
using TorchLogistic.Data;
using TorchLogistic.Tests.Metrics;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Data;

/// <summary>
/// The LIBSVM reader against scikit-learn's <c>load_svmlight_file</c> on files written by its
/// <c>dump_svmlight_file</c> (Fixtures/scripts/libsvm_sklearn.py), and its refusals.
/// </summary>
public class LibSvmFileTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "libsvm", name);

    private static void AssertSameAsScikitLearn(SparseDataset data)
    {
        var expected = FixtureFile.Read("libsvm_sklearn.json")["roundtrip"]!;
        Assert.Equal((int)expected["rows"]!, data.SampleCount);
        Assert.Equal((int)expected["columns"]!, data.FeatureCount);
        Assert.Equal((int)expected["nnz"]!, data.Features.NonZeroCount);
        Assert.Equal(FixtureFile.Doubles(expected["x"]), data.Features.ToDense());
        var y = FixtureFile.Doubles(expected["y"]);
        Assert.Equal(new[] { "-1", "0", "1" }, data.Classes);
        Assert.Equal(y, data.Labels.Select(k => double.Parse(data.Classes[k], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_file_written_by_scikit_learn_reads_as_scikit_learn_reads_it_comments_and_query_ids_included()
    {
        AssertSameAsScikitLearn(LibSvmFile.Load(Fixture("roundtrip.svm")));
    }

    [Fact]
    public void The_gzipped_file_reads_the_same()
    {
        using var folder = new TempFolder();
        string gz = folder.File("roundtrip.svm.gz");
        using (var source = File.OpenRead(Fixture("roundtrip.svm")))
        using (var target = new GZipStream(File.Create(gz), CompressionLevel.Fastest))
            source.CopyTo(target);
        Assert.True(LibSvmFile.HasExtension(gz));
        AssertSameAsScikitLearn(LibSvmFile.Load(gz));
    }

    [Fact]
    public void Writing_and_reading_back_gives_the_same_matrix_and_labels()
    {
        var data = LibSvmFile.Load(Fixture("roundtrip.svm"));
        var text = new StringWriter();
        LibSvmFile.Write(text, data.Features, data.Labels.Select(k => data.Classes[k]).ToArray());
        var back = LibSvmFile.Read(new StringReader(text.ToString()), "written", data.FeatureCount);
        Assert.Equal(data.Features.RowPointers, back.Features.RowPointers);
        Assert.Equal(data.Features.ColumnIndices, back.Features.ColumnIndices);
        Assert.Equal(data.Features.Values, back.Features.Values);
        Assert.Equal(data.Labels, back.Labels);
    }

    [Fact]
    public void Classes_sort_numerically_and_features_are_the_largest_index()
    {
        var data = LibSvmFile.Read(new StringReader("10 3:1\n2 1:0.5 7:2 # note\n\n+1 qid:4 2:-1\n"), "inline");
        Assert.Equal(new[] { "1", "2", "10" }, data.Classes);
        Assert.Equal(new[] { 2, 1, 0 }, data.Labels);
        Assert.Equal(7, data.FeatureCount);
        Assert.Equal(new double[] { 0, 0, 1, 0, 0, 0, 0, 0.5, 0, 0, 0, 0, 0, 2, 0, -1, 0, 0, 0, 0, 0 }, data.Features.ToDense());
    }

    [Theory]
    [InlineData("1 2:1 1:3\n", "line 1: feature index 1 comes after 2; indices must increase")]
    [InlineData("1 1:1\n0 2:1 2:3\n", "line 2: feature index 2 comes after 2")]
    [InlineData("1 0:1 2:3\n", "line 1: feature index 0; LIBSVM indices start at 1")]
    [InlineData("1 1:1 abc\n", "line 1: 'abc' is not an index:value pair")]
    [InlineData("1 1:x\n", "line 1: '1:x': the value 'x' is not a number")]
    [InlineData("1 -3:1\n", "the index '-3' is not a positive whole number")]
    [InlineData("yes 1:1\n", "line 1: the label 'yes' is not a number")]
    [InlineData("1 1:nan\n", "'1:nan' is not finite")]
    [InlineData("# only a comment\n\n", "has no LIBSVM rows")]
    public void Bad_lines_are_refused_with_the_line_and_the_fix(string text, string expected)
    {
        var error = Assert.Throws<DataFormatException>(() => LibSvmFile.Read(new StringReader(text), "bad.svm"));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void An_index_beyond_the_models_features_is_refused()
    {
        var error = Assert.Throws<DataFormatException>(() => LibSvmFile.Read(new StringReader("1 1:1\n0 4:2\n"), "new.svm", featureCount: 3));
        Assert.Equal("'new.svm' line 2: feature index 4 is beyond the model's 3 features. Score data with the features the model was trained on.", error.Message);
    }
}
