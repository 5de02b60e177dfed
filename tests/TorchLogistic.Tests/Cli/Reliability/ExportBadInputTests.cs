using TorchLogistic.Data;
using TorchLogistic.Export;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.Reliability;

/// <summary>
/// Importing a model from another format (export's --model, train's --warm-start, predict's --model): a corrupt or
/// foreign file is one clear line, exit status 2, and nothing is written.
/// </summary>
public class ExportBadInputTests
{
    private static readonly Dictionary<string, byte[]> Files = new()
    {
        ["text.pt"] = "weight,bias\n1,2\n"u8.ToArray(),
        ["zip.pt"] = "PK\u0003\u0004 a zip header and nothing else"u8.ToArray(),
        ["lonely.pt"] = "PK\u0003\u0004"u8.ToArray(),
        ["foreign.json"] = "{\"weights\": [1, 2, 3]}"u8.ToArray(),
        ["notjson.json"] = "TORCHLOG\u0001"u8.ToArray(),
        ["model.onnx"] = "\u0008\u0007"u8.ToArray(),
    };

    private static readonly Lazy<string> Companion = new(() =>
    {
        using var model = Trainer.Fit(BuiltinDatasets.Load("iris"), new TrainingOptions { Model = ModelKind.Softmax, MaxIterations = 3 });
        return ExportDocument.ToText(model, includeParameters: false);
    });

    /// <summary>A genuine state_dict of breast-cancer's Linear(30, 1): of another shape than iris's preprocessing says.</summary>
    private static readonly Lazy<byte[]> OtherShape = new(() =>
    {
        using var model = Trainer.Fit(BuiltinDatasets.Load("breast-cancer"), new TrainingOptions { MaxIterations = 3 });
        return PyTorchExport.StateDictBytes(model);
    });

    public static TheoryData<string, string> Cases => new()
    {
        { "export --model {text.pt} --format onnx --out {out}/m.onnx", "is not a PyTorch state_dict of Linear(" },
        { "export --model {zip.pt} --format npz --out {out}/m.npz", "is not a PyTorch state_dict of Linear(" },
        { "export --model {shape.pt} --format onnx --out {out}/m.onnx", "is not a PyTorch state_dict of Linear(4, 3) with 'weight' (3×4) and 'bias' (3)" },
        { "export --model {lonely.pt} --format onnx --out {out}/m.onnx", "has no preprocessing file" },
        { "export --model {foreign.json} --format onnx --out {out}/m.onnx", "is not a TorchLogistic export document (its \"format\" is not" },
        { "export --model {notjson.json} --format onnx --out {out}/m.onnx", "is not a TorchLogistic export document (not JSON" },
        { "export --model {model.onnx} --format pt --out {out}/m.pt", "is not a TorchLogistic model file (it does not start with TORCHLOG)" },
        { "export --model {missing.pt} --format onnx --out {out}/m.onnx", "does not exist" },
        { "export --model {text.pt} --format tflite --out {out}/m.onnx", "--format 'tflite' is not one of onnx, pt, npz, json" },
        { "export --model {text.pt} --format pt --out {out}/m.json", "ends in .json, the name of the preprocessing file" },
        { "export --model {text.pt} --format npz --onnx-arithmetic float32 --out {out}/m.npz", "--onnx-arithmetic applies to --format onnx only" },
        { "train --data iris --warm-start {zip.pt} --out {out}", "is not a PyTorch state_dict of Linear(" },
        { "predict --model {foreign.json} --data iris --out {out}/p.csv", "is not a TorchLogistic export document" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_corrupt_or_foreign_model_is_one_line_and_nothing_is_written(string command, string expected)
    {
        using var folder = new TempFolder();
        foreach (var (name, bytes) in Files) File.WriteAllBytes(folder.File(name), bytes);
        // A valid preprocessing document beside the broken state_dicts, so that the state_dict itself is what is refused.
        File.WriteAllText(folder.File("text.json"), Companion.Value);
        File.WriteAllText(folder.File("zip.json"), Companion.Value);
        File.WriteAllText(folder.File("shape.json"), Companion.Value);
        File.WriteAllBytes(folder.File("shape.pt"), OtherShape.Value);
        string outDir = folder.File("out");
        Directory.CreateDirectory(outDir);
        var before = Snapshot.Of(folder.Path);

        var run = CliProcess.Run(BadInputRun.Arguments(command, folder, outDir));

        string line = BadInputRun.AssertRefused(run, expected);
        Assert.True(line.Length <= 420, $"{line.Length} characters: {line[..Math.Min(200, line.Length)]}…");
        Assert.Equal(before, Snapshot.Of(folder.Path));
    }
}
