using TorchLogistic.IO;
using TorchLogistic.Training;

namespace TorchLogistic.Export;

/// <summary>Writing a fitted model in another runtime's format, and reading back the ones that can be read (a warm start).</summary>
public static class ModelExport
{
    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> in <paramref name="format"/> (a .pt also writes its .json beside it).</summary>
    public static void Save(FittedModel model, ExportFormat format, string path)
    {
        switch (format)
        {
            case ExportFormat.Onnx: OnnxExport.Save(model, path); break;
            case ExportFormat.PyTorch: PyTorchExport.Save(model, path); break;
            case ExportFormat.Numpy: NumpyExport.Save(model, path); break;
            default: ExportDocument.Save(model, path); break;
        }
    }

    /// <summary>
    /// Reads a model from <c>model.bin</c>, a PyTorch state_dict (<c>.pt</c>/<c>.pth</c>, with its <c>.json</c> beside it)
    /// or an export document (<c>.json</c>), chosen by the extension.
    /// </summary>
    /// <exception cref="ModelFormatException">The file is missing, foreign or corrupt; the message names it and the fix.</exception>
    public static FittedModel Load(string path)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is ".pt" or ".pth") return PyTorchExport.Load(path);
        if (extension == ".json")
        {
            if (!File.Exists(path)) throw new ModelFormatException($"Model file '{path}' does not exist. Write one with ExportDocument.Save.");
            return ExportDocument.FromJson(File.ReadAllText(path), path);
        }
        return ModelFile.Load(path);
    }
}
