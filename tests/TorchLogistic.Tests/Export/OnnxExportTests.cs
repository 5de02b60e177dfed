using System.Text.Json;
using TorchLogistic.Data;
using TorchLogistic.Export;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;
using Xunit.Abstractions;

namespace TorchLogistic.Tests.Export;

public class OnnxExportTests(ITestOutputHelper output)
{
    public static TheoryData<string, ModelKind, int, bool> Pipelines => new()
    {
        { "breast-cancer", ModelKind.Logistic, 1, true },
        { "breast-cancer", ModelKind.Logistic, 1, false },
        { "breast-cancer", ModelKind.OneVsRest, 1, true },
        { "iris", ModelKind.Softmax, 1, true },
        { "iris", ModelKind.Softmax, 3, false },
        { "iris", ModelKind.OneVsRest, 2, true },
        { "digits", ModelKind.Softmax, 1, true },
        { "digits", ModelKind.OneVsRest, 1, true },
    };

    [Theory]
    [MemberData(nameof(Pipelines))]
    public void Onnx_runtime_gives_the_library_probabilities_on_raw_rows(string dataset, ModelKind kind, int degree, bool standardize)
    {
        // float64 arithmetic inside: only the float32 output rounding (≤ 6e-8) separates the two.
        RunsLikeTheLibrary(dataset, kind, degree, standardize, OnnxArithmetic.Float64, 1e-7);
    }

    [Theory]
    [MemberData(nameof(Pipelines))]
    public void A_float32_graph_stays_within_float32_accumulation_error(string dataset, ModelKind kind, int degree, bool standardize)
    {
        // Measured maxima: 2.2e-6 on digits one-vs-rest (64 terms, logits of tens) and 1.8e-6 on iris degree 3 raw (34 cubic
        // terms of raw centimetres, logits of tens), below 1e-6 everywhere else. float32 rounds each product to 6e-8
        // relative, so the error grows with the sum of |w·x|; the default float64 arithmetic is within 3e-8 on all of them.
        RunsLikeTheLibrary(dataset, kind, degree, standardize, OnnxArithmetic.Float32, dataset == "digits" || degree > 1 ? 5e-6 : 1e-6);
    }

    private void RunsLikeTheLibrary(string dataset, ModelKind kind, int degree, bool standardize, OnnxArithmetic arithmetic, double tolerance)
    {
        var data = BuiltinDatasets.Load(dataset);
        using var model = Trainer.Fit(data, new TrainingOptions { Model = kind, PolynomialDegree = degree, Standardize = standardize, MaxIterations = 200 });
        double[] rows = OnnxRuntimeRun.AsFloat32(data.Features);

        var (probabilities, labels, metadata) = OnnxRuntimeRun.Run(OnnxExport.ToBytes(model, arithmetic), model.FeatureNames, rows, data.SampleCount);

        double[] expected = model.PredictProbabilities(rows, data.SampleCount, data.FeatureCount).Values;
        Assert.Equal(expected.Length, probabilities.Length);
        double maxDifference = expected.Zip(probabilities, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"{dataset} {kind} degree {degree} standardize {standardize} {arithmetic}: max |ONNX − library| = {maxDifference:E2}; nodes {string.Join(" ", OnnxExport.NodeList(model, arithmetic))}");
        Assert.True(maxDifference <= tolerance, $"max difference {maxDifference:E3} > {tolerance:E1}");
        int k = model.Classes.Length;
        var predicted = FittedModel.ArgmaxRows(probabilities, k);
        Assert.Equal(predicted.Select(c => model.Classes[c]), labels);
        Assert.Equal(JsonSerializer.Serialize(model.FeatureNames), metadata["feature_names"]);
        Assert.Equal(JsonSerializer.Serialize(model.Classes), metadata["classes"]);
    }

