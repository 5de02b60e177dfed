using System.Globalization;
using TorchLogistic.Data;
using TorchLogistic.Export;
using TorchLogistic.IO;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Cli;

public class ExportCommandTests
{
    [Fact]
    public void Export_writes_each_format_and_a_pt_warm_starts_train()
    {
        using var folder = new TempFolder();
        string run = folder.File("run");
        Assert.Equal(0, CliProcess.Run("train", "--data", "iris", "--model", "ovr", "--standardize", "--quiet", "--out", run).ExitCode);
        string modelBin = Path.Combine(run, "model.bin");
        using var model = ModelFile.Load(modelBin);

        foreach (var (format, file) in new[] { ("onnx", "m.onnx"), ("pt", "s.pt"), ("npz", "m.npz"), ("json", "m.json") })
        {
            var export = CliProcess.Run("export", "--model", modelBin, "--format", format, "--out", folder.File(file));
            Assert.True(export.ExitCode == 0, export.Stderr);
        }
        Assert.Equal(OnnxExport.ToBytes(model), File.ReadAllBytes(folder.File("m.onnx")));
        Assert.Equal(NumpyExport.ToBytes(model), File.ReadAllBytes(folder.File("m.npz")));
        Assert.Equal(ExportDocument.ToText(model), File.ReadAllText(folder.File("m.json")));
        Assert.Equal(ExportDocument.ToText(model, includeParameters: false), File.ReadAllText(folder.File("s.json")));
        using (var fromPt = ModelExport.Load(folder.File("s.pt")))
            Assert.Equal(model.Module.ParametersToVector(), fromPt.Module.ParametersToVector());

        // The optimum as warm start: training from it stops at once with the same parameters (to the tolerance).
        var warm = CliProcess.Run("train", "--data", "iris", "--model", "ovr", "--standardize", "--quiet", "--warm-start", folder.File("s.pt"), "--out", folder.File("warm"));
        Assert.True(warm.ExitCode == 0, warm.Stderr);
        using var warmModel = ModelFile.Load(Path.Combine(folder.File("warm"), "model.bin"));
        double gap = model.Module.ParametersToVector().Zip(warmModel.Module.ParametersToVector(), (a, b) => Math.Abs(a - b)).Max();
        Assert.True(gap < 1e-3, $"warm-started parameters moved by {gap:E2}");
    }

    [Fact]
    public void Predict_member_proba_writes_each_members_sigma_beside_the_normalised_probabilities()
    {
        using var folder = new TempFolder();
        string run = folder.File("run");
        Assert.Equal(0, CliProcess.Run("train", "--data", "iris", "--model", "ovr", "--quiet", "--out", run).ExitCode);
        var predict = CliProcess.Run("predict", "--model", Path.Combine(run, "model.bin"), "--data", "iris", "--member-proba", "--out", folder.File("p.csv"));
        Assert.True(predict.ExitCode == 0, predict.Stderr);

        string[] lines = File.ReadAllLines(folder.File("p.csv"));
        using var model = ModelFile.Load(Path.Combine(run, "model.bin"));
        var data = BuiltinDatasets.Load("iris");
        Assert.Equal(string.Join(",", model.Classes.Select(c => $"proba_{c}").Concat(model.Classes.Select(c => $"member_{c}")).Append("predicted")), lines[0]);
        double[] members = model.MemberProbabilities(data);
        double[] proba = model.PredictProbabilities(data).Values;
        for (int i = 0; i < data.SampleCount; i++)
        {
            double[] cells = lines[i + 1].Split(',')[..6].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(proba.AsSpan(i * 3, 3).ToArray(), cells[..3]);
            Assert.Equal(members.AsSpan(i * 3, 3).ToArray(), cells[3..]);
            // The normalised probabilities are the members' σ over their sum.
            Assert.Equal(cells[3] / (cells[3] + cells[4] + cells[5]), cells[0], 1e-15);
        }

        var refused = CliProcess.Run("train", "--data", "iris", "--model", "softmax", "--quiet", "--out", folder.File("softmax"));
        Assert.Equal(0, refused.ExitCode);
        BadInputRun.AssertRefused(CliProcess.Run("predict", "--model", Path.Combine(folder.File("softmax"), "model.bin"), "--data", "iris", "--member-proba", "--out", folder.File("q.csv")),
            "--member-proba applies to one-vs-rest models (--model ovr); this model is softmax");
    }
}
