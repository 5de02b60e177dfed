using System.Text.Json.Nodes;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Reliability;

[Collection(TwoLaneCollections.ChildProcesses)]
public class DeterminismTests
{
    [Fact]
    public void The_same_seed_gives_the_same_model_file_and_metrics()
    {
        using var folder = new TempFolder();
        var a = CliProcess.Run("train", "--data", "breast-cancer", "--standardize", "--seed", "5", "--out", folder.File("a"), "--quiet");
        var b = CliProcess.Run("train", "--data", "breast-cancer", "--standardize", "--seed", "5", "--out", folder.File("b"), "--quiet");
        var c = CliProcess.Run("train", "--data", "breast-cancer", "--standardize", "--seed", "6", "--out", folder.File("c"), "--quiet");
        Assert.All(new[] { a, b, c }, r => Assert.True(r.ExitCode == 0, r.Stderr));
        Assert.Equal(File.ReadAllBytes(folder.File("a/model.bin")), File.ReadAllBytes(folder.File("b/model.bin")));
        Assert.NotEqual(File.ReadAllBytes(folder.File("a/model.bin")), File.ReadAllBytes(folder.File("c/model.bin")));
        Assert.Equal(WithoutTimings(folder.File("a/metrics.json")), WithoutTimings(folder.File("b/metrics.json")));
    }

    /// <summary>The metrics without what is measured rather than computed: times and peak memory.</summary>
    private static string WithoutTimings(string path)
    {
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json.Remove("fit_seconds");
        json.Remove("peak_memory_bytes");
        foreach (var h in json["history"]!.AsArray()) h!.AsObject().Remove("seconds");
        return json.ToJsonString();
    }
}
