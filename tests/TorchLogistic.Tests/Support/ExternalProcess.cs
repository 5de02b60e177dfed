using System.Diagnostics;

namespace TorchLogistic.Tests.Support;

/// <summary>Runs a program to completion with a time limit (the whole process tree is killed past it).</summary>
public static class ExternalProcess
{
    public sealed record Output(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed);

    public static Output Run(string program, IEnumerable<string> args, string workingDirectory, TimeSpan limit, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (string a in args) info.ArgumentList.Add(a);
        // A child `dotnet build` must not inherit the test run's MSBuild (dotnet test sets these).
        foreach (string key in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly" })
            info.Environment.Remove(key);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in {limit.TotalMinutes:G3} minutes.");
        }
        return new Output(process.ExitCode, stdout.Result, stderr.Result, clock.Elapsed);
    }
}
