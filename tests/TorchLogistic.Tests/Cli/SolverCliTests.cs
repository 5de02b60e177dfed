using System.Text.Json.Nodes;
using TorchLogistic.Optim;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Optim;

[Collection(TwoLaneCollections.ChildProcesses)]
public class SolverCliTests
{
    [Fact]
    public void Train_with_l1_writes_exact_zeros_and_a_warm_start_continues_from_the_model()
    {
        using var folder = new TempFolder();
        string first = folder.File("l1"), second = folder.File("warm");
        var run = CliProcess.Run("train", "--data", "breast-cancer", "--standardize", "--penalty", "l1", "--C", "0.1", "--solver", "owlqn",
            "--tol", "1e-10", "--test-fraction", "0", "--quiet", "--out", first);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(first, "metrics.json")))!;
        var coefficients = metrics["coef"]![0]!.AsArray().Select(v => (double)v!).ToArray();
        Assert.Equal(22, coefficients.Count(v => v == 0));   // the zeros of scikit-learn's saga solution (Fixtures/solver_references.json)

        var warm = CliProcess.Run("train", "--data", "breast-cancer", "--standardize", "--penalty", "l1", "--C", "0.1", "--solver", "fista",
            "--tol", "1e-10", "--test-fraction", "0", "--quiet", "--warm-start", Path.Combine(first, "model.bin"), "--out", second);
        Assert.True(warm.ExitCode == 0, warm.Stderr);
        var warmMetrics = JsonNode.Parse(File.ReadAllText(Path.Combine(second, "metrics.json")))!;
        Assert.True((int)warmMetrics["iterations"]! <= 2, $"{(int)warmMetrics["iterations"]!} iterations from the optimum");

        var refused = CliProcess.Run("train", "--data", "breast-cancer", "--penalty", "l1", "--solver", "lbfgs", "--out", folder.File("x"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("owlqn", refused.Stderr);
    }

    [Fact]
    public void Hitting_max_iter_warns_and_records_converged_false()
    {
        using var folder = new TempFolder();
        var run = CliProcess.Run("train", "--data", "breast-cancer", "--standardize", "--solver", "gd-lipschitz", "--max-iter", "5", "--quiet", "--out", folder.File("r"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("warning: not converged", run.Stderr);
        Assert.False((bool)JsonNode.Parse(File.ReadAllText(Path.Combine(folder.File("r"), "metrics.json")))!["converged"]!);
    }

    [Fact]
    public void Compare_solvers_prints_a_row_per_solver()
    {
        var run = CliProcess.Run("compare-solvers", "--data", "iris", "--tol", "1e-6", "--max-iter", "300", "--threads", "1");
        Assert.True(run.ExitCode == 0, run.Stderr);
        foreach (string name in SolverRegistry.Names) Assert.Contains($"| {name} |", run.Stdout);
        Assert.Contains("| newton | ", run.Stdout);
    }
}
