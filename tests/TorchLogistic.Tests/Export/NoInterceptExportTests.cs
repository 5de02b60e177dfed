using TorchLogistic.Data;
using TorchLogistic.Export;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;
using Xunit.Abstractions;

namespace TorchLogistic.Tests.Export;

/// <summary>Models without intercept (TrainingOptions.FitIntercept = false): Gemm without C, a zero bias in the state_dict, intercept 0 in the arrays.</summary>
public class NoInterceptExportTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("breast-cancer", ModelKind.Logistic)]
    [InlineData("iris", ModelKind.Softmax)]
    [InlineData("iris", ModelKind.OneVsRest)]
    public void Every_format_carries_a_model_without_intercept(string dataset, ModelKind kind)
    {
        var data = BuiltinDatasets.Load(dataset);
        using var model = Trainer.Fit(data, new TrainingOptions { Model = kind, Standardize = true, FitIntercept = false, MaxIterations = 200 });
        Assert.False(model.Module.FitIntercept);
        double[] rows = OnnxRuntimeRun.AsFloat32(data.Features);
        double[] expected = model.PredictProbabilities(rows, data.SampleCount, data.FeatureCount).Values;

        var (onnx, _, _) = OnnxRuntimeRun.Run(OnnxExport.ToBytes(model), model.FeatureNames, rows, data.SampleCount);
        double maxOnnx = expected.Zip(onnx, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"{dataset} {kind} without intercept: max |ONNX − library| = {maxOnnx:E2}; nodes {string.Join(" ", OnnxExport.NodeList(model))}");
        Assert.True(maxOnnx <= 1e-7, $"ONNX differs by {maxOnnx:E3}");
        Assert.DoesNotContain(OnnxExport.Build(model, OnnxArithmetic.Float64).Initializers, t => t.Name == "intercept");

        using var folder = new TempFolder();
        PyTorchExport.Save(model, folder.File("model.pt"));
        using var fromPt = ModelExport.Load(folder.File("model.pt"));
        Assert.False(fromPt.Module.FitIntercept);
        Assert.Equal(model.Module.ParametersToVector(), fromPt.Module.ParametersToVector());

        using var fromJson = ExportDocument.FromJson(ExportDocument.ToText(model), "model.json");
        Assert.False(fromJson.Module.FitIntercept);
        Assert.Equal(model.PredictProbabilities(data).Values, fromJson.PredictProbabilities(data).Values);
        Assert.All(ExportDocument.Parameters(model).Intercept, b => Assert.Equal(0.0, b));
    }
}
