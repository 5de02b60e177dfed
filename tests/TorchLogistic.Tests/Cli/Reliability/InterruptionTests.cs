using System.Diagnostics;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Reliability;

/// <summary>A training run killed or interrupted mid-way leaves the output folder as the previous run left it.</summary>
[Collection(TwoLaneCollections.ChildProcesses)]
public class InterruptionTests
{
    private static Process StartLongTraining(string outDir)
    {
        // Gradient descent on digits to a tolerance it cannot reach for minutes.
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory };
        foreach (string a in new[] { CliProcess.Executable, "train", "--data", "digits", "--solver", "gd", "--max-iter", "100000000", "--tol", "1e-14", "--out", outDir })
            info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    private static void WaitUntilTraining(Process process)
    {
        // Progress lines appear on stderr once training has run for a second.
        string? line = process.StandardError.ReadLine();
        Assert.True(line != null && line.StartsWith("iteration "), $"expected a progress line, got: {line}");
    }

    [Theory]
    [InlineData("KILL", -1)]
    [InlineData("INT", 130)]
    [InlineData("TERM", 130)]
    public void Killing_a_run_mid_way_leaves_the_previous_outputs_intact(string signal, int expectedExit)
    {
        using var folder = new TempFolder();
        string outDir = folder.File("run");
        var first = CliProcess.Run("train", "--data", "digits", "--out", outDir, "--quiet");
        Assert.True(first.ExitCode == 0, first.Stderr);
        var before = Snapshot.Of(folder.Path);
        foreach (string file in new[] { "model.bin", "metrics.json", "loss.png" })
            Assert.Contains(before, e => e.StartsWith($"run/{file} ", StringComparison.Ordinal));

        using var process = StartLongTraining(outDir);
        WaitUntilTraining(process);
        using (var kill = Process.Start("kill", new[] { $"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) })!) kill.WaitForExit();
        Assert.True(process.WaitForExit(30_000), "the run did not stop within 30 s of the signal");
        if (expectedExit >= 0)
        {
            Assert.Equal(expectedExit, process.ExitCode);
            Assert.Contains("Interrupted", process.StandardError.ReadToEnd());
        }
        Assert.Equal(before, Snapshot.Of(folder.Path));
    }

    [Fact]
    public void Interrupting_a_streamed_run_stops_it_within_an_epoch_and_writes_nothing()
    {
        using var folder = new TempFolder();
        string data = folder.File("rows.csv");
        var random = new Random(2);
        File.WriteAllLines(data, new[] { "a,b,c,label" }.Concat(Enumerable.Range(0, 3000).Select(i =>
            FormattableString.Invariant($"{random.NextDouble()},{random.NextDouble()},{random.NextDouble()},{(i % 3 == 0 ? "yes" : "no")}"))));
        var before = Snapshot.Of(folder.Path);

        // One-row batches and a million epochs: each epoch takes about a second, the run forever.
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory };
        foreach (string a in new[] { CliProcess.Executable, "train", "--stream", "--data", data, "--batch-size", "1", "--lr", "0.01", "--epochs", "1000000", "--out", folder.File("run") })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        WaitUntilTraining(process);
        using (var kill = Process.Start("kill", new[] { "-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) })!) kill.WaitForExit();
        Assert.True(process.WaitForExit(30_000), "the run did not stop within 30 s of the signal");
        Assert.Equal(130, process.ExitCode);
        Assert.Contains("Interrupted", process.StandardError.ReadToEnd());
        Assert.Equal(before, Snapshot.Of(folder.Path));
    }
}
