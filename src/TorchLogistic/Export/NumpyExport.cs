using System.IO.Compression;
using TorchLogistic.IO;
using TorchLogistic.Training;

namespace TorchLogistic.Export;

/// <summary>
/// A fitted model as a NumPy <c>.npz</c> (a zip of <c>.npy</c> arrays, <c>np.load(path)</c> with no pickle): <c>coef</c>
/// <c>(K', d')</c>, <c>intercept</c> <c>(K')</c>, <c>classes</c> <c>(K)</c>, <c>feature_names</c> <c>(d)</c>, <c>model</c>
/// <c>(1)</c> (logistic, softmax or ovr), <c>poly_powers</c> <c>(d', d)</c> (the identity without expansion),
/// <c>scaler_mean</c> and <c>scaler_scale</c> <c>(d')</c> (0 and 1 without standardisation), and
/// <c>export_json</c> <c>(1)</c>, the whole <see cref="ExportDocument"/> (tabular encoding included). With these,
/// <c>predict_proba</c> is a dozen lines of NumPy (README).
/// </summary>
public static class NumpyExport
{
    /// <summary>Writes the <c>.npz</c> of <paramref name="model"/> to <paramref name="path"/> atomically.</summary>
    public static void Save(FittedModel model, string path) => AtomicFile.WriteAllBytes(path, ToBytes(model));

    /// <summary>The <c>.npz</c> bytes of <paramref name="model"/>.</summary>
    public static byte[] ToBytes(FittedModel model)
    {
        var (coef, intercept) = ExportDocument.Parameters(model);
        long k = intercept.Length, d = model.Module.FeatureCount;
        long[][] powers = ExportDocument.Powers(model);
        var arrays = new (string Name, byte[] Bytes)[]
        {
            ("coef", NpyFile.ToBytes(coef, k, d)),
            ("intercept", NpyFile.ToBytes(intercept, k)),
            ("classes", NpyFile.ToBytes(model.Classes, model.Classes.Length)),
            ("feature_names", NpyFile.ToBytes(model.FeatureNames, model.FeatureNames.Length)),
            ("model", NpyFile.ToBytes(new[] { ModelFile.KindName(model.Module) }, 1)),
            ("poly_powers", NpyFile.ToBytes(powers.SelectMany(r => r).ToArray(), d, model.FeatureNames.Length)),
            ("scaler_mean", NpyFile.ToBytes(model.Scaler?.Mean ?? new double[d], d)),
            ("scaler_scale", NpyFile.ToBytes(model.Scaler?.Scale ?? Enumerable.Repeat(1.0, (int)d).ToArray(), d)),
            ("export_json", NpyFile.ToBytes(new[] { ExportDocument.ToText(model) }, 1)),
        };
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in arrays)
            {
                var entry = zip.CreateEntry(name + ".npy", CompressionLevel.Optimal);
                // A fixed time stamp: the same model gives the same bytes.
                entry.LastWriteTime = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
                using var s = entry.Open();
                s.Write(bytes);
            }
        }
        return stream.ToArray();
    }
}
