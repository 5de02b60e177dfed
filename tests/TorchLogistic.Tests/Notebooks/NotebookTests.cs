using System.Text.Json.Nodes;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Notebooks;

public class NotebookTests
{
    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(Repository.Path("notebooks"), "*.ipynb").OrderBy(p => p, StringComparer.Ordinal))
            data.Add(Path.GetFileName(path));
        return data;
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Every_cell_runs_and_the_executed_copy_has_outputs(string name)
    {
        // artifacts/notebooks/ holds the real kernel's executed copies (RealKernelNotebookTests).
        string output = Repository.Path("artifacts", "notebooks-roslyn", name);
        var executed = new NotebookRunner().Run(Repository.Path("notebooks", name), output);
        var code = executed["cells"]!.AsArray().Select(c => c!.AsObject()).Where(c => (string?)c["cell_type"] == "code").ToList();
        Assert.NotEmpty(code);
        Assert.All(code, c => Assert.NotNull(c["execution_count"]));
        // Every notebook shows at least one chart inline.
        Assert.Contains(code, c => c["outputs"]!.AsArray().Any(o => ((string?)o!["data"]?["text/html"])?.Contains("data:image/png;base64,") == true));
        Assert.True(File.Exists(output));
    }

    private static JsonObject Notebook(params string[] cells) => new()
    {
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
        ["metadata"] = new JsonObject(),
        ["cells"] = new JsonArray(cells.Select(source => (JsonNode)new JsonObject
        {
            ["cell_type"] = source.StartsWith("# ") ? "markdown" : "code",
            ["metadata"] = new JsonObject(),
            ["source"] = source,
            ["outputs"] = new JsonArray(),
        }).ToArray()),
    };

    [Fact]
    public void Cells_share_state_resolve_pinned_packages_and_capture_outputs()
    {
        using var folder = new TempFolder();
        string path = folder.File("ok.ipynb");
        File.WriteAllText(path, Notebook(
            "#r \"nuget: TorchSharp-cpu, 0.107.0\"\nusing static TorchSharp.torch;\nvar x = tensor(new double[] { 1, 2, 3 });",
            "# A markdown cell",
            "Console.WriteLine(x.sum().item<double>());\ndisplay(HTML(\"<b>six</b>\"));\nx.shape.Length").ToJsonString());
        var executed = new NotebookRunner().Run(path);
        var outputs = executed["cells"]![2]!["outputs"]!.AsArray();
        Assert.Equal("6\n", (string?)outputs[0]!["text"]);
        Assert.Equal("<b>six</b>", (string?)outputs[1]!["data"]!["text/html"]);
        Assert.Equal("1", (string?)outputs[2]!["data"]!["text/plain"]);
    }

    [Fact]
    public void A_broken_cell_fails_with_its_number_and_the_exception()
    {
        using var folder = new TempFolder();
        string path = folder.File("broken.ipynb");
        File.WriteAllText(path, Notebook("var a = 1;", "# prose", "throw new InvalidOperationException(\"deliberately broken\");", "var never = 2;").ToJsonString());
        var e = Assert.Throws<NotebookCellException>(() => new NotebookRunner().Run(path));
        Assert.Equal(3, e.Cell);
        Assert.Contains("cell 3 failed: InvalidOperationException: deliberately broken", e.Message);
    }

    [Fact]
    public void A_cell_that_does_not_compile_or_pins_another_version_fails()
    {
        using var folder = new TempFolder();
        string bad = folder.File("bad.ipynb");
        File.WriteAllText(bad, Notebook("int x = \"text\";").ToJsonString());
        Assert.Contains("cell 1 failed", Assert.Throws<NotebookCellException>(() => new NotebookRunner().Run(bad)).Message);
        string pinned = folder.File("pinned.ipynb");
        File.WriteAllText(pinned, Notebook("#r \"nuget: ScottPlot, 4.1.0\"").ToJsonString());
        Assert.Contains("pins ScottPlot 4.1.0", Assert.Throws<NotebookCellException>(() => new NotebookRunner().Run(pinned)).Message);
    }
}
