using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace TorchLogistic.Tests.Export;

/// <summary>
/// Runs an exported ONNX graph the way an ML.NET service does: an IDataView with one column per graph input
/// (read by ML.NET's own TextLoader from a CSV written here), then <c>mlContext.Transforms.ApplyOnnxModel</c>.
/// </summary>
internal static class MlNetOnnxRun
{
    /// <summary>
    /// The graph's <c>probabilities</c> (row-major, as float64) and <c>label</c> for <paramref name="cells"/>: row-major text cells,
    /// numeric columns as float32 text (NaN for a missing cell), the others as strings. Each column as ML.NET read
    /// it back is returned too, so a caller can check that the IDataView holds exactly the intended inputs.
    /// </summary>
    public static (double[] Probabilities, string[] Labels, object[][] ReadBack) Run(byte[] onnx, string[] columns, bool[] numeric, string[][] cells, string folder)
    {
        string csv = Path.Combine(folder, "mlnet-input.csv");
        var text = new StringBuilder(string.Join(",", columns)).Append('\n');
        foreach (var row in cells) text.Append(string.Join(",", row)).Append('\n');
        File.WriteAllText(csv, text.ToString());

        var ml = new MLContext(seed: 0);
        var loaderColumns = columns.Select((name, j) => new TextLoader.Column(name, numeric[j] ? DataKind.Single : DataKind.String, j)).ToArray();
        var data = ml.Data.LoadFromTextFile(csv, new TextLoader.Options
        {
            Columns = loaderColumns,
            Separators = new[] { ',' },
            HasHeader = true,
            AllowQuoting = false,
            MissingRealsAsNaNs = true,
        });
        using var modelStream = new MemoryStream(onnx);
        var estimator = ml.Transforms.ApplyOnnxModel(new[] { "probabilities", "label" }, columns, modelStream);
        var transformer = estimator.Fit(data);
        try
        {
            var scored = transformer.Transform(data);
            var probabilities = scored.GetColumn<float[]>("probabilities").SelectMany(p => p).Select(v => (double)v).ToArray();
            // label is a string tensor (N): ML.NET gives each row a text vector of one element.
            var labels = scored.GetColumn<VBuffer<ReadOnlyMemory<char>>>("label").Select(v => string.Join("|", v.DenseValues())).ToArray();
            var readBack = columns.Select((name, j) => numeric[j]
                ? data.GetColumn<float>(name).Select(v => (object)v).ToArray()
                : data.GetColumn<ReadOnlyMemory<char>>(name).Select(v => (object)v.ToString()).ToArray()).ToArray();
            return (probabilities, labels, readBack);
        }
        finally
        {
            transformer.Dispose();
        }
    }

    /// <summary>Row-major float64 features as float32 text cells ("R": the shortest text that parses back to the same float).</summary>
    public static string[][] Float32Cells(double[] features, int rows, int columns) =>
        Enumerable.Range(0, rows).Select(i => Enumerable.Range(0, columns)
            .Select(j => ((float)features[i * columns + j]).ToString("R", CultureInfo.InvariantCulture)).ToArray()).ToArray();
}
