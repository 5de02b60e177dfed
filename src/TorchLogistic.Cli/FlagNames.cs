using System.Text.RegularExpressions;
using TorchLogistic.Data;
using TorchLogistic.Training;

namespace TorchLogistic.Cli;

/// <summary>
/// The one table from the library's API names to the command line's flags. Library messages speak of the API
/// ("TrainingOptions.model = Softmax"); the CLI prints them with the flag ("--model softmax").
/// </summary>
internal static partial class FlagNames
{
    private static readonly (string Api, string Flag)[] Table =
    {
        ($"{nameof(TrainingOptions)}.{nameof(TrainingOptions.model)}", "--model"),
        ($"{nameof(TrainingOptions)}.{nameof(TrainingOptions.poly_degree)}", "--poly-degree"),
        ($"{nameof(TrainingOptions)}.{nameof(TrainingOptions.gradients)}", "--gradients"),
        ($"{nameof(TrainingOptions)}.{nameof(TrainingOptions.solver)}", "--solver"),
        ($"{nameof(TrainingOptions)}.{nameof(TrainingOptions.lr)}", "--lr"),
        ($"{nameof(TrainingOptions)}.{nameof(TrainingOptions.penalty)}", "--penalty"),
        ($"{nameof(TrainingOptions)}.{nameof(TrainingOptions.standardize)}", "--standardize"),
        ($"{nameof(TrainingOptions)}.{nameof(TrainingOptions.history_size)}", "--history"),
        ($"{nameof(TrainingOptions)}.{nameof(TrainingOptions.batch_size)}", "--batch-size"),
        ($"{nameof(TrainingOptions)}.{nameof(TrainingOptions.seed)}", "--seed"),
        ($"{nameof(TrainingOptions)}.{nameof(TrainingOptions.class_weight)}", "--class-weight"),
        ($"{nameof(TrainingOptions)}.{nameof(TrainingOptions.max_iter)}", "--max-iter"),
        ($"{nameof(TrainingOptions)}.sample_weight", "--sample-weight"),
        ($"{nameof(Datasets)}.label", "--label"),
        ($"{nameof(Datasets)}.sample_weight", "--sample-weight"),
        ($"{nameof(Datasets)}.test_fraction", "--test-fraction"),
        ($"{nameof(Datasets)}.data_dir", "--data-dir"),
        ($"{nameof(DataStreams)}.test_path", "--test-data"),
        ($"{nameof(DataStreams)}.open", "--stream"),
        ("TrainingReport.threshold", "--threshold"),
    };

    private static readonly Dictionary<string, string> Values = new(StringComparer.Ordinal)
    {
        [nameof(ModelKind.OneVsRest)] = "ovr",
    };

    /// <summary><paramref name="message"/> with every API name of the table replaced by its flag, and "= Value" by " value".</summary>
    public static string to_flags(string message)
    {
        foreach (var (api, flag) in Table)
        {
            if (!message.Contains(api, StringComparison.Ordinal)) continue;
            message = Regex.Replace(message, $@"{Regex.Escape(api)}\b(?: = (-?\w+(?:\.\d+)?))?", m =>
                m.Groups[1].Success ? $"{flag} {value(m.Groups[1].Value)}" : flag);
        }
        return message;
    }

    private static string value(string v) =>
        Values.TryGetValue(v, out string? flag) ? flag : v.Length > 0 && char.IsUpper(v[0]) && v.All(char.IsLetterOrDigit) ? v.ToLowerInvariant() : v;

    /// <summary>Flag of an API name (for tests and help), or null.</summary>
    public static string? flag_of(string api) => Table.FirstOrDefault(t => t.Api == api).Flag;
}
