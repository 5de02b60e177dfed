using System.CommandLine;
using TorchLogistic.Data;

namespace TorchLogistic.Cli;

/// <summary>
/// The <c>--format</c> flag shared by the commands that read labelled files: <c>auto</c> (LIBSVM for the extensions
/// <see cref="LibSvmFile.Extensions"/>, optionally gzipped, otherwise what the command reads by default), <c>csv</c> or
/// <c>libsvm</c>.
/// </summary>
internal static class InputFormat
{
    /// <summary>A new <c>--format</c> option (one per command: System.CommandLine options belong to one command).</summary>
    public static Option<string> Create() => new("--format")
    {
        Description = $"Input format: auto (LIBSVM/svmlight for {string.Join(", ", LibSvmFile.Extensions)}, also gzipped; otherwise CSV or a built-in name), csv, or libsvm (sparse rows 'label index:value …', 1-based).",
        DefaultValueFactory = _ => "auto",
    };

    /// <summary>Whether <paramref name="path"/> is to be read as LIBSVM under <paramref name="format"/>.</summary>
    public static bool IsLibSvm(string path, string format) => format switch
    {
        "auto" => LibSvmFile.HasExtension(path) && !BuiltinDatasets.Contains(path),
        "libsvm" => !BuiltinDatasets.Contains(path) ? true : throw new ArgumentException($"--format libsvm reads a file; '{path}' is a built-in data set. Drop --format or pass a LIBSVM file."),
        "csv" => false,
        _ => throw new ArgumentException($"Unknown --format '{format}'. Use auto, csv or libsvm."),
    };
}
