namespace TorchLogistic.Tests.Support;

/// <summary>Debian's /usr/bin/python3 with given modules (python3-numpy, python3-torch): whether it is there, and running a script with it.</summary>
internal static class DebianPython
{
    public const string Program = "/usr/bin/python3";

    private static readonly Dictionary<string, string?> Reasons = new();

    /// <summary>Why <paramref name="modules"/> cannot be imported (null when they can).</summary>
    public static string? UnavailableReason(params string[] modules)
    {
        string key = string.Join(",", modules);
        lock (Reasons)
        {
            if (Reasons.TryGetValue(key, out string? known)) return known;
            string? reason;
            if (!File.Exists(Program)) reason = $"{Program} is missing";
            else
            {
                var run = ExternalProcess.Run(Program, new[] { "-c", $"import {key}" }, Path.GetTempPath(), TimeSpan.FromMinutes(2));
                reason = run.ExitCode == 0 ? null : $"{Program} cannot import {key} ({run.Stderr.Trim().Split('\n').Last()})";
            }
            Reasons[key] = reason;
            return reason;
        }
    }

    /// <summary>Runs <paramref name="script"/> in <paramref name="folder"/> and returns its stdout; fails the test on a non-zero exit.</summary>
    public static string Run(string script, string folder, params string[] args)
    {
        string path = Path.Combine(folder, "script.py");
        File.WriteAllText(path, script);
        var run = ExternalProcess.Run(Program, new[] { path }.Concat(args), folder, TimeSpan.FromMinutes(3));
        Assert.True(run.ExitCode == 0, $"python exited {run.ExitCode}: {run.Stderr}");
        return run.Stdout;
    }
}

/// <summary>A test that needs Python modules in Debian's python3: skipped, saying why, where they are missing (.ci/run installs them).</summary>
public sealed class PythonFactAttribute : FactAttribute
{
    public PythonFactAttribute(params string[] modules)
    {
        if (DebianPython.UnavailableReason(modules) is string why) Skip = $"skipped: {why}";
    }
}

/// <summary>The theory form of <see cref="PythonFactAttribute"/>.</summary>
public sealed class PythonTheoryAttribute : TheoryAttribute
{
    public PythonTheoryAttribute(params string[] modules)
    {
        if (DebianPython.UnavailableReason(modules) is string why) Skip = $"skipped: {why}";
    }
}
