using System.CommandLine;

namespace TorchLogistic.Cli;

/// <summary>Options every command shares.</summary>
internal static class CommonOptions
{
    /// <summary>Show stack traces with errors.</summary>
    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "Show the full exception (with stack trace) when a command fails.",
        Recursive = true,
    };
}
