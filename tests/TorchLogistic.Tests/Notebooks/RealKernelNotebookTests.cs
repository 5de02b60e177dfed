using System.Text.Json.Nodes;
using TorchLogistic.Tests.Support;
using Xunit.Abstractions;

namespace TorchLogistic.Tests.Notebooks;

/// <summary>
/// Every notebook in the real .NET Interactive kernel (dotnet-interactive 1.0.712001, Jupyter kernel
/// <c>.net-csharp</c>), against the package this build packed into artifacts/packages; executed copies go to
/// artifacts/notebooks/. The kernels run one after another, beside the in-process tests (Support/TwoLaneCollections.cs).
/// </summary>
[Collection(TwoLaneCollections.ChildProcesses)]
public class RealKernelNotebookTests
{
    private readonly ITestOutputHelper _log;

    public RealKernelNotebookTests(ITestOutputHelper log) => this._log = log;

    /// <summary>Charts each notebook draws, counted by hand from its cells (a concatenation of two charts counts two).</summary>
    public static readonly Dictionary<string, int> Charts = new()
    {
        ["01-logistic-function.ipynb"] = 1,
        ["02-gradients-three-ways.ipynb"] = 1,
        ["03-solvers-on-one-chart.ipynb"] = 2,
        ["04-class-imbalance.ipynb"] = 6,
        ["05-regularisation.ipynb"] = 2,
        ["06-multiclass.ipynb"] = 4,
        ["07-evaluation-and-inference.ipynb"] = 7,
    };

    [Theory]
    [MemberData(nameof(NotebookTests.Notebooks), MemberType = typeof(NotebookTests))]
    public void Runs_in_the_real_kernel_with_one_image_per_chart(string name)
    {
        Assert.True(Charts.ContainsKey(name), $"{name}: add its chart count to {nameof(RealKernelNotebookTests)}.{nameof(Charts)}.");
        var (notebook, elapsed) = KernelNotebookRunner.Run(Repository.Path("notebooks", name), Repository.Path("artifacts", "notebooks"));
        var cells = notebook["cells"]!.AsArray().Select(c => c!).ToList();
        var images = cells.SelectMany(KernelNotebookRunner.Images).ToList();
        _log.WriteLine($"{name}: {elapsed.TotalSeconds:F1} s in the real kernel, {images.Count} images");
        Assert.All(cells.Where(c => (string?)c["cell_type"] == "code"), c => Assert.NotNull(c["execution_count"]));
        Assert.Equal(Charts[name], images.Count);
        // Real PNGs of some substance, not empty placeholders.
        Assert.All(images, png =>
        {
            byte[] bytes = Convert.FromBase64String(png);
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4e, 0x47 }, bytes[..4]);
            Assert.True(bytes.Length > 10_000, $"{name}: an image of only {bytes.Length} bytes");
        });
    }

    [Fact]
    public void A_first_cell_that_uses_torch_before_any_TorchLogistic_type_works_and_values_are_formatted()
    {
        var (notebook, _) = RunProbe("torch-first.ipynb",
            "#r \"nuget: TorchLogistic, *-*\"\nConsole.WriteLine(TorchSharp.torch.arange(4, dtype: TorchSharp.torch.ScalarType.Float64).sum().item<double>());",
            "Console.WriteLine(string.Join(\"\\n\", System.IO.File.ReadLines(\"/proc/self/maps\").Where(l => l.Contains(\"libtorch_cpu\") || l.Contains(\"libLibTorchSharp\")).Select(l => l[l.IndexOf('/')..]).Distinct()));",
            "var plot = new ScottPlot.Plot();\nplot.Add.Scatter(new double[] { 1, 2, 3 }, new double[] { 1, 4, 9 });\nplot",
            "TorchLogistic.Metrics.Evaluation.Of(new[] { 0, 1, 1, 0 }, new double[] { 0.9, 0.1, 0.2, 0.8, 0.4, 0.6, 0.3, 0.7 }, 2)",
            "new List<TorchLogistic.Training.SolverComparison.Row> { new(TorchLogistic.Optim.SolverKind.Lbfgs, 17, 19, 0, 0.25, 0.0646, 3e-9, true, \"converged\", new double[0]) }");
        var cells = notebook["cells"]!.AsArray();
        Assert.Contains("6\n", KernelNotebookRunner.TextOf(cells[0]!));
        string maps = KernelNotebookRunner.TextOf(cells[1]!);
        // TorchSharp's own libtorch from the NuGet package (never Debian's libtorch1.13 in /usr/lib).
        Assert.Contains("/libtorch-cpu-linux-x64/2.10.0/runtimes/linux-x64/native/libtorch_cpu.so", maps);
        Assert.DoesNotContain("/usr/lib", maps);
        Assert.Contains("libLibTorchSharp.so", maps);
        Assert.Single(KernelNotebookRunner.Images(cells[2]!));
        string table = KernelNotebookRunner.TextOf(cells[3]!);
        // P(class 1) = 0.1, 0.8, 0.6, 0.7 at threshold 0.5 predicts 0, 1, 1, 1 against 0, 1, 1, 0: accuracy 3/4.
        Assert.Contains("<td>accuracy</td><td>0.75</td>", table);
        Assert.Contains("<td>lbfgs</td><td>17</td><td>19</td><td>0</td><td>0.250</td><td>0.0646</td><td>3E-09</td><td>yes</td><td>converged</td>", KernelNotebookRunner.TextOf(cells[4]!));
    }

    [Fact]
    public void A_failing_cell_is_reported_with_the_notebook_the_cell_number_and_the_error()
    {
        var e = Assert.Throws<NotebookCellException>(() => RunProbe("broken.ipynb",
            "var a = 1;", "throw new InvalidOperationException(\"deliberately broken\");", "var never = 2;"));
        Assert.Equal(2, e.Cell);
        Assert.Contains("broken.ipynb: cell 2 failed", e.Message);
        Assert.Contains("deliberately broken", e.Message);
    }

    /// <summary>A notebook in artifacts/ (inside the repository, so the local tool manifest applies) with the local package source.</summary>
    private static (JsonObject Notebook, TimeSpan Elapsed) RunProbe(string name, params string[] cells)
    {
        string folder = Repository.Path("artifacts", "notebook-probes");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "NuGet.config"),
            $"<configuration><packageSources><add key=\"torchlogistic-local\" value=\"{Repository.Path("artifacts", "packages")}\" /></packageSources></configuration>");
        var notebook = new JsonObject
        {
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = KernelNotebookRunner.KernelName, ["display_name"] = ".NET (C#)", ["language"] = "C#" } },
            ["cells"] = new JsonArray(cells.Select((source, i) => (JsonNode)new JsonObject
            {
                ["id"] = $"cell{i + 1}",
                ["cell_type"] = "code",
                ["metadata"] = new JsonObject(),
                ["source"] = source,
                ["outputs"] = new JsonArray(),
                ["execution_count"] = null,
            }).ToArray()),
        };
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, notebook.ToJsonString());
        return KernelNotebookRunner.Run(path, Path.Combine(folder, "executed"), TimeSpan.FromMinutes(5));
    }
}
