using System.Globalization;
using System.Text;
using TorchLogistic.Data;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Data;

/// <summary>
/// The parallel memory-mapped readers (<see cref="LibSvmFastReader"/>, <see cref="CsvFastReader"/>) against the
/// line-by-line readers they fall back to, which are the reference: the same bits on fixtures and on generated files
/// with chunk boundaries everywhere (chunks of a few bytes, several threads), and the same one-line errors, with the
/// line number of a bad line far into the file.
/// </summary>
public class ParallelReaderTests
{
    /// <summary>Texts where a parser can go wrong: exponents, long mantissas, −0, subnormals, overflow, halfway cases, odd forms .NET accepts or refuses.</summary>
    private static readonly string[] TrickyNumbers =
    {
        "0", "-0", "0.0", "-0.0", "+0", "1", "-1", "+1", ".5", "5.", "-.5", "007", "1e0", "1E+2", "1e-2", "-1.5e-3", "1e22", "1e23", "9007199254740993",
        "0.1000000000000000055511151231257827021181583404541015625", "0.10000000000000000555111512312578270211815834045410156250000001",
        "123456789012345678901234567890", "0.00392156862745098", "0.5019607843137255", "0.996078431372549", "2.2250738585072011e-308",
        "2.2250738585072014e-308", "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "5e-324", "1e-400",
        "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1e309", "-1e309", "1e99999", "Infinity", "-Infinity",
        "NaN", "nan", "inf", " 1", "1 ", "1e", "1e+", "e5", ".", "-", "", "1.2.3", "0x10", "1,5", "1_0", "٣",
        // Eight-digit (SWAR) blocks: 19 and 20 significant digits, blocks across the point, a non-digit inside a block.
        "1234567890123456789", "12345678901234567890", "1.234567890123456789", "1.2345678901234567890", "12345678.87654321",
        "0.0000000012345678901", "99999999999999999999e-20", "1234567a8", "0.12345678:5", "10000000000000000001",
    };

