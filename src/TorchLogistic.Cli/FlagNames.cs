using System.Text.RegularExpressions;

namespace TorchLogistic.Cli;

/// <summary>
/// The one table from the library's API names to the command line's flags. Library messages speak of the API
/// ("TrainingOptions.model = Softmax"); the CLI prints them with the flag ("--model softmax"). The keys are the
/// literal spellings of the library's messages (a rename of the API must rename both; FlagNamesTests checks
/// that every key appears in a library message).
/// </summary>
internal static partial class FlagNames
{
    private static readonly (string Api, string Flag)[] Table =
    {
        ("TrainingOptions.model", "--model"),
        ("TrainingOptions.poly_degree", "--poly-degree"),
        ("TrainingOptions.gradients", "--gradients"),
        ("TrainingOptions.solver", "--solver"),
        ("TrainingOptions.lr", "--lr"),
        ("TrainingOptions.penalty", "--penalty"),
        ("TrainingOptions.standardize", "--standardize"),
        ("TrainingOptions.history_size", "--history"),
        ("TrainingOptions.batch_size", "--batch-size"),
        ("TrainingOptions.seed", "--seed"),
        ("TrainingOptions.class_weight", "--class-weight"),
        ("Datasets.label", "--label"),
        ("Datasets.sample_weight", "--sample-weight"),
        ("Datasets.test_fraction", "--test-fraction"),
        ("Datasets.data_dir", "--data-dir"),
        ("DataStreams.test_path", "--test-data"),
        ("DataStreams.open", "--stream"),
        ("TrainingReport.threshold", "--threshold"),
        ("Trainer.fit", "without --stream"),
        ("ModelFile.save", "torchlogistic train --out DIR writes DIR/model.bin"),
    };

    private static readonly Dictionary<string, string> Values = new(StringComparer.Ordinal)
    {
        ["OneVsRest"] = "ovr",
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

    /// <summary>The API names the table maps.</summary>
    public static IReadOnlyList<string> api_names => Table.Select(t => t.Api).ToArray();
}
