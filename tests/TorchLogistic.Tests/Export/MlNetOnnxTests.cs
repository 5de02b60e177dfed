using TorchLogistic.Data;
using TorchLogistic.Export;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;
using Xunit.Abstractions;

namespace TorchLogistic.Tests.Export;

/// <summary>
/// Issue 17's "an opset that ML.NET's ApplyOnnxModel loads": the exported graphs run through ML.NET 5.0.1
/// (Microsoft.ML.OnnxTransformer on Microsoft.ML.OnnxRuntime 1.31.1, the same native runtime as OnnxExportTests)
/// on an IDataView of the graph's input columns, and their <c>probabilities</c> equal the library's predict.
/// </summary>
public class MlNetOnnxTests(ITestOutputHelper output)
{
    public static TheoryData<string, ModelKind, int, bool, OnnxArithmetic> Pipelines => new()
    {
        { "breast-cancer", ModelKind.Logistic, 1, true, OnnxArithmetic.Float64 },
        { "breast-cancer", ModelKind.Logistic, 1, true, OnnxArithmetic.Float32 },
        { "iris", ModelKind.Softmax, 1, true, OnnxArithmetic.Float64 },
        { "iris", ModelKind.Softmax, 3, false, OnnxArithmetic.Float64 },
        { "digits", ModelKind.OneVsRest, 1, true, OnnxArithmetic.Float64 },
    };

    [Theory]
    [MemberData(nameof(Pipelines))]
    public void Ml_net_apply_onnx_model_gives_the_library_probabilities(string dataset, ModelKind kind, int degree, bool standardize, OnnxArithmetic arithmetic)
    {
        var data = BuiltinDatasets.Load(dataset);
        using var model = Trainer.Fit(data, new TrainingOptions { Model = kind, PolynomialDegree = degree, Standardize = standardize, MaxIterations = 200 });
        double[] rows = OnnxRuntimeRun.AsFloat32(data.Features);
        int d = data.FeatureCount;
        bool[] numeric = Enumerable.Repeat(true, d).ToArray();
        using var folder = new TempFolder();

        var (probabilities, labels, readBack) = MlNetOnnxRun.Run(OnnxExport.ToBytes(model, arithmetic), model.FeatureNames, numeric,
            MlNetOnnxRun.Float32Cells(rows, data.SampleCount, d), folder.Path);

        // The IDataView holds exactly the float32 rows the library is given (TextLoader parsed every cell back).
        for (int j = 0; j < d; j++)
            Assert.Equal(Enumerable.Range(0, data.SampleCount).Select(i => (float)rows[i * d + j]), readBack[j].Cast<float>());
        double[] expected = model.PredictProbabilities(rows, data.SampleCount, d).Values;
        Assert.Equal(expected.Length, probabilities.Length);
        double maxDifference = expected.Zip(probabilities, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"ML.NET {dataset} {kind} degree {degree} standardize {standardize} {arithmetic}: max |ML.NET − library| = {maxDifference:E2}");
        Assert.True(maxDifference <= 1e-6, $"max difference {maxDifference:E3} > 1e-6");
        Assert.Equal(FittedModel.ArgmaxRows(probabilities, model.Classes.Length).Select(c => model.Classes[c]), labels);
    }

    [Theory]
    [InlineData(MissingStrategy.Mean, true, CategoricalDrop.None, ModelKind.Softmax)]
    [InlineData(MissingStrategy.MostFrequent, false, CategoricalDrop.First, ModelKind.OneVsRest)]
    public void Ml_net_feeds_string_and_missing_columns_to_the_encoding_graph(MissingStrategy missing, bool indicator, CategoricalDrop drop, ModelKind kind)
    {
        // String columns reach the graph as ML.NET text (ReadOnlyMemory<char>), which OnnxTransformer hands to
        // ONNX Runtime as a string tensor; a missing numeric cell is written as NaN, the graph's missing marker.
        var sample = TabularSample.Create();
        using var folder = new TempFolder();
        string path = folder.File("people.csv");
        File.WriteAllText(path, sample.Csv);
        var data = TabularCsv.Load(path, new TabularOptions { Missing = missing, MissingIndicator = indicator, CategoricalDrop = drop });
        using var model = Trainer.Fit(data, new TrainingOptions { Model = kind, Standardize = true });
        bool[] numeric = model.Encoding!.Columns.Select(c => c.Kind == ColumnKind.Numeric).ToArray();
        Assert.Equal(new[] { true, false, true, false }, numeric);
        string[][] cells = sample.Cells.Select(r => r.Select((cell, j) => numeric[j] && cell is "" or "NA" ? "NaN" : cell).ToArray()).ToArray();
        Assert.Contains(cells, r => r[0] == "NaN");
        Assert.Contains(cells, r => r[1] is "" or "NA");

        var (probabilities, labels, readBack) = MlNetOnnxRun.Run(OnnxExport.ToBytes(model), TabularSample.Columns, numeric, cells, folder.Path);

        Assert.Equal(cells.Select(r => r[1]), readBack[1].Cast<string>());
        Assert.Equal(cells.Select(r => r[0] == "NaN"), readBack[0].Cast<float>().Select(float.IsNaN));
        double[] expected = model.PredictProbabilities(TabularTable.Load(path)).Values;
        Assert.Equal(expected.Length, probabilities.Length);
        double maxDifference = expected.Zip(probabilities, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"ML.NET tabular {missing} indicator {indicator} drop {drop} {kind}: max |ML.NET − library| = {maxDifference:E2}");
        Assert.True(maxDifference <= 1e-6, $"max difference {maxDifference:E3} > 1e-6");
        Assert.Equal(FittedModel.ArgmaxRows(probabilities, model.Classes.Length).Select(c => model.Classes[c]), labels);
    }
}
