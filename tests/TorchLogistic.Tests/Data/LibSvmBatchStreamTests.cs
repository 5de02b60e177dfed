using System.IO.Compression;
using TorchLogistic.Data;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Sparse;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;
using Xunit.Abstractions;

namespace TorchLogistic.Tests.Data;

/// <summary>
/// <see cref="LibSvmBatchStream"/> against the in-memory reader <see cref="LibSvmFile.Load"/> (the reference: its rows,
/// densified) and streamed training on a LIBSVM file against training on the same rows another way.
/// </summary>
public class LibSvmBatchStreamTests(ITestOutputHelper output)
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "libsvm", name);

    /// <summary>Row-major dense rows of a CSR matrix.</summary>
    private static double[] Dense(CsrMatrix x)
    {
        var dense = new double[(long)x.RowCount * x.ColumnCount];
        for (int i = 0; i < x.RowCount; i++)
        {
            for (int p = x.RowPointers[i]; p < x.RowPointers[i + 1]; p++) dense[(long)i * x.ColumnCount + x.ColumnIndices[p]] = x.Values[p];
        }
        return dense;
    }

    private static (List<double> X, List<int> Y) ReadPass(BatchStream stream, int? batchRows = null)
    {
        var (x, y) = (new List<double>(), new List<int>());
        stream.Rewind(batchRows: batchRows);
        while (stream.Next() is { } batch)
        {
            Assert.Equal(batch.RowCount * stream.FeatureCount, batch.Features.Length);
            x.AddRange(batch.Features);
            y.AddRange(batch.Labels);
        }
        return (x, y);
    }

    /// <summary>A small file with comments, qid tokens, blank lines, a row without entries and unsorted numeric labels, gzipped when asked.</summary>
    private static string WriteTricky(TempFolder folder, bool gzip)
    {
        const string text = "# made by hand\n3 qid:1 2:0.5 7:-1.25 # trailing comment\n\n-1 qid:2 1:2\n10 3:1e-3 7:4\n-1\n3 1:1 2:2 3:3 4:4 5:5 6:6 7:7\n   \n10 qid:9 6:-0.125\n";
        string path = folder.File(gzip ? "tricky.svm.gz" : "tricky.svm");
        using var file = File.Create(path);
        using Stream output = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
        output.Write(System.Text.Encoding.UTF8.GetBytes(text));
        return path;
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(false, 4)]
    [InlineData(true, 1000)]
    public void A_libsvm_stream_yields_the_rows_of_the_in_memory_reader_densified(bool gzip, int batch)
    {
        using var folder = new TempFolder();
        string path = WriteTricky(folder, gzip);
        var memory = LibSvmFile.Load(path);
        using var stream = LibSvmBatchStream.Open(path, batch);

        Assert.Equal(7, stream.FeatureCount);                                           // the largest index
        Assert.Equal(new[] { "-1", "3", "10" }, stream.Classes);                         // numeric order, not text order
        Assert.Equal(memory.Classes, stream.Classes);
        Assert.Equal(memory.FeatureNames, stream.FeatureNames);
        Assert.Equal(6, stream.SampleCount);
        Assert.Equal(new long[] { 2, 2, 2 }, stream.ClassCounts);
        for (int pass = 0; pass < 2; pass++)
        {
            var (x, y) = ReadPass(stream);
            Assert.Equal(Dense(memory.Features), x);
            Assert.Equal(memory.Labels, y);
        }
        Assert.Equal(Dense(memory.Features), ReadPass(stream, batchRows: 5).X);
    }

    [Fact]
    public void A_test_file_takes_the_training_files_features_and_classes()
    {
        using var folder = new TempFolder();
        string train = WriteTricky(folder, gzip: false);
        string test = folder.File("test.svm");
        File.WriteAllText(test, "10 2:1\n-1 1:3\n");                                    // largest index 2 < 7, and only two of the classes
        var (trainStream, testStream) = DataStreams.Open(train, 2, test);
        using var a = trainStream;
        using var b = testStream!;
        Assert.IsType<LibSvmBatchStream>(b);
        Assert.Equal(7, b.FeatureCount);
        Assert.Equal(a.Classes, b.Classes);
        var (x, y) = ReadPass(b);
        Assert.Equal(new double[] { 0, 1, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0 }, x);
        Assert.Equal(new[] { 2, 0 }, y);

        File.WriteAllText(test, "10 2:1\n-1 8:3\n");
        var beyond = Assert.Throws<DataFormatException>(() => DataStreams.Open(train, 2, test));
        Assert.Equal($"'{test}' line 2: feature index 8 is beyond the model's 7 features. Score data with the features the model was trained on.", beyond.Message);
        File.WriteAllText(test, "10 2:1\n4 1:3\n");
        Assert.StartsWith($"'{test}' line 2: label '4' is not one of the training classes (-1, 3, 10).", Assert.Throws<DataFormatException>(() => DataStreams.Open(train, 2, test)).Message);
    }

    [Theory]
    [InlineData("1 1:0.5 3:1\n-1 4:2 2:1\n")]
    [InlineData("1 1:1\n1 0:1 2:1\n")]
    [InlineData("1 1:1\nx 2:1\n")]
    [InlineData("# nothing\n\n")]
    public void Bad_lines_are_refused_with_the_in_memory_readers_message(string text)
    {
        using var folder = new TempFolder();
        string path = folder.File("bad.svm");
        File.WriteAllText(path, text);
        string expected = Assert.Throws<DataFormatException>(() => LibSvmFile.Load(path)).Message;
        Assert.Equal(expected, Assert.Throws<DataFormatException>(() => LibSvmBatchStream.Open(path, 8)).Message);
    }

    [Fact]
    public void Rows_without_any_feature_are_refused_before_a_batch_of_zero_columns()
    {
        using var folder = new TempFolder();
        string path = folder.File("labels.svm");
        File.WriteAllText(path, "1\n-1 # no pairs\n");
        Assert.Equal($"'{path}' has 2 rows but not one index:value pair: there are no features to learn from. Give rows with 'label index:value …'.",
            Assert.Throws<DataFormatException>(() => LibSvmBatchStream.Open(path, 8)).Message);
    }

    [Fact]
    public void Streamed_sgd_on_a_libsvm_file_takes_the_steps_of_streamed_sgd_on_the_csv_of_its_rows()
    {
        // The same dense rows in the same order, so the same scaler, batches and steps: θ equal to the last bit.
        using var folder = new TempFolder();
        var memory = LibSvmFile.Load(Fixture("multiclass.svm"));
        double[] dense = Dense(memory.Features);
        int d = memory.FeatureCount;
        var lines = new List<string> { string.Join(",", memory.FeatureNames.Append("label")) };
        for (int i = 0; i < memory.SampleCount; i++)
            lines.Add(string.Join(",", dense.Skip(i * d).Take(d).Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append(memory.Classes[memory.Labels[i]])));
        string csv = folder.File("multiclass.csv");
        File.WriteAllLines(csv, lines);
        var options = new TrainingOptions
        {
            Model = ModelKind.Softmax, Solver = SolverKind.Sgd, LearningRate = 0.1, BatchSize = 32, MaxIterations = 3, Standardize = true, C = 0.5, Tolerance = 1e-300,
        };

        using var svmStream = LibSvmBatchStream.Open(Fixture("multiclass.svm"), options.BatchSize, shuffleBuffer: 50, seed: 3);
        using var csvStream = CsvBatchStream.Open(csv, options.BatchSize, shuffleBuffer: 50, seed: 3);
        Assert.Equal(csvStream.Classes, svmStream.Classes);
        using var fromSvm = StreamingTrainer.Fit(svmStream, options);
        using var fromCsv = StreamingTrainer.Fit(csvStream, options);
        Assert.Equal(fromCsv.Result!.Theta, fromSvm.Result!.Theta);
        Assert.Equal(fromCsv.Result.History.Select(h => h.Objective), fromSvm.Result.History.Select(h => h.Objective));
        Assert.Equal(fromCsv.FeatureNames, fromSvm.FeatureNames);
    }

    [Fact]
    public void Full_passes_of_a_libsvm_stream_reach_the_optimum_of_sparse_in_memory_training()
    {
        // L-BFGS on the streamed objective (each f, ∇f a pass over the file in batches) against Trainer.Fit on the
        // SparseDataset (the managed sparse binary kernel): the same objective; the kernel sums rows in another order than
        // the streamed batches, so the iterates differ by rounding that L-BFGS carries to the end (5.8e-12 measured at
        // ‖∇F‖∞ ≤ 1e-10, the same iteration count): θ to 1e-10, F to 1e-12.
        var options = new TrainingOptions { Solver = SolverKind.Lbfgs, C = 0.3, MaxIterations = 1000, Tolerance = 1e-10 };
        var memory = LibSvmFile.Load(Fixture("binary.svm"));
        using var inMemory = Trainer.Fit(memory, options);
        using var stream = LibSvmBatchStream.Open(Fixture("binary.svm"), 64);
        using var objective = new StreamingObjective(stream, 1, options.PenaltyObject);
        var result = TrainingLoop.Run(objective, SolverRegistry.Create(options.SolverSettings), new double[objective.ParameterCount], options.MaxIterations, options.Tolerance);

        Assert.True(inMemory.Result!.Converged && result.Converged, $"{inMemory.Result.StopDescription}; {result.StopDescription}");
        Assert.Equal(memory.FeatureCount + 1, result.Theta.Length);
        double error = Close.RelativeError(result.Theta, inMemory.Result.Theta);
        output.WriteLine($"streamed L-BFGS vs Trainer.Fit(SparseDataset): θ relative error {error:E2}, F {result.History[^1].Objective:R} vs {inMemory.Result.History[^1].Objective:R}, {result.Iterations} vs {inMemory.Result.Iterations} iterations");
        Assert.True(error <= 1e-10, $"θ differs by {error:E2} relative");
        Close.Equal(inMemory.Result.History[^1].Objective, result.History[^1].Objective, 1e-12, what: "F at the optimum");
    }
}
