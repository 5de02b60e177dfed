using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace TorchLogistic.Tests.Export;

/// <summary>Runs an exported ONNX graph with ONNX Runtime on row-major float64 rows (rounded to float32, one input per column).</summary>
internal static class OnnxRuntimeRun
{
    /// <summary>The graph's <c>probabilities</c> (row-major, as float64), <c>label</c> and metadata.</summary>
    public static (double[] Probabilities, string[] Labels, IReadOnlyDictionary<string, string> Metadata) Run(byte[] onnx, string[] featureNames, double[] features, int rows)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(onnx, options);
        int d = featureNames.Length;
        var inputs = featureNames.Select((name, j) =>
        {
            var column = new float[rows];
            for (int i = 0; i < rows; i++) column[i] = (float)features[i * d + j];
            return NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(column, new[] { rows, 1 }));
        }).ToList();
        using var results = session.Run(inputs);
        var probabilities = results.Single(r => r.Name == "probabilities").AsTensor<float>().ToArray().Select(v => (double)v).ToArray();
        var labels = results.Single(r => r.Name == "label").AsTensor<string>().ToArray();
        return (probabilities, labels, session.ModelMetadata.CustomMetadataMap);
    }

    /// <summary>
    /// Runs a graph whose inputs are raw tabular columns: <paramref name="numeric"/> columns as float32 (NaN for a
    /// missing cell, as the graph expects), the others as strings exactly as written in the file.
    /// </summary>
    public static (double[] Probabilities, string[] Labels) RunTabular(byte[] onnx, string[] columns, bool[] numeric, string[][] cells)
    {
        using var session = new InferenceSession(onnx);
        int rows = cells.Length;
        var inputs = columns.Select((name, j) => numeric[j]
            ? NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(cells.Select(r => r[j] is "" or "NA" ? float.NaN : float.Parse(r[j], System.Globalization.CultureInfo.InvariantCulture)).ToArray(), new[] { rows, 1 }))
            : NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>(cells.Select(r => r[j]).ToArray(), new[] { rows, 1 }))).ToList();
        using var results = session.Run(inputs);
        var probabilities = results.Single(r => r.Name == "probabilities").AsTensor<float>().ToArray().Select(v => (double)v).ToArray();
        return (probabilities, results.Single(r => r.Name == "label").AsTensor<string>().ToArray());
    }

    /// <summary><paramref name="features"/> rounded to float32 and back: the inputs the float32 graph sees.</summary>
    public static double[] AsFloat32(double[] features) => features.Select(v => (double)(float)v).ToArray();
}
