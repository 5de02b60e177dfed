using System.CommandLine;
using System.Runtime.InteropServices;
using TorchLogistic.Data;
using TorchLogistic.IO;
using TorchLogistic.Training;

namespace TorchLogistic.Cli;

/// <summary>
/// Runs a command and turns failures into one clear line on stderr and a non-zero exit status: 2 for bad
/// input or options, 3 for a diverged training run, 130 when interrupted. Stack traces only with --verbose.
/// Ctrl+C (SIGINT) and SIGTERM cancel the command's token: training stops between iterations and nothing is
/// written; once outputs are being written, they are finished (each file is replaced atomically).
/// </summary>
internal static class CliRunner
{
    /// <summary>Exit status of bad input, options or files.</summary>
    public const int UsageError = 2;

    /// <summary>Exit status when training diverged.</summary>
    public const int Diverged = 3;

    /// <summary>Linux's SIGXFSZ: a write beyond the file-size limit.</summary>
    private const int SigXfsz = 25;

    /// <summary>Exit status after Ctrl+C (128 + SIGINT).</summary>
    public const int Interrupted = 130;

    public static async Task<int> Run(RootCommand root, string[] args)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0) return ParseErrors.Report(parse);
        bool verbose = parse.GetValue(CommonOptions.Verbose);
        using var interrupt = new CancellationTokenSource();
        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            interrupt.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        // A file-size limit (ulimit -f) then fails the write with EFBIG, an IOException the output set cleans up
        // after, instead of killing the process mid-write.
        using var sigxfsz = PosixSignalRegistration.Create((PosixSignal)SigXfsz, context => context.Cancel = true);
        try
        {
            // Signals are handled here, not by System.CommandLine, so that it never abandons a command mid-write.
            var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return await parse.InvokeAsync(configuration, interrupt.Token);
        }
        catch (Exception e)
        {
            return Report(e, verbose);
        }
    }

    /// <summary>Reports a diverged run (<see cref="StopReason.Diverged"/>): one line naming the fixes; returns <see cref="Diverged"/>.</summary>
    public static int ReportDiverged(TrainingResult result)
    {
        Console.Error.WriteLine($"error: {result.DivergenceMessage} Lower --lr, use --solver gd-lipschitz or lbfgs, or standardise the features (--standardize). No model was written.");
        return Diverged;
    }

    /// <summary>Prints <paramref name="e"/> as one line on stderr (the stack trace with --verbose) and returns the exit status it means.</summary>
    internal static int Report(Exception e, bool verbose) => Report(e, verbose, Console.Error);

    /// <summary>Writes <paramref name="e"/> as one line to <paramref name="error"/> (the stack trace with --verbose) and returns the exit status it means.</summary>
    internal static int Report(Exception e, bool verbose, TextWriter error)
    {
        if (e is AggregateException { InnerExceptions.Count: 1 } aggregate) e = aggregate.InnerExceptions[0];
        int status = e switch
        {
            OperationCanceledException => Interrupted,
            DataFormatException or ModelFormatException or ArgumentException or IOException or UnauthorizedAccessException or InsufficientMemoryException => UsageError,
            _ => 1,
        };
        string message = e switch
        {
            OperationCanceledException => "Interrupted: stopped between iterations; no output was written or changed.",
            UnauthorizedAccessException => $"Permission denied: {e.Message} Choose a folder you can write to (--out).",
            ArgumentOutOfRangeException a => a.Message.Split(" (Parameter")[0],
            _ when status == 1 => $"Unexpected error ({e.GetType().Name}): {e.Message}",
            _ => e.Message,
        };
        error.WriteLine($"error: {Messages.OneLine(FlagNames.ToFlags(message))}");
        // The message is printed once; --verbose adds what it lacks: the exception's type and the stack trace.
        if (verbose) error.WriteLine($"{e.GetType().FullName}{Environment.NewLine}{e.StackTrace}{(e.InnerException is { } inner ? $"{Environment.NewLine}caused by: {inner}" : "")}");
        else if (status == 1) error.WriteLine("Run again with --verbose for the stack trace, and please report it.");
        return status;
    }
}
