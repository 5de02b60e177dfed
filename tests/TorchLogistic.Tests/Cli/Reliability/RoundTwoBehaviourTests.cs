using System.Text.Json.Nodes;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Reliability;

/// <summary>Issue 14's cases that must succeed, or succeed with a warning, each on the real executable.</summary>
[Collection(TwoLaneCollections.ChildProcesses)]
public class RoundTwoBehaviourTests
{
    private static JsonObject Metrics(string dir) => JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")))!.AsObject();

    [Fact]
    public void Labels_that_are_the_same_number_are_one_class()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("d.csv"), "a,label\n1,0\n2,0.0\n3,1\n4,1.0\n5,1e0\n6,0\n");
        var run = CliProcess.Run("train", "--data", folder.File("d.csv"), "--test-fraction", "0", "--out", folder.File("run"), "--quiet");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(new[] { "0", "1" }, Metrics(folder.File("run"))["classes"]!.AsArray().Select(c => (string)c!).ToArray());
    }

    [Theory]
    [InlineData("a,w,label\n1,1,x\n2,0,y\n3,1,x\n4,0,y\n5,1,z\n6,1,z\n", "--sample-weight w", "warning: class y has total weight 0 in the training rows")]
    [InlineData(null, "", "has 60 distinct values in 60 rows, 60 of them on one row each: it looks continuous")]
    [InlineData("a,label\n1,0\n2,0\n3,1\n4,1\n", "--penalty none", "warning: the training rows are separated perfectly and --penalty is none: there is no finite optimum")]
    public void Ambiguous_input_trains_with_a_warning(string? csv, string options, string expected)
    {
        using var folder = new TempFolder();
        var random = new Random(1);
        File.WriteAllText(folder.File("d.csv"), csv ?? "a,b,y\n" + string.Concat(Enumerable.Range(0, 60).Select(_ =>
            FormattableString.Invariant($"{random.NextDouble()},{random.NextDouble()},{random.NextDouble() * 100}\n"))));
        var args = new[] { "train", "--data", folder.File("d.csv"), "--test-fraction", "0", "--max-iter", "50", "--out", folder.File("run"), "--quiet" }
            .Concat(options.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        var run = CliProcess.Run(args);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains(expected, run.Stderr);
    }

    [Fact]
    public void Summary_with_a_polynomial_expansion_describes_the_expanded_model()
    {
        using var folder = new TempFolder();
        var run = CliProcess.Run("train", "--data", "iris", "--poly-degree", "2", "--summary", "--out", folder.File("run"), "--quiet");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("", run.Stdout);  // --quiet: no summary, no table
        string summary = File.ReadAllText(folder.File("run/summary.txt"));
        Assert.Contains("MNLogit Regression Results", summary);
        Assert.Equal(28, (int)Metrics(folder.File("run"))["inference"]!["df_model"]!);  // 14 expanded features × 2 non-reference classes
    }

    [Fact]
    public void A_tiny_C_finds_the_same_optimum_with_the_default_solver_as_with_newton()
    {
        using var folder = new TempFolder();
        var auto = CliProcess.Run("train", "--data", "breast-cancer", "--C", "1e-300", "--out", folder.File("auto"), "--quiet");
        var newton = CliProcess.Run("train", "--data", "breast-cancer", "--C", "1e-300", "--solver", "newton", "--out", folder.File("newton"), "--quiet");
        Assert.True(auto.ExitCode == 0 && newton.ExitCode == 0, auto.Stderr + newton.Stderr);
        Assert.Equal("", auto.Stderr);  // converged: no advice to raise --max-iter
        double b = (double)Metrics(folder.File("auto"))["intercept"]![0]!, bNewton = (double)Metrics(folder.File("newton"))["intercept"]![0]!;
        // With W = 0 the optimal intercept is the log-odds of the training classes: 0.5167 here, not 0.
        Assert.Equal(bNewton, b, 1e-9);
        Assert.InRange(b, 0.51, 0.52);
        Assert.Equal((double)Metrics(folder.File("newton"))["objective"]!, (double)Metrics(folder.File("auto"))["objective"]!, 1e-12);
    }

    [Fact]
    public void Verbose_prints_the_message_once_then_the_trace()
    {
        var run = CliProcess.Run("train", "--data", "iris", "--C", "0", "--verbose");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(2, run.Stderr.Split("must be a finite number > 0").Length);
        Assert.Contains("at TorchLogistic.Training.TrainingOptions.Validate()", run.Stderr);
    }

    [Fact]
    public void Gradcheck_perturb_runs_as_the_readme_writes_it()
    {
        var run = CliProcess.Run("gradcheck", "--perturb", "--only", "linear ce", "--seeds", "1");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--perturb 0.001: every closed-form derivative is deliberately wrong", run.Stdout);
        Assert.Contains("FAILED", run.Stdout);
    }

    [Fact]
    public void No_library_string_names_a_command_line_flag()
    {
        var offenders = Directory.EnumerateFiles(Repository.Path("src", "TorchLogistic"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => !f.EndsWith("ScikitLearnPeer.cs", StringComparison.Ordinal))  // arguments of the Python script it starts
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => !x.line.TrimStart().StartsWith("//", StringComparison.Ordinal)
                && System.Text.RegularExpressions.Regex.IsMatch(x.line, "\"[^\"]*--[a-z][^\"]*\""))
            .Select(x => $"{Path.GetFileName(x.f)}:{x.i + 1}")
            .ToList();
        Assert.Empty(offenders);
    }
}
