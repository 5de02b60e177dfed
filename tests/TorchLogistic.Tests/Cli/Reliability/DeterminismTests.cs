using System.Text.Json.Nodes;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Reliability;

public class DeterminismTests
{
    [Fact]
    public void The_same_seed_gives_the_same_model_file_and_metrics()
    {
        using var folder = new TempFolder();
        var a = CliProcess.run("train", "--data", "breast-cancer", "--standardize", "--seed", "5", "--out", folder.file("a"), "--quiet");
        var b = CliProcess.run("train", "--data", "breast-cancer", "--standardize", "--seed", "5", "--out", folder.file("b"), "--quiet");
        var c = CliProcess.run("train", "--data", "breast-cancer", "--standardize", "--seed", "6", "--out", folder.file("c"), "--quiet");
        Assert.All(new[] { a, b, c }, r => Assert.True(r.exit_code == 0, r.stderr));
        Assert.Equal(File.ReadAllBytes(folder.file("a/model.bin")), File.ReadAllBytes(folder.file("b/model.bin")));
        Assert.NotEqual(File.ReadAllBytes(folder.file("a/model.bin")), File.ReadAllBytes(folder.file("c/model.bin")));
        Assert.Equal(without_timings(folder.file("a/metrics.json")), without_timings(folder.file("b/metrics.json")));
    }

    /// <summary>The metrics without what is measured rather than computed: times and peak memory.</summary>
    private static string without_timings(string path)
    {
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json.Remove("fit_seconds");
        json.Remove("peak_memory_bytes");
        foreach (var h in json["history"]!.AsArray()) h!.AsObject().Remove("seconds");
        return json.ToJsonString();
    }
}
