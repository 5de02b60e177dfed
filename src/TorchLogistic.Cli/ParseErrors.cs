using System.CommandLine;
using System.Text.RegularExpressions;

namespace TorchLogistic.Cli;

/// <summary>
/// The command line's own errors (a value that cannot be read, an unknown option or command, a missing required
/// option) in the house format: one line on stderr, exit status 2, no .NET type names, with the fix.
/// </summary>
internal static partial class ParseErrors
{
    public static int Report(ParseResult parse)
    {
        var error = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
        string command = string.Join(' ', parse.CommandResult.Command.Name == parse.RootCommandResult.Command.Name
            ? new[] { "torchlogistic" }
            : new[] { "torchlogistic", parse.CommandResult.Command.Name });
        Console.Error.WriteLine($"error: {Messages.OneLine(Plain(error.Message))} See '{command} --help'.");
        return CliRunner.UsageError;
    }

    /// <summary>The parser's message without .NET type names: "as expected type 'System.Int32'" becomes "as a whole number".</summary>
    private static string Plain(string message)
    {
        message = TypeName().Replace(message, m => m.Groups[1].Value switch
        {
            "System.Int32" or "System.Int64" or "System.Nullable`1[System.Int32]" => "as a whole number",
            "System.Double" or "System.Single" or "System.Nullable`1[System.Double]" => "as a number",
            "System.Boolean" => "as true or false",
            _ => "as a value of this option",
        });
        message = message.Replace("Unrecognized command or argument", "Unknown option, command or argument", StringComparison.Ordinal);
        message = message.TrimEnd();
        return message.EndsWith('.') ? message : message + ".";
    }

    [GeneratedRegex(@"as expected type '([^']+)'")]
    private static partial Regex TypeName();
}
