using TorchLogistic.IO;
using TorchLogistic.Training;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace TorchLogistic.Export;

/// <summary>
/// A fitted model for PyTorch: <c>model.pt</c>, the state_dict <c>{"weight": W (K', d'), "bias": b (K')}</c> of a
/// <c>torch.nn.Linear(d', K')</c> in PyTorch's own format (zip + pickle, via TorchSharp.PyBridge), so that
/// <c>torch.nn.Linear(d', K').load_state_dict(torch.load("model.pt"))</c> gives this model's logits; and beside it
/// <c>model.json</c>, the <see cref="ExportDocument"/> without coef and intercept: the classes, the link (sigmoid,
/// softmax, one-vs-rest) and every preprocessing step the rows need first. <see cref="Load"/> reads both back, so
/// a model fine-tuned in PyTorch can warm-start training here.
/// </summary>
public static class PyTorchExport
{
    /// <summary>The preprocessing document that travels with <paramref name="statePath"/>: the same name with <c>.json</c>.</summary>
    public static string CompanionPath(string statePath) => Path.ChangeExtension(statePath, ".json");

    /// <summary>Writes <paramref name="statePath"/> (the state_dict) and its <see cref="CompanionPath"/> (the preprocessing).</summary>
    /// <exception cref="ArgumentException"><paramref name="statePath"/> ends in <c>.json</c>, so the two files would be one.</exception>
    public static void Save(FittedModel model, string statePath)
    {
        if (string.Equals(Path.GetExtension(statePath), ".json", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"'{statePath}' ends in .json, the name of the preprocessing file written beside the state_dict. Name the state_dict model.pt.");
        byte[] state = StateDictBytes(model);
        AtomicFile.WriteAllBytes(statePath, state);
        AtomicFile.WriteAllText(CompanionPath(statePath), ExportDocument.ToText(model, includeParameters: false));
    }

    /// <summary>The <c>.pt</c> bytes: the state_dict of a <c>Linear(d', K')</c> holding the module's W and b, in its dtype.</summary>
    public static byte[] StateDictBytes(FittedModel model)
    {
        using var scope = NewDisposeScope();
        using var linear = nn.Linear(model.Module.FeatureCount, model.Module.OutputCount, hasBias: true, dtype: model.Module.DType);
        using (no_grad())
        {
            linear.weight!.copy_(model.Module.Weight);
            // A model without an intercept exports b = 0 (the same logits).
            if (model.Module.Bias is { } bias) linear.bias!.copy_(bias);
            else linear.bias!.zero_();
        }
        using var stream = new MemoryStream();
        linear.save_py(stream, leaveOpen: true);
        return stream.ToArray();
    }

    /// <summary>Reads a state_dict written here or by <c>torch.save(linear.state_dict(), path)</c>, with its <see cref="CompanionPath"/>.</summary>
    /// <exception cref="ModelFormatException">Either file missing, foreign, corrupt, or of another shape than the preprocessing says.</exception>
    public static FittedModel Load(string statePath)
    {
        if (!File.Exists(statePath))
            throw new ModelFormatException($"State dict '{statePath}' does not exist. Write one with PyTorchExport.Save.");
        string companion = CompanionPath(statePath);
        if (!File.Exists(companion))
            throw new ModelFormatException($"'{statePath}' has no preprocessing file '{companion}' beside it; a state_dict alone has no classes, scaler or encoding. Write both with PyTorchExport.Save.");
        // The document (without parameters) fixes the shape the state_dict must have.
        using var shape = ExportDocument.FromJson(File.ReadAllText(companion), companion, theta: null, requireParameters: false);
        double[] theta = ReadTheta(statePath, shape.Module.FeatureCount, shape.Module.OutputCount, shape.Module.DType);
        return ExportDocument.FromJson(File.ReadAllText(companion), companion, theta);
    }

    private static double[] ReadTheta(string statePath, long d, long k, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        using var linear = nn.Linear(d, k, hasBias: true, dtype: dtype);
        try
        {
            using var stream = File.OpenRead(statePath);
            linear.load_py(stream, strict: true);
        }
        catch (Exception e)
        {
            throw new ModelFormatException($"'{statePath}' is not a PyTorch state_dict of Linear({d}, {k}) with 'weight' ({k}×{d}) and 'bias' ({k}) ({e.GetType().Name}: {e.Message.Split('\n')[0]}). Pass the .pt that PyTorchExport.Save or torch.save(linear.state_dict(), path) wrote.", e);
        }
        using var _ = no_grad();
        return cat(new[] { linear.weight!.flatten(), linear.bias!.flatten() }).to_type(ScalarType.Float64).data<double>().ToArray();
    }
}
