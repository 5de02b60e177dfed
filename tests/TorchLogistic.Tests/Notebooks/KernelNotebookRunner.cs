using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Notebooks;

/// <summary>
/// Runs a notebook in the real .NET Interactive kernel: Debian's nbconvert executes it with the Jupyter kernel
/// <c>.net-csharp</c> (registered by <c>dotnet interactive jupyter install</c>, the tool pinned in
/// <c>.config/dotnet-tools.json</c>), in the notebook's folder, so the kernel sees the NuGet.config there. The
/// executed copy, with its outputs and images, is written to <c>outputDirectory</c>; the first error output fails
/// the run with the notebook's name, the cell's number (1-based, counting every cell) and the kernel's message.
/// </summary>
public static class KernelNotebookRunner
{
    public const string KernelName = ".net-csharp";
    private const string Python = "/usr/bin/python3";

    /// <summary>Why the real kernel cannot run here, or null when it can.</summary>
    public static string? MissingPrerequisite()
    {
        if (!File.Exists(Python)) return $"{Python} is missing: install Debian's python3-nbconvert python3-nbclient python3-ipykernel (.ci/run does).";
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string spec = Path.Combine(Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") ?? Path.Combine(home, ".local", "share", "jupyter"), "kernels", KernelName, "kernel.json");
        if (!File.Exists(spec))
            return $"The Jupyter kernel {KernelName} is not registered ({spec} is missing): run `dotnet tool restore` and " +
                   "`mkdir -p ~/.local/share/jupyter/kernels && dotnet interactive jupyter install` in the repository (.ci/run does).";
        return null;
    }

    /// <summary>Executes <paramref name="notebookPath"/>; returns the executed notebook and how long the run took.</summary>
    /// <exception cref="NotebookCellException">A cell produced an error output.</exception>
    public static (JsonObject Notebook, TimeSpan Elapsed) Run(string notebookPath, string outputDirectory, TimeSpan? limit = null)
    {
        string? missing = MissingPrerequisite();
        if (missing != null) throw new InvalidOperationException(missing);
        Directory.CreateDirectory(outputDirectory);
        string name = Path.GetFileName(notebookPath);
        string output = Path.Combine(outputDirectory, name);
        File.Delete(output);
        var result = ExternalProcess.Run(Python,
            new[]
            {
                "-m", "nbconvert", "--to", "notebook", "--execute", name, "--allow-errors",
                $"--ExecutePreprocessor.kernel_name={KernelName}", "--ExecutePreprocessor.timeout=600",
                "--output", Path.GetFileNameWithoutExtension(name), "--output-dir", outputDirectory,
            },
            Path.GetDirectoryName(Path.GetFullPath(notebookPath))!, limit ?? TimeSpan.FromMinutes(15));
        if (result.ExitCode != 0 || !File.Exists(output))
            throw new InvalidOperationException($"{name}: nbconvert exited with {result.ExitCode}: {Tail(result.Stderr)}");
        var notebook = JsonNode.Parse(File.ReadAllText(output))!.AsObject();
        var cells = notebook["cells"]!.AsArray();
        for (int i = 0; i < cells.Count; i++)
        {
            foreach (var o in cells[i]!["outputs"]?.AsArray() ?? new JsonArray())
            {
                if ((string?)o!["output_type"] != "error") continue;
                string message = $"{o["ename"]}: {o["evalue"]}";
                throw new NotebookCellException(notebookPath, i + 1, new InvalidOperationException(message));
            }
        }
        return (notebook, result.Elapsed);
    }

    /// <summary>The PNG images (base64 of <c>data:image/png</c> or <c>image/png</c> data) in a cell's outputs, in order.</summary>
    public static List<string> Images(JsonNode cell)
    {
        var found = new List<string>();
        foreach (var o in cell["outputs"]?.AsArray() ?? new JsonArray())
        {
            var data = o!["data"];
            if (data == null) continue;
            if (data["image/png"] != null) found.Add(Text(data["image/png"]!));
            if (data["text/html"] is JsonNode html)
                found.AddRange(Regex.Matches(Text(html), "data:image/png;base64,([A-Za-z0-9+/=]+)").Select(m => m.Groups[1].Value));
        }
        return found;
    }

    /// <summary>Everything a cell printed or showed as text (stdout, stderr, text/plain and text/html outputs).</summary>
    public static string TextOf(JsonNode cell) => string.Concat((cell["outputs"]?.AsArray() ?? new JsonArray()).Select(o =>
        (o!["text"] is JsonNode t ? Text(t) : "") + (o["data"]?["text/plain"] is JsonNode p ? Text(p) : "") + (o["data"]?["text/html"] is JsonNode h ? Text(h) : "")));

    private static string Text(JsonNode node) => node is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : (string?)node ?? "";

    private static string Tail(string s) => s.Length <= 3000 ? s : s[^3000..];
}
