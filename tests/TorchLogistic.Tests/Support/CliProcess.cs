using System.Diagnostics;

namespace TorchLogistic.Tests.Support;

/// <summary>Runs the real <c>torchlogistic</c> executable (built beside the tests) and captures its output.</summary>
public static class CliProcess
{
    public sealed record Output(int ExitCode, string Stdout, string Stderr);

    public static string Executable => Path.Combine(AppContext.BaseDirectory, "torchlogistic.dll");

    public static Output Run(params string[] args) => RunIn(null, args);

    public static Output RunIn(string? workingDirectory, params string[] args) => RunWith(workingDirectory, null, args);

    /// <summary>Runs with extra environment variables (e.g. the fault hook TORCHLOGISTIC_FAULT).</summary>
    public static Output RunWith(string? workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(Executable);
        foreach (string a in args) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"torchlogistic {string.Join(' ', args)} did not finish in 5 minutes.");
        }
        return new Output(process.ExitCode, stdout.Result, stderr.Result);
    }
}
