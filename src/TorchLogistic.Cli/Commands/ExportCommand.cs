using System.CommandLine;
using TorchLogistic.Export;

namespace TorchLogistic.Cli.Commands;

/// <summary><c>torchlogistic export</c>: a saved model for another runtime — ONNX, PyTorch, NumPy or plain JSON (docs/export.md).</summary>
internal static class ExportCommand
{
    private static readonly Option<string> ModelPath = new("--model") { Description = "The model to export: model.bin, or a .pt (with its .json) or .json written by export.", Required = true };
    private static readonly Option<string> Format = new("--format") { Description = "onnx (one graph, raw columns to label and probabilities), pt (PyTorch state_dict + .json of the preprocessing), npz (NumPy arrays) or json.", Required = true };
    private static readonly Option<string> Out = new("--out") { Description = "Output file, e.g. model.onnx, model.pt (model.json is written beside it), model.npz, model.json.", Required = true };
    private static readonly Option<string> Arithmetic = new("--onnx-arithmetic") { Description = "onnx: float64 (default; matches the library to float32 rounding) or float32 (float32 throughout) arithmetic inside the graph; inputs and outputs are float32 either way.", DefaultValueFactory = _ => "float64" };

    public static Command Create()
    {
        var command = new Command("export", "Write a saved model as ONNX, a PyTorch state_dict, NumPy arrays or JSON, preprocessing included.") { ModelPath, Format, Out, Arithmetic };
        command.SetAction((parse, cancellation) => Task.FromResult(Run(parse, cancellation)));
        return command;
    }

    private static int Run(ParseResult parse, CancellationToken cancellation)
    {
        string modelPath = parse.GetValue(ModelPath)!, outPath = parse.GetValue(Out)!;
        var format = parse.GetValue(Format) switch
        {
            "onnx" => ExportFormat.Onnx,
            "pt" => ExportFormat.PyTorch,
            "npz" => ExportFormat.Numpy,
            "json" => ExportFormat.Json,
            var other => throw new ArgumentException($"--format '{other}' is not one of onnx, pt, npz, json."),
        };
        var arithmetic = parse.GetValue(Arithmetic) switch
        {
            "float64" => OnnxArithmetic.Float64,
            "float32" => OnnxArithmetic.Float32,
            var other => throw new ArgumentException($"--onnx-arithmetic '{other}' is not float64 or float32."),
        };
        if (arithmetic != OnnxArithmetic.Float64 && format != ExportFormat.Onnx)
            throw new ArgumentException("--onnx-arithmetic applies to --format onnx only.");
        if (format == ExportFormat.PyTorch && string.Equals(Path.GetExtension(outPath), ".json", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"--out '{Messages.Cut(outPath)}' ends in .json, the name of the preprocessing file written beside the state_dict. Pass --out model.pt.");
        string? companion = format == ExportFormat.PyTorch ? PyTorchExport.CompanionPath(outPath) : null;
        string? modelCompanion = Path.GetExtension(modelPath).ToLowerInvariant() is ".pt" or ".pth" ? PyTorchExport.CompanionPath(modelPath) : null;
        using var output = OutputSet.File(outPath, modelPath, modelCompanion);
        using var companionOutput = companion == null ? null : OutputSet.File(companion, modelPath, modelCompanion);
        using var model = ModelExport.Load(modelPath);
        cancellation.ThrowIfCancellationRequested();
        switch (format)
        {
            case ExportFormat.Onnx:
                output.WriteBytes("", OnnxExport.ToBytes(model, arithmetic));
                break;
            case ExportFormat.PyTorch:
                output.WriteBytes("", PyTorchExport.StateDictBytes(model));
                companionOutput!.WriteText("", ExportDocument.ToText(model, includeParameters: false));
                break;
            case ExportFormat.Numpy:
                output.WriteBytes("", NumpyExport.ToBytes(model));
                break;
            default:
                output.WriteText("", ExportDocument.ToText(model));
                break;
        }
        companionOutput?.Commit(cancellation);
        output.Commit(cancellation);
        Console.WriteLine(companion == null ? $"wrote {outPath}" : $"wrote {outPath} and {companion}");
        return 0;
    }
}
