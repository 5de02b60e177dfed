namespace TorchLogistic.Tests.Support;

/// <summary>
/// What the bad-input suites share: a case's command with {out} and {file} placeholders expanded into its folder,
/// and the house format of a refusal — exit status 2 and one "error:" line that names the problem.
/// </summary>
internal static class BadInputRun
{
    /// <summary>The command's arguments: "{out}" becomes <paramref name="outDir"/>, "{name}" the file of that name in <paramref name="folder"/>.</summary>
    public static string[] Arguments(string command, TempFolder folder, string outDir) =>
        command.Split(' ').Select(a => a.Replace("{out}", outDir)).Select(a =>
            a.StartsWith('{') && a.EndsWith('}') ? folder.File(a[1..^1]) : a).ToArray();

    /// <summary>Asserts exit status 2 and a single stderr line "error: …" containing <paramref name="expected"/>; returns that line.</summary>
    public static string AssertRefused(CliProcess.Output run, string expected)
    {
        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}; stderr: {run.Stderr}");
        string[] lines = run.Stderr.Trim().Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        return lines[0];
    }
}
