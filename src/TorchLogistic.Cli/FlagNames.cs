using System.Text.RegularExpressions;

namespace TorchLogistic.Cli;

/// <summary>
/// The one table from the library's API names to the command line's flags. Library messages speak of the API
/// ("TrainingOptions.Model = Softmax"); the CLI prints them with the flag ("--model softmax"). The keys are the
/// literal spellings of the library's messages (a rename of the API must rename both; FlagNamesTests checks
/// that every key appears in a library message).
/// </summary>
internal static partial class FlagNames
{
    private static readonly (string Api, string Flag)[] Table =
    {
        ("TrainingOptions.Model", "--model"),
        ("CrossValidationOptions.Folds", "--cv"),
        ("CrossValidationOptions.Cs", "--Cs"),
        ("PermutationImportanceOptions.Repeats", "--repeats"),
        ("CalibrationMethod.Sigmoid", "--calibrate sigmoid"),
        ("TrainingOptions.PolynomialDegree", "--poly-degree"),
        ("TrainingOptions.Gradients", "--gradients"),
        ("TrainingOptions.DType", "--dtype"),
        ("TrainingOptions.Solver", "--solver"),
        ("TrainingOptions.LearningRate", "--lr"),
        ("TrainingOptions.Penalty", "--penalty"),
        ("TrainingOptions.Standardize", "--standardize"),
        ("TrainingOptions.FitIntercept", "--no-intercept"),
        ("TrainingOptions.HistorySize", "--history"),
        ("TrainingOptions.BatchSize", "--batch-size"),
        ("TrainingOptions.Seed", "--seed"),
        ("TrainingOptions.ClassWeight", "--class-weight"),
        ("TrainingOptions.C", "--C"),
        ("TrainingOptions.L1Ratio", "--l1-ratio"),
        ("TrainingOptions.MaxIterations", "--max-iter"),
        ("TrainingOptions.Tolerance", "--tol"),
        ("TrainingOptions.LabelSmoothing", "--label-smoothing"),
        ("TabularOptions.Missing = Drop, Mean, Median or MostFrequent", "--missing drop, mean, median or most-frequent"),
        ("TabularOptions.Missing = Mean, Median or MostFrequent", "--missing mean, median or most-frequent"),
        ("TabularOptions.Missing", "--missing"),
        ("TabularOptions.MissingIndicator", "--missing-indicator"),
        ("TabularOptions.HandleUnknown", "--handle-unknown"),
        ("TabularOptions.Categorical", "--categorical"),
        ("CovarianceOptions.Kind", "--cov"),
        ("CovarianceOptions.Groups", "--groups"),
        ("CovarianceKind.Cluster", "--cov cluster"),
        ("Datasets.label", "--label"),
        ("Datasets.sampleWeight", "--sample-weight"),
        ("Datasets.testFraction", "--test-fraction"),
        ("Datasets.dataDir", "--data-dir"),
        ("DataStreams.testPath", "--test-data"),
        ("DataStreams.Open", "--stream"),
        ("TrainingReport.threshold", "--threshold"),
        ("Trainer.Fit", "without --stream"),
        ("FirthLogit.Fit", "--penalty firth"),
        ("ModelFile.Save", "torchlogistic train --out DIR writes DIR/model.bin"),
        ("PyTorchExport.Save", "torchlogistic export --format pt"),
        ("ExportDocument.Save", "torchlogistic export --format json"),
    };

    private static readonly Dictionary<string, string> Values = new(StringComparer.Ordinal)
    {
        ["OneVsRest"] = "ovr",
        ["GdLipschitz"] = "gd-lipschitz",
        ["MostFrequent"] = "most-frequent",
    };

    /// <summary><paramref name="message"/> with every API name of the table replaced by its flag, and "= Value" by " value".</summary>
    public static string ToFlags(string message)
    {
        foreach (var (api, flag) in Table)
        {
            if (!message.Contains(api, StringComparison.Ordinal)) continue;
            message = Regex.Replace(message, $@"{Regex.Escape(api)}\b(?: = (-?\w+(?:\.\d+)?))?", m =>
                m.Groups[1].Success ? $"{flag} {Value(m.Groups[1].Value)}" : flag);
        }
        return message;
    }

    private static string Value(string v) =>
        Values.TryGetValue(v, out string? flag) ? flag : v.Length > 0 && char.IsUpper(v[0]) && v.All(char.IsLetterOrDigit) ? v.ToLowerInvariant() : v;

    /// <summary>The API names the table maps.</summary>
    public static IReadOnlyList<string> ApiNames => Table.Select(t => t.Api).ToArray();
}
