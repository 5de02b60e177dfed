using System.Xml.Linq;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Architecture;

public class LayerTests
{
    private static string Core => Repository.Path("src", "TorchLogistic");

    [Fact]
    public void Core_folders_only_use_earlier_layers()
    {
        var violations = LayerOrder.Violations(Core);
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void Every_core_folder_is_a_layer()
    {
        var folders = Directory.EnumerateDirectories(Core).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(LayerOrder.Layers.Order(StringComparer.Ordinal).ToArray(), folders!);
    }

    [Fact]
    public void A_reference_to_a_later_layer_is_reported_with_file_and_layers()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("Data"));
        Directory.CreateDirectory(folder.File("Training"));
        Directory.CreateDirectory(folder.File("Sketch"));
        File.WriteAllText(folder.File("Training/Fine.cs"), "using TorchLogistic.Data;\nnamespace TorchLogistic.Training;\npublic class Fine { }\n");
        // A using, a relative qualification in an interpolation hole, and a fully qualified cref; the string and the comment are not references.
        File.WriteAllText(folder.File("Data/Up.cs"),
            "using TorchLogistic.Optim;\nnamespace TorchLogistic.Data;\n/// <see cref=\"TorchLogistic.IO.ModelFile\"/>\npublic class Up\n{\n" +
            "    // Metrics.Evaluation is mentioned in a comment only.\n    string a = \"TorchLogistic.Inference.X\";\n" +
            "    string b = $\"{Training.TrainingOptions.x} and {{Selection.Y}}\";\n}\n");
        File.WriteAllText(folder.File("Sketch/Lost.cs"), "namespace TorchLogistic.Sketch;\n");
        File.WriteAllText(folder.File("Training/Plot.cs"), "namespace TorchLogistic.Models;\nclass P { ScottPlot.Plot p; TorchLogistic.Plotting.RocPlot r; }\n");

        var violations = LayerOrder.Violations(folder.Path);

        Assert.Equal(new[]
        {
            "Data/Up.cs: Data uses TorchLogistic.IO, a later layer (Data comes before IO).",
            "Data/Up.cs: Data uses TorchLogistic.Optim, a later layer (Data comes before Optim).",
            "Data/Up.cs: Data uses TorchLogistic.Training, a later layer (Data comes before Training).",
            $"Sketch/Lost.cs: not in a layer folder ({string.Join(", ", LayerOrder.Layers)}); add its folder to LayerOrder.layers in its place.",
            "Training/Plot.cs: namespace TorchLogistic.Models is not TorchLogistic.Training.",
            "Training/Plot.cs: Training uses TorchLogistic.Plotting, which is not part of the core.",
        }, violations);
    }

    [Fact]
    public void Core_project_references_no_plotting_and_no_process_launching()
    {
        var project = XDocument.Load(Path.Combine(Core, "TorchLogistic.csproj"));
        var packages = project.Descendants("PackageReference").Select(p => (string?)p.Attribute("Include")).ToArray();
        Assert.DoesNotContain("ScottPlot", packages);
        Assert.Empty(project.Descendants("ProjectReference"));

        var assembly = typeof(TorchLogistic.Models.LinearClassifier).Assembly;
        var referenced = assembly.GetReferencedAssemblies().Select(a => a.Name).ToArray();
        Assert.Contains("TorchSharp", referenced);
        Assert.DoesNotContain(referenced, a => a!.StartsWith("ScottPlot", StringComparison.Ordinal) || a == "SkiaSharp");
        // System.Diagnostics.Process (Process, ProcessStartInfo) lives in its own reference assembly.
        Assert.DoesNotContain("System.Diagnostics.Process", referenced);

        foreach (string file in Directory.EnumerateFiles(Core, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/") && !f.Contains("/bin/")))
        {
            string code = SourceReferences.CodeOf(File.ReadAllText(file));
            Assert.False(code.Contains("ScottPlot", StringComparison.Ordinal), $"{file} names ScottPlot.");
            Assert.False(System.Text.RegularExpressions.Regex.IsMatch(code, @"\bProcess(StartInfo)?\b"), $"{file} names System.Diagnostics.Process.");
        }
    }

    [Fact]
    public void Plotting_assembly_is_the_one_that_references_ScottPlot()
    {
        var referenced = typeof(TorchLogistic.Plotting.RocPlot).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToArray();
        Assert.Contains("ScottPlot", referenced);
        Assert.Contains("TorchLogistic.Core", referenced);
    }
}
