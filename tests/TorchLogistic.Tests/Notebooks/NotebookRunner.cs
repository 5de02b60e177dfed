using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace TorchLogistic.Tests.Notebooks;

/// <summary>A notebook cell that failed: which notebook, which cell, and why.</summary>
public sealed class NotebookCellException : Exception
{
    public NotebookCellException(string notebook, int cell, Exception inner)
        : base($"{Path.GetFileName(notebook)}: cell {cell} failed: {inner.GetType().Name}: {inner.Message}", inner)
    {
        this.Cell = cell;
    }

    public int Cell { get; }
}

/// <summary>
/// Runs a .NET Interactive (Polyglot) C# notebook without the <c>dotnet-interactive</c> tool: reads the
/// <c>.ipynb</c>, runs its C# cells in order as Roslyn script submissions (how the C# kernel runs them),
/// resolves <c>#r "nuget: …"</c> to the assemblies this repository builds against (checking the pinned
/// versions), provides <c>display</c> and <c>HTML</c>, and writes an executed copy with outputs.
/// </summary>
public sealed class NotebookRunner
{
    private static readonly Regex NugetReference = new(@"^#r\s+""nuget:\s*([^,""]+?)\s*(?:,\s*([^""]+?))?\s*""\s*$");
    private static readonly Regex PathReference = new(@"^#r\s+""([^""]+)""\s*$");
    private static readonly Regex PackageSource = new(@"^#i\s+""nuget:\s*([^""]+)""\s*$");

    /// <summary>The packages a notebook may reference, and the assembly that stands for each here.</summary>
    private static readonly Dictionary<string, Assembly> Packages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["TorchSharp-cpu"] = typeof(TorchSharp.torch).Assembly,
        ["TorchSharp"] = typeof(TorchSharp.torch).Assembly,
        ["ScottPlot"] = typeof(ScottPlot.Plot).Assembly,
        ["TorchLogistic"] = typeof(TorchLogistic.Models.LinearClassifier).Assembly,
        ["TorchLogistic.Plotting"] = typeof(TorchLogistic.Plotting.RocPlot).Assembly,
    };

    private static readonly string[] DefaultImports =
        { "System", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks" };

    /// <summary>Runs <paramref name="notebookPath"/>; writes the executed copy to <paramref name="outputPath"/> if given.</summary>
    /// <exception cref="NotebookCellException">A cell failed to compile or threw.</exception>
    public JsonObject Run(string notebookPath, string? outputPath = null)
    {
        var notebook = JsonNode.Parse(File.ReadAllText(notebookPath))!.AsObject();
        var cells = notebook["cells"]!.AsArray();
        var globals = new NotebookGlobals();
        var options = ScriptOptions.Default
            .WithReferences(typeof(object).Assembly, typeof(Enumerable).Assembly, typeof(NotebookGlobals).Assembly)
            .WithImports(DefaultImports)
            .WithFilePath(notebookPath)
            .WithEmitDebugInformation(true)
            .WithFileEncoding(System.Text.Encoding.UTF8);
        ScriptState<object>? state = null;
        int executionCount = 0;
        for (int i = 0; i < cells.Count; i++)
        {
            var cell = cells[i]!.AsObject();
            if ((string?)cell["cell_type"] != "code") continue;
            int number = i + 1;
            string source = SourceOf(cell);
            var (code, references) = Directives(source, notebookPath, number);
            options = options.AddReferences(references);
            globals.Outputs.Clear();
            var stdout = new StringWriter();
            var previousOut = Console.Out;
            Console.SetOut(stdout);
            try
            {
                if (code.Trim().Length > 0)
                {
                    state = state == null
                        ? CSharpScript.RunAsync(code, options, globals, typeof(NotebookGlobals)).GetAwaiter().GetResult()
                        : state.ContinueWithAsync(code, options).GetAwaiter().GetResult();
                    if (state.Exception != null) throw state.Exception;
                    if (state.ReturnValue != null) globals.display(state.ReturnValue);
                }
            }
            catch (Exception e)
            {
                throw new NotebookCellException(notebookPath, number, e is CompilationErrorException c
                    ? new InvalidOperationException($"compilation error: {string.Join("; ", c.Diagnostics.Select(d => d.ToString()))}", c)
                    : e);
            }
            finally
            {
                Console.SetOut(previousOut);
            }
            var outputs = new JsonArray();
            if (stdout.ToString().Length > 0) outputs.Add(NotebookOutputs.Stream(stdout.ToString()));
            foreach (var o in globals.Outputs) outputs.Add(o.DeepClone());
            cell["outputs"] = outputs;
            cell["execution_count"] = ++executionCount;
        }
        if (outputPath != null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
            File.WriteAllText(outputPath, notebook.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        return notebook;
    }

    private static string SourceOf(JsonObject cell) => cell["source"] switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        JsonNode text => (string?)text ?? "",
        null => "",
    };

    /// <summary>Removes kernel directives from a cell, resolving the references they name.</summary>
    private static (string Code, List<Assembly> References) Directives(string source, string notebookPath, int number)
    {
        var references = new List<Assembly>();
        var code = new List<string>();
        foreach (string raw in source.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            string trimmed = line.Trim();
            Match m;
            if ((m = NugetReference.Match(trimmed)).Success)
            {
                string package = m.Groups[1].Value;
                if (!Packages.TryGetValue(package, out var assembly))
                    throw new NotebookCellException(notebookPath, number, new InvalidOperationException($"package '{package}' is not one this repository provides ({string.Join(", ", Packages.Keys)})."));
                string? pinned = m.Groups[2].Success ? m.Groups[2].Value : null;
                if (pinned == null)
                    throw new NotebookCellException(notebookPath, number, new InvalidOperationException($"'#r \"nuget: {package}\"' has no version; pin it."));
                string actual = VersionOf(package, assembly);
                // The library itself comes from this repository's build (notebooks/NuGet.config): "*-*" takes that package.
                bool local = pinned == "*-*" && assembly == Packages["TorchLogistic"];
                if (!local && pinned != actual)
                    throw new NotebookCellException(notebookPath, number, new InvalidOperationException($"the notebook pins {package} {pinned}, but this repository builds against {actual}."));
                references.Add(assembly);
                // The TorchLogistic package brings TorchLogistic.Plotting (and the core) with it.
                if (assembly == Packages["TorchLogistic"]) references.Add(Packages["TorchLogistic.Plotting"]);
                code.Add("");
            }
            else if (PackageSource.IsMatch(trimmed))
            {
                code.Add("");
            }
            else if ((m = PathReference.Match(trimmed)).Success)
            {
                string path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(notebookPath)!, m.Groups[1].Value));
                references.Add(AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => !a.IsDynamic && a.GetName().Name == Path.GetFileNameWithoutExtension(path))
                    ?? Assembly.LoadFrom(path));
                code.Add("");
            }
            else if (trimmed.StartsWith("#!", StringComparison.Ordinal))
            {
                code.Add("");
            }
            else
            {
                code.Add(line);
            }
        }
        return (string.Join('\n', code), references);
    }

    /// <summary>The package version an assembly came from: its informational version without the commit suffix.</summary>
    private static string VersionOf(string package, Assembly assembly)
    {
        string? info = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return (info ?? assembly.GetName().Version?.ToString() ?? "?").Split('+')[0];
    }
}
