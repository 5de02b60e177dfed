using System.Text.Json.Nodes;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Reliability;

/// <summary>Issue 14's cases that must succeed, or succeed with a warning, each on the real executable.</summary>
public class RoundTwoBehaviourTests
{
    private static JsonObject metrics(string dir) => JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")))!.AsObject();

    [Fact]
    public void Labels_that_are_the_same_number_are_one_class()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.file("d.csv"), "a,label\n1,0\n2,0.0\n3,1\n4,1.0\n5,1e0\n6,0\n");
        var run = CliProcess.run("train", "--data", folder.file("d.csv"), "--test-fraction", "0", "--out", folder.file("run"), "--quiet");
        Assert.True(run.exit_code == 0, run.stderr);
        Assert.Equal(new[] { "0", "1" }, metrics(folder.file("run"))["classes"]!.AsArray().Select(c => (string)c!).ToArray());
    }

    [Theory]
    [InlineData("a,w,label\n1,1,x\n2,0,y\n3,1,x\n4,0,y\n5,1,z\n6,1,z\n", "--sample-weight w", "warning: class y has total weight 0 in the training rows")]
    [InlineData(null, "", "has 60 distinct values in 60 rows, 60 of them on one row each: it looks continuous")]
    [InlineData("a,label\n1,0\n2,0\n3,1\n4,1\n", "--penalty none", "warning: the training rows are separated perfectly and --penalty is none: there is no finite optimum")]
    public void Ambiguous_input_trains_with_a_warning(string? csv, string options, string expected)
    {
        using var folder = new TempFolder();
        var random = new Random(1);
        File.WriteAllText(folder.file("d.csv"), csv ?? "a,b,y\n" + string.Concat(Enumerable.Range(0, 60).Select(_ =>
            FormattableString.Invariant($"{random.NextDouble()},{random.NextDouble()},{random.NextDouble() * 100}\n"))));
        var args = new[] { "train", "--data", folder.file("d.csv"), "--test-fraction", "0", "--max-iter", "50", "--out", folder.file("run"), "--quiet" }
            .Concat(options.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        var run = CliProcess.run(args);
        Assert.True(run.exit_code == 0, run.stderr);
        Assert.Contains(expected, run.stderr);
    }

    [Fact]
    public void Summary_with_a_polynomial_expansion_describes_the_expanded_model()
    {
        using var folder = new TempFolder();
        var run = CliProcess.run("train", "--data", "iris", "--poly-degree", "2", "--summary", "--out", folder.file("run"), "--quiet");
        Assert.True(run.exit_code == 0, run.stderr);
        Assert.Equal("", run.stdout);  // --quiet: no summary, no table
        string summary = File.ReadAllText(folder.file("run/summary.txt"));
        Assert.Contains("MNLogit Regression Results", summary);
        Assert.Equal(28, (int)metrics(folder.file("run"))["inference"]!["df_model"]!);  // 14 expanded features × 2 non-reference classes
    }

    [Fact]
    public void A_tiny_C_finds_the_same_optimum_with_the_default_solver_as_with_newton()
    {
        using var folder = new TempFolder();
        var auto = CliProcess.run("train", "--data", "breast-cancer", "--C", "1e-300", "--out", folder.file("auto"), "--quiet");
        var newton = CliProcess.run("train", "--data", "breast-cancer", "--C", "1e-300", "--solver", "newton", "--out", folder.file("newton"), "--quiet");
        Assert.True(auto.exit_code == 0 && newton.exit_code == 0, auto.stderr + newton.stderr);
        Assert.Equal("", auto.stderr);  // converged: no advice to raise --max-iter
        double b = (double)metrics(folder.file("auto"))["intercept"]![0]!, bNewton = (double)metrics(folder.file("newton"))["intercept"]![0]!;
        // With W = 0 the optimal intercept is the log-odds of the training classes: 0.5167 here, not 0.
        Assert.Equal(bNewton, b, 1e-9);
        Assert.InRange(b, 0.51, 0.52);
        Assert.Equal((double)metrics(folder.file("newton"))["objective"]!, (double)metrics(folder.file("auto"))["objective"]!, 1e-12);
    }

    [Fact]
    public void Verbose_prints_the_message_once_then_the_trace()
    {
        var run = CliProcess.run("train", "--data", "iris", "--C", "0", "--verbose");
        Assert.Equal(2, run.exit_code);
        Assert.Equal(2, run.stderr.Split("must be a finite number > 0").Length);
        Assert.Contains("at TorchLogistic.Training.TrainingOptions.validate()", run.stderr);
    }

    [Fact]
    public void Gradcheck_perturb_runs_as_the_readme_writes_it()
    {
        var run = CliProcess.run("gradcheck", "--perturb", "--only", "linear ce", "--seeds", "1");
        Assert.Equal(1, run.exit_code);
        Assert.Contains("--perturb 0.001: every closed-form derivative is deliberately wrong", run.stdout);
        Assert.Contains("FAILED", run.stdout);
    }

    [Fact]
    public void No_library_string_names_a_command_line_flag()
    {
        var offenders = Directory.EnumerateFiles(Repository.path("src", "TorchLogistic"), "*.cs", SearchOption.AllDirectories)
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
