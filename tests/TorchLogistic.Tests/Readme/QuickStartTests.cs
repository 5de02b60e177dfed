using System.Globalization;
using System.Text.RegularExpressions;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TorchLogistic.Data;
using TorchLogistic.Metrics;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.Readme;

/// <summary>README's quick-start C# block, extracted from README.md as it stands, is short and runs as written.</summary>
public class QuickStartTests
{
    private const string Marker = "<!-- quick-start:";

    /// <summary>The C# code block that follows the quick-start marker in README.md.</summary>
    internal static string QuickStartCode(string readme)
    {
        int marker = readme.IndexOf(Marker, StringComparison.Ordinal);
        Assert.True(marker >= 0, $"README.md has no '{Marker}' comment before its quick-start block.");
        var block = new Regex(@"\G[^\n]*-->\s*\n```csharp\n(.*?)\n```", RegexOptions.Singleline).Match(readme, marker);
        Assert.True(block.Success, "The quick-start marker is not directly followed by a ```csharp block.");
        return block.Groups[1].Value;
    }

    /// <summary>Lines that are code: not blank, not a using directive, not a comment.</summary>
    internal static string[] CodeLines(string code) => code.Split('\n')
        .Select(l => l.Trim())
        .Where(l => l.Length > 0 && !l.StartsWith("//", StringComparison.Ordinal) && !Regex.IsMatch(l, @"^using [A-Za-z.]+;$"))
        .ToArray();

    /// <summary>
    /// Compiles <paramref name="code"/> as the program of a console project (top-level statements, the SDK's implicit
    /// usings, references to this test's assemblies, which include the library's) and returns its entry point.
    /// </summary>
    private static MethodInfo Compile(string code)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        const string implicitUsings = "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; global using System.Threading.Tasks;";
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("QuickStart",
            new[] { CSharpSyntaxTree.ParseText(implicitUsings, parse), CSharpSyntaxTree.ParseText(code, parse, "README.md") },
            references, new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        var problems = emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
        Assert.True(emitted.Success && problems.Length == 0, "README's quick-start does not compile cleanly:\n" + string.Join("\n", problems.Select(d => d.ToString())));
        return Assembly.Load(image.ToArray()).EntryPoint!;
    }

    [Fact]
    public void The_quick_start_is_at_most_six_lines_of_code_after_its_usings()
    {
        string code = QuickStartCode(File.ReadAllText(Repository.Path("README.md")));
        var lines = CodeLines(code);
        Assert.True(lines.Length <= 6, $"The quick-start has {lines.Length} lines of code:\n{string.Join("\n", lines)}");
        Assert.True(lines.Length >= 4, "The quick-start block lost its code.");
    }

    [Fact]
    public void The_quick_start_runs_prints_the_library_s_numbers_and_saves_the_png()
    {
        string code = QuickStartCode(File.ReadAllText(Repository.Path("README.md")));
        using var folder = new TempFolder();
        var entry = Compile(code);
        var stdout = new StringWriter();
        var (previousOut, previousDirectory) = (Console.Out, Environment.CurrentDirectory);
        try
        {
            // The block saves "roc.png" relative to the working directory, as a user's program would; the in-process
            // tests run one at a time and the child-process lane beside them never reads the working directory or the
            // console (Support/TwoLaneCollections.cs), so nothing else sees the change.
            Environment.CurrentDirectory = folder.Path;
            Console.SetOut(stdout);
            entry.Invoke(null, entry.GetParameters().Length == 0 ? null : new object[] { Array.Empty<string>() });
        }
        finally
        {
            Console.SetOut(previousOut);
            Environment.CurrentDirectory = previousDirectory;
        }

        // The same program written out by hand, from the library's own pieces, gives the numbers printed.
        var (train, test) = TrainTestSplit.Split(BuiltinDatasets.Load("breast-cancer"), 0.2, seed: 0);
        using var model = Trainer.Fit(train, new TrainingOptions { Standardize = true });
        double[] proba = model.PredictProbabilities(test).Values;
        double accuracy = Enumerable.Range(0, test.SampleCount).Average(i => (proba[2 * i + 1] >= 0.5 ? 1 : 0) == test.Labels[i] ? 1.0 : 0.0);
        double auc = RankingMetrics.RocAucScore(test.Labels, model.PredictProbabilities(test).Column(1));
        Assert.Equal(114, test.SampleCount);
        Assert.InRange(accuracy, 0.95, 1.0);
        string printed = stdout.ToString();
        var numbers = Regex.Match(printed, @"^test accuracy (\S+), ROC AUC (\S+)\r?\n$");
        Assert.True(numbers.Success, $"Unexpected output: '{printed}'");
        Assert.Equal(accuracy.ToString("F4", CultureInfo.CurrentCulture), numbers.Groups[1].Value);
        Assert.Equal(auc.ToString("F4", CultureInfo.CurrentCulture), numbers.Groups[2].Value);

        // The output README.md says it prints is the output.
        Assert.Contains($"It prints `{printed.TrimEnd()}`", File.ReadAllText(Repository.Path("README.md")).ReplaceLineEndings(" "));

        string png = Path.Combine(folder.Path, "roc.png");
        Assert.True(File.Exists(png), "The quick-start did not save roc.png in its working directory.");
        Plotting.PlotTests.AssertDrawn(png, 800, 600);
    }
}