    public static TheoryData<MissingStrategy, bool, CategoricalDrop, ModelKind, int> TabularPipelines => new()
    {
        { MissingStrategy.Mean, true, CategoricalDrop.None, ModelKind.Softmax, 1 },
        { MissingStrategy.Median, false, CategoricalDrop.First, ModelKind.OneVsRest, 1 },
        { MissingStrategy.MostFrequent, true, CategoricalDrop.First, ModelKind.Softmax, 2 },
    };

    [Theory]
    [MemberData(nameof(TabularPipelines))]
    public void Categorical_and_missing_columns_are_encoded_inside_the_graph(MissingStrategy missing, bool indicator, CategoricalDrop drop, ModelKind kind, int degree)
    {
        var sample = TabularSample.Create();
        using var folder = new TempFolder();
        string path = folder.File("people.csv");
        File.WriteAllText(path, sample.Csv);
        var data = TabularCsv.Load(path, new TabularOptions { Missing = missing, MissingIndicator = indicator, CategoricalDrop = drop });
        using var model = Trainer.Fit(data, new TrainingOptions { Model = kind, Standardize = true, PolynomialDegree = degree });
        Assert.NotNull(model.Encoding);
        bool[] numeric = model.Encoding!.Columns.Select(c => c.Kind == ColumnKind.Numeric).ToArray();
        Assert.Equal(new[] { true, false, true, false }, numeric);

        var (probabilities, labels) = OnnxRuntimeRun.RunTabular(OnnxExport.ToBytes(model), TabularSample.Columns, numeric, sample.Cells);

        double[] expected = model.PredictProbabilities(TabularTable.Load(path)).Values;
        double maxDifference = expected.Zip(probabilities, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"{missing} indicator {indicator} drop {drop} {kind} degree {degree}: max |ONNX − library| = {maxDifference:E2}");
        output.WriteLine($"features: {string.Join(", ", model.FeatureNames)}");
        output.WriteLine($"nodes: {string.Join(" ", OnnxExport.NodeList(model))}");
        Assert.True(maxDifference <= 1e-7, $"max difference {maxDifference:E3}");
        Assert.Equal(FittedModel.ArgmaxRows(expected, 3).Select(c => model.Classes[c]), labels);
    }

    [Fact]
    public void An_unseen_level_fails_in_the_graph_as_in_the_library_unless_unknown_levels_are_ignored()
    {
        var sample = TabularSample.Create(rows: 120);
        using var folder = new TempFolder();
        string path = folder.File("people.csv");
        File.WriteAllText(path, sample.Csv);
        string[][] unseen = { new[] { "30", "purple", "1.5", "Lyon" } };
        bool[] numeric = { true, false, true, false };
        var strict = TabularCsv.Load(path, new TabularOptions { Missing = MissingStrategy.Mean });
        using var strictModel = Trainer.Fit(strict, new TrainingOptions { Model = ModelKind.Softmax });
        Assert.ThrowsAny<Microsoft.ML.OnnxRuntime.OnnxRuntimeException>(() => OnnxRuntimeRun.RunTabular(OnnxExport.ToBytes(strictModel), TabularSample.Columns, numeric, unseen));

        var lenient = TabularCsv.Load(path, new TabularOptions { Missing = MissingStrategy.Mean, HandleUnknown = UnknownLevels.Ignore });
        using var lenientModel = Trainer.Fit(lenient, new TrainingOptions { Model = ModelKind.Softmax });
        var (probabilities, _) = OnnxRuntimeRun.RunTabular(OnnxExport.ToBytes(lenientModel), TabularSample.Columns, numeric, unseen);
        File.WriteAllText(folder.File("unseen.csv"), "age,colour,size,city\n30,purple,1.5,Lyon\n");
        double[] expected = lenientModel.PredictProbabilities(TabularTable.Load(folder.File("unseen.csv"))).Values;
        Assert.Equal(expected, probabilities, (a, b) => Math.Abs(a - b) <= 1e-7);
    }
}