    [Fact]
    public void Utf8_numbers_parse_to_the_bits_of_dotnets_parser_on_tricky_and_random_texts()
    {
        var random = new Random(20261201);
        var texts = TrickyNumbers.Concat(Enumerable.Range(0, 3000).Select(i => (i % 3) switch
        {
            0 => BitConverter.Int64BitsToDouble(random.NextInt64()).ToString("R", CultureInfo.InvariantCulture),
            1 => (random.Next(256) / 255.0).ToString("R", CultureInfo.InvariantCulture),
            _ => string.Concat(Enumerable.Range(0, random.Next(1, 25)).Select(_ => (char)('0' + random.Next(10)))) + "e" + random.Next(-330, 310),
        }));
        foreach (string text in texts)
        {
            bool expected = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double reference);
            bool got = Utf8Number.TryParse(Encoding.UTF8.GetBytes(text), out double value);
            Assert.True(expected == got, $"'{text}': .NET {expected}, Utf8Number {got}");
            if (expected) Assert.True(BitConverter.DoubleToInt64Bits(reference) == BitConverter.DoubleToInt64Bits(value), $"'{text}': {reference:R} vs {value:R}");
        }
    }

    [Theory]
    [InlineData("0.5019607843137255 7:1", 18, 0.5019607843137255)]
    [InlineData("-1.25e-3:", 8, -1.25e-3)]
    [InlineData("12345678901234567:x", 17, 12345678901234567d)]
    [InlineData("+1 ", 0, 0)]
    [InlineData("1e ", 0, 0)]
    public void A_plain_decimal_prefix_stops_at_the_byte_that_ends_it(string text, int used, double value)
    {
        Assert.Equal(used, Utf8Number.ParsePlainDecimalPrefix(Encoding.ASCII.GetBytes(text), out double parsed));
        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(parsed));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(64, 2)]
    [InlineData(1 << 22, 2)]
    public void Libsvm_chunks_anywhere_give_the_line_by_line_matrix_bit_for_bit(int chunkBytes, int threads)
    {
        using var folder = new TempFolder();
        string path = folder.File("tricky.svm");
        File.WriteAllText(path, TrickyLibSvm(rows: 300));
        var fast = WithChunks(chunkBytes, threads, () => LibSvmFastReader.TryRead(path, null, null));
        Assert.NotNull(fast);
        AssertSame(LineByLine(path), fast!);
        var known = WithChunks(chunkBytes, threads, () => LibSvmFastReader.TryRead(path, 60, new[] { "-1", "0", "1", "2.5" }));
        Assert.NotNull(known);
        AssertSame(LineByLine(path, 60, new[] { "-1", "0", "1", "2.5" }), known!);
    }

    [Theory]
    [InlineData("roundtrip.svm")]
    [InlineData("binary.svm")]
    [InlineData("multiclass.svm")]
    public void Libsvm_fixtures_read_the_same_on_both_paths(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "libsvm", name);
        var fast = WithChunks(16, 2, () => LibSvmFastReader.TryRead(path, null, null));
        Assert.NotNull(fast);
        AssertSame(LineByLine(path), fast!);
    }

    [Theory]
    [InlineData("1 3:abc", "'{0}' line 731: '3:abc': the value 'abc' is not a number.")]
    [InlineData("1 5:1 4:2", "'{0}' line 731: feature index 4 comes after 5; indices must increase within a line (scikit-learn refuses them too). Sort each line's pairs by index and merge repeats.")]
    [InlineData("x 1:1", "'{0}' line 731: the label 'x' is not a number. A LIBSVM line is 'label index:value …' with a numeric label.")]
    [InlineData("1 0:1", "'{0}' line 731: feature index 0; LIBSVM indices start at 1. Add 1 to every index of a zero-based file.")]
    public void A_bad_libsvm_line_in_a_late_chunk_is_named_by_its_line_number(string bad, string message)
    {
        using var folder = new TempFolder();
        string path = folder.File("bad.svm");
        var lines = TrickyLibSvm(rows: 800).Split('\n').ToList();
        lines[730] = bad;
        File.WriteAllText(path, string.Join("\n", lines));
        var error = WithChunks(32, 3, () => Assert.Throws<DataFormatException>(() => LibSvmFile.Load(path)));
        Assert.Equal(string.Format(CultureInfo.InvariantCulture, message, path), error.Message);
        Assert.Null(WithChunks(32, 3, () => LibSvmFastReader.TryRead(path, null, null)));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 3)]
    [InlineData(100, 2)]
    [InlineData(1 << 22, 2)]
    public void Csv_chunks_anywhere_give_the_line_by_line_data_set_bit_for_bit(int chunkBytes, int threads)
    {
        using var folder = new TempFolder();
        string path = folder.File("tricky.csv");
        File.WriteAllText(path, TrickyCsv(rows: 250), new UTF8Encoding(true));
        var fast = WithChunks(chunkBytes, threads, () => CsvFastReader.TryRead(path, "y", "w"));
        Assert.NotNull(fast);
        using var reader = new StreamReader(path);
        AssertSame(CsvDataset.Read(reader, path, "y", "w"), fast!);
        var plain = WithChunks(chunkBytes, threads, () => CsvFastReader.TryRead(path, null, null));
        Assert.NotNull(plain);
        using var again = new StreamReader(path);
        AssertSame(CsvDataset.Read(again, path), plain!);
    }

    [Theory]
    [InlineData(3, 2)]
    [InlineData(1 << 22, 1)]
    public void A_numeric_table_with_missing_cells_reads_the_same_on_both_paths(int chunkBytes, int threads)
    {
        using var folder = new TempFolder();
        string path = folder.File("table.csv");
        File.WriteAllText(path, TrickyCsv(rows: 200).Replace(",0.5,", ",NA,").Replace(",-0,", ",,").Replace(",7,", ", nan ,"));
        var fast = WithChunks(chunkBytes, threads, () => CsvFastReader.TryReadTable(path));
        Assert.NotNull(fast);
        using var reader = new StreamReader(path);
        var slow = TabularTable.Read(reader, path);
        Assert.Equal(slow.ColumnNames, fast!.ColumnNames);
        Assert.Equal(slow.RowCount, fast.RowCount);
        int missing = 0;
        for (int i = 0; i < slow.RowCount; i++)
        {
            Assert.Equal(slow.LineOf(i), fast.LineOf(i));
            for (int c = 0; c < slow.ColumnNames.Count; c++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(slow.Column(c).Number(i)), BitConverter.DoubleToInt64Bits(fast.Column(c).Number(i)));
                Assert.Equal(slow.Column(c).IsMissing(i), fast.Column(c).IsMissing(i));
                if (fast.Column(c).IsMissing(i)) missing++;
            }
        }
        Assert.True(missing > 10, $"{missing} missing cells: the test needs some");
    }

    [Theory]
    [InlineData("cv_iris.csv", true)]
    [InlineData("cv_breast_cancer.csv", true)]
    [InlineData("robust_inference_rows.csv", true)]
    [InlineData("data/titanic_survival.csv", false)]
    public void Csv_fixtures_read_the_same_on_both_paths(string name, bool numeric)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
        using var reader = new StreamReader(path);
        if (numeric)
        {
            var fast = WithChunks(64, 2, () => CsvFastReader.TryRead(path, null, null));
            Assert.NotNull(fast);
            AssertSame(CsvDataset.Read(reader, path), fast!);
        }
        else
        {
            // Text cells: the table's fast path declines, and TabularTable.Load reads it line by line.
            Assert.Null(CsvFastReader.TryReadTable(path));
            Assert.Equal(TabularTable.Read(reader, path).RowCount, TabularTable.Load(path).RowCount);
        }
    }

    [Theory]
    [InlineData("1,abc,0,1", "'{0}' line 612, column 'b': 'abc' is not a number. Features must be numeric (use '.' as the decimal point); encode categories as numbers first.")]
    [InlineData("1,2,3", "'{0}' line 612: 3 fields, but the header has 4. Every row needs one value per column.")]
    [InlineData("1,,0,1", "'{0}' line 612, column 'b': missing value. Fill or drop the row; features must be numbers.")]
    [InlineData("1,\"2,0,1", "'{0}' line 612: a quoted field is not closed. Close the quote; fields may not span lines.")]
    [InlineData("1,2,-1,1", "'{0}' line 612: sample weight -1 is negative. Weights must be ≥ 0.")]
    [InlineData("1,Infinity,0,1", "'{0}' line 612, column 'b': Infinity is not a finite number. Remove or impute NaN and infinite values.")]
    public void A_bad_csv_line_in_a_late_chunk_is_named_by_its_line_number_and_column(string bad, string message)
    {
        using var folder = new TempFolder();
        string path = folder.File("bad.csv");
        var text = new StringBuilder("a,b,w,y\n");
        for (int i = 2; i <= 700; i++)
            text.Append(i == 612 ? bad : i % 50 == 0 ? "" : $"{i * 0.25},{-i},1,{i % 3}").Append(i % 7 == 0 ? "\r\n" : "\n");
        File.WriteAllText(path, text.ToString());
        var error = WithChunks(40, 3, () => Assert.Throws<DataFormatException>(() => CsvDataset.Load(path, "y", "w")));
        Assert.Equal(string.Format(CultureInfo.InvariantCulture, message, path), error.Message);
        Assert.Null(WithChunks(40, 3, () => CsvFastReader.TryRead(path, "y", "w")));
    }

    /// <summary>LIBSVM rows with tricky numbers, comments (with ':'), query ids, blank lines, CRLF endings, rows without entries, and a last line without a break.</summary>
    private static string TrickyLibSvm(int rows)
    {
        var random = new Random(7);
        var text = new StringBuilder("# a comment: with a colon\n");
        string[] labels = { "1", "-1", "+1", "0", "2.5", "1.0", "-1e0" };
        for (int i = 0; i < rows; i++)
        {
            text.Append(labels[random.Next(labels.Length)]);
            if (i % 11 == 0) text.Append(" qid:").Append(i);
            int index = 0;
            int entries = i % 13 == 0 ? 0 : random.Next(1, 9);
            for (int k = 0; k < entries; k++)
            {
                index += random.Next(1, 7);
                string value = FiniteTricky(random);
                text.Append(random.Next(4) == 0 ? "\t" : " ").Append(index).Append(':').Append(value);
            }
            if (i % 17 == 0) text.Append(" # trailing comment 3:4");
            text.Append(i % 5 == 0 ? "\r\n" : "\n");
            if (i % 23 == 0) text.Append(i % 2 == 0 ? "\n" : "   \n");
        }
        return text.Append("1 2:3").ToString();
    }

    /// <summary>CSV rows a, b, w, y with tricky numbers, blank lines, CRLF endings, cells padded with spaces, numeric labels in several spellings.</summary>
    private static string TrickyCsv(int rows)
    {
        var random = new Random(11);
        var text = new StringBuilder("\n  \na, b ,w,y,c\n");
        string[] labels = { "1", "1.0", " 0 ", "-1", "2e0", "+2" };
        for (int i = 0; i < rows; i++)
        {
            string a = FiniteTricky(random), b = random.Next(3) == 0 ? " " + FiniteTricky(random) + "\t" : FiniteTricky(random);
            string w = random.Next(4) == 0 ? "0.5" : random.Next(3) == 0 ? "-0" : random.Next(2) == 0 ? "7" : "1e-3";
            text.Append(a).Append(',').Append(b).Append(',').Append(w).Append(',').Append(labels[random.Next(labels.Length)]).Append(',').Append(FiniteTricky(random));
            text.Append(i % 4 == 0 ? "\r\n" : "\n");
            if (i % 19 == 0) text.Append(" \t\n");
        }
        return text.ToString();
    }

    private static string FiniteTricky(Random random)
    {
        string[] fixedOnes = TrickyNumbers.Where(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && t.Trim() == t && t.Length > 0).ToArray();
        return random.Next(3) switch
        {
            0 => fixedOnes[random.Next(fixedOnes.Length)],
            1 => (random.NextDouble() * Math.Pow(10, random.Next(-320, 300))).ToString(random.Next(2) == 0 ? "R" : "E3", CultureInfo.InvariantCulture),
            _ => (random.Next(256) / 255.0).ToString("R", CultureInfo.InvariantCulture),
        };
    }

    private static SparseDataset LineByLine(string path, int? featureCount = null, string[]? classes = null)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        return LibSvmFile.Read(reader, path, featureCount, classes);
    }

    private static T WithChunks<T>(int chunkBytes, int threads, Func<T> read)
    {
        MappedText.ChunkBytes = chunkBytes;
        MappedText.Threads = threads;
        try
        {
            return read();
        }
        finally
        {
            MappedText.ChunkBytes = 1 << 22;
            MappedText.Threads = Environment.ProcessorCount;
        }
    }

    private static void AssertSame(SparseDataset expected, SparseDataset actual)
    {
        Assert.Equal(expected.SampleCount, actual.SampleCount);
        Assert.Equal(expected.FeatureCount, actual.FeatureCount);
        Assert.Equal(expected.Features.RowPointers, actual.Features.RowPointers);
        Assert.Equal(expected.Features.ColumnIndices, actual.Features.ColumnIndices);
        Assert.Equal(expected.Features.Values.Select(BitConverter.DoubleToInt64Bits), actual.Features.Values.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(expected.Labels, actual.Labels);
        Assert.Equal(expected.Classes, actual.Classes);
        Assert.True(expected.Features.NonZeroCount > 0);
    }

    private static void AssertSame(Dataset expected, Dataset actual)
    {
        Assert.Equal(expected.SampleCount, actual.SampleCount);
        Assert.Equal(expected.FeatureNames, actual.FeatureNames);
        Assert.Equal(expected.Features.Select(BitConverter.DoubleToInt64Bits), actual.Features.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(expected.Labels, actual.Labels);
        Assert.Equal(expected.Classes, actual.Classes);
        Assert.Equal(expected.SampleWeight?.Select(BitConverter.DoubleToInt64Bits), actual.SampleWeight?.Select(BitConverter.DoubleToInt64Bits));
    }
}
