using System.Diagnostics;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Reliability;

/// <summary>
/// The output set under faults: killed before or after the swap, a write failing halfway, a file-size limit, a
/// reused folder, a failed run into a new nested folder. After each, the folder holds exactly one complete run's
/// files or the previous state, byte for byte, and nothing stray remains once the next run has started.
/// </summary>
[Collection(TwoLaneCollections.ChildProcesses)]
public class OutputSetFaultTests
{
    private static readonly string[] First = { "train", "--data", "breast-cancer", "--quiet" };
    private static readonly string[] Second = { "train", "--data", "breast-cancer", "--quiet", "--summary", "--C", "0.5" };

    private static CliProcess.Output Run(string outDir, string[] args, string? fault = null) =>
        CliProcess.RunWith(null, fault == null ? null : new Dictionary<string, string> { ["TORCHLOGISTIC_FAULT"] = fault },
            args.Concat(new[] { "--out", outDir }).ToArray());

    private static string[] Names(string dir) => Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    [Theory]
    [InlineData("before-commit:kill")]
    [InlineData("write-fail:3")]
    public void A_run_that_dies_or_fails_before_the_swap_leaves_the_previous_run_byte_for_byte(string fault)
    {
        using var folder = new TempFolder();
        string outDir = folder.File("run");
        Assert.Equal(0, Run(outDir, First).ExitCode);
        File.WriteAllText(Path.Combine(outDir, "notes.txt"), "the user's own file");
        var before = Snapshot.Of(outDir);

        var failed = Run(outDir, Second, fault);
        Assert.NotEqual(0, failed.ExitCode);
        if (fault.StartsWith("write-fail", StringComparison.Ordinal))
        {
            Assert.Equal(2, failed.ExitCode);
            Assert.Contains("the disk may be full", failed.Stderr);
            Assert.Equal(new[] { "run" }, Names(folder.Path));  // the staging folder is removed
        }
        Assert.Equal(before, Snapshot.Of(outDir));

        // The next run removes what the killed one left beside the folder, and replaces the set as a whole.
        Assert.Equal(0, Run(outDir, Second).ExitCode);
        Assert.Equal(new[] { "run" }, Names(folder.Path));
        Assert.Contains("summary.txt", Names(outDir));
        Assert.Contains("notes.txt", Names(outDir));
    }

    [Fact]
    public void A_run_killed_right_after_the_swap_leaves_the_new_complete_run()
    {
        using var folder = new TempFolder();
        string outDir = folder.File("run"), reference = folder.File("reference");
        Assert.Equal(0, Run(outDir, First).ExitCode);
        Assert.Equal(0, Run(reference, Second).ExitCode);

        var killed = Run(outDir, Second, "after-swap:kill");
        Assert.Equal(137, killed.ExitCode);
        Assert.Equal(Names(reference), Names(outDir));
        foreach (string file in new[] { "model.bin", "summary.txt" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(reference, file)), File.ReadAllBytes(Path.Combine(outDir, file)));
        // The previous run, swapped out, waits beside the folder until the next run removes it.
        Assert.Single(Names(folder.Path), n => n.StartsWith(".run.staging-", StringComparison.Ordinal));
        Assert.Equal(0, Run(outDir, First).ExitCode);
        Assert.Equal(new[] { "reference", "run" }, Names(folder.Path));
    }

    [Fact]
    public void A_file_size_limit_fails_the_write_cleanly_and_changes_nothing()
    {
        using var folder = new TempFolder();
        string outDir = folder.File("run");
        Assert.Equal(0, Run(outDir, First).ExitCode);
        var before = Snapshot.Of(folder.Path);

        // 40 KiB per file: model.bin fits, metrics.json and the plots do not. W^X off: the runtime's own double mapping needs larger files.
        var info = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("ulimit -f 40; exec dotnet \"$0\" \"$@\"");
        foreach (string a in new[] { CliProcess.Executable }.Concat(Second).Concat(new[] { "--out", outDir })) info.ArgumentList.Add(a);
        info.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        using var process = Process.Start(info)!;
        string stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(120_000));
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("error: Writing the output", stderr);
        Assert.Contains("file-size limit", stderr);
        Assert.Equal(before, Snapshot.Of(folder.Path));
    }

    [Fact]
    public void A_folder_used_before_holds_only_the_new_runs_outputs_beside_the_users_files()
    {
        using var folder = new TempFolder();
        string outDir = folder.File("run");
        Assert.Equal(0, Run(outDir, Second).ExitCode);
        File.WriteAllText(Path.Combine(outDir, "notes.txt"), "kept");
        Assert.Equal(0, Run(outDir, First).ExitCode);
        Assert.DoesNotContain("summary.txt", Names(outDir));
        Assert.Equal("kept", File.ReadAllText(Path.Combine(outDir, "notes.txt")));
        Assert.Contains("model.bin", Names(outDir));
    }

    [Fact]
    public void A_failed_run_into_a_new_nested_folder_leaves_no_parent_behind()
    {
        using var folder = new TempFolder();
        var before = Snapshot.Of(folder.Path);
        var failed = Run(folder.File("a/b/c"), new[] { "train", "--data", "breast-cancer", "--max-iter", "1", "--solver", "gd", "--lr", "1e300", "--quiet" });
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Equal(before, Snapshot.Of(folder.Path));
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public void Predict_stops_on_a_signal_and_keeps_the_previous_output(string signal)
    {
        using var folder = new TempFolder();
        string outDir = folder.File("run"), predictions = folder.File("p.csv");
        Assert.Equal(0, Run(outDir, First).ExitCode);
        File.WriteAllText(predictions, "the previous predictions");
        var before = Snapshot.Of(folder.Path);

        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { CliProcess.Executable, "predict", "--model", Path.Combine(outDir, "model.bin"), "--data", "breast-cancer", "--out", predictions })
            info.ArgumentList.Add(a);
        info.Environment["TORCHLOGISTIC_FAULT"] = "before-commit:pause";
        using var process = Process.Start(info)!;
        Assert.Equal("fault: paused at before-commit", process.StandardError.ReadLine());
        using (var kill = Process.Start("kill", new[] { $"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) })!) kill.WaitForExit();
        Assert.True(process.WaitForExit(30_000), "predict did not stop within 30 s of the signal");
        Assert.Equal(130, process.ExitCode);
        Assert.Contains("Interrupted", process.StandardError.ReadToEnd());
        Assert.Equal(before, Snapshot.Of(folder.Path));
    }
}
