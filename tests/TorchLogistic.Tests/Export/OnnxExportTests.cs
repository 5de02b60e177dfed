using System.Text.Json;
using TorchLogistic.Data;
using TorchLogistic.Export;
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
        // Measured maxima: 2.2e-6 on digits one-vs-rest (64 terms, logits of tens), below 1e-6 everywhere else.
        RunsLikeTheLibrary(dataset, kind, degree, standardize, OnnxArithmetic.Float32, dataset == "digits" ? 5e-6 : 1e-6);
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
}
