using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Cli;

/// <summary>
/// A diverged run is a result (<c>StopReason.Diverged</c>) in the library; the CLI keeps its one-line message
/// and exit status 3. The expected lines are the ones the CLI printed when divergence was an exception.
/// </summary>
[Collection(TwoLaneCollections.ChildProcesses)]
public class DivergenceCliTests
{
    [Theory]
    [InlineData("breast-cancer", "logistic", "1", "Training diverged at iteration 1 (solver gd): the objective grew to 4.27e+04, over 10000 times its start value.")]
    [InlineData("iris", "ovr", "1000", "Training diverged at iteration 11 (solver gd): the objective grew to 1.06e+04, over 10000 times its start value.")]
    public void A_diverged_run_prints_the_fixes_exits_3_and_writes_nothing(string data, string model, string learningRate, string diverged)
    {
        using var folder = new TempFolder();
        string outDir = folder.File("run");
        var run = CliProcess.Run("train", "--data", data, "--model", model, "--solver", "gd", "--lr", learningRate, "--penalty", "none", "--max-iter", "200",
            "--quiet", "--out", outDir);
        Assert.Equal(3, run.ExitCode);
        Assert.Equal($"error: {diverged} Lower --lr, use --solver gd-lipschitz or lbfgs, or standardise the features (--standardize). No model was written.",
            run.Stderr.TrimEnd());
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any(), "nothing is written");
    }
}
