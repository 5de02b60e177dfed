using System.CommandLine;
using TorchLogistic.Data;
using TorchLogistic.Objectives;
using TorchLogistic.Training;

namespace TorchLogistic.Cli.Commands;

/// <summary>
/// <c>torchlogistic train</c> on tabular CSV files: categorical columns one-hot encoded and missing cells handled
/// (<see cref="TabularOptions"/>), fitted on the training rows and stored in model.bin.
/// </summary>
internal static partial class TrainCommand
{
    private static readonly Option<string?> Categorical = new("--categorical") { Description = "Comma-separated columns to one-hot encode even when every cell is a number (a column with text cells is categorical anyway)." };
    private static readonly Option<string> CategoricalDropName = new("--categorical-drop") { Description = "none (one column per level) or first (drop the first level in sorted order: treatment coding).", DefaultValueFactory = _ => "none" };
    private static readonly Option<string> HandleUnknownName = new("--handle-unknown") { Description = "A level unseen in training: error, or ignore (all-zero columns).", DefaultValueFactory = _ => "error" };
    private static readonly Option<string> MissingName = new("--missing") { Description = "Missing cells (empty, NA, NaN): error, drop (the rows), mean, median or most-frequent (fitted on the training rows; categorical columns take their most frequent level).", DefaultValueFactory = _ => "error" };
    private static readonly Option<bool> MissingIndicator = new("--missing-indicator") { Description = "Add a 0/1 column 'column[missing]' after each column with a missing training cell (needs --missing mean, median or most-frequent)." };

    private static Option[] TabularFlags => new Option[] { Categorical, CategoricalDropName, HandleUnknownName, MissingName, MissingIndicator };

    /// <summary>The tabular options of the command line.</summary>
    private static TabularOptions TabularFrom(ParseResult parse)
    {
        string drop = parse.GetValue(CategoricalDropName)!, unknown = parse.GetValue(HandleUnknownName)!, missing = parse.GetValue(MissingName)!;
        var options = new TabularOptions
        {
            Categorical = parse.GetValue(Categorical) is { } names ? names.Split(',').Select(n => n.Trim()).Where(n => n.Length > 0).ToArray() : Array.Empty<string>(),
            CategoricalDrop = drop switch
            {
                "none" => CategoricalDrop.None,
                "first" => CategoricalDrop.First,
                _ => throw new ArgumentException($"Unknown --categorical-drop '{drop}'. Use none or first."),
            },
            HandleUnknown = unknown switch
            {
                "error" => UnknownLevels.Error,
                "ignore" => UnknownLevels.Ignore,
                _ => throw new ArgumentException($"Unknown --handle-unknown '{unknown}'. Use error or ignore."),
            },
            Missing = missing switch
            {
                "error" => MissingStrategy.Error,
                "drop" => MissingStrategy.Drop,
                "mean" => MissingStrategy.Mean,
                "median" => MissingStrategy.Median,
                "most-frequent" => MissingStrategy.MostFrequent,
                _ => throw new ArgumentException($"Unknown --missing '{missing}'. Use error, drop, mean, median or most-frequent."),
            },
            MissingIndicator = parse.GetValue(MissingIndicator),
        };
        options.Validate();
        return options;
    }

    /// <summary>Refuses the tabular flags where they do not apply (--stream reads numeric CSV rows one batch at a time).</summary>
    private static void RejectTabularFlagsWhenStreaming(ParseResult parse)
    {
        var given = TabularFlags.Where(o => Given(parse, o)).Select(o => o.Name).ToList();
        if (given.Count > 0)
            throw new ArgumentException($"{string.Join(", ", given)} {(given.Count > 1 ? "are" : "is")} not available with --stream, which reads numeric columns batch by batch; drop --stream to encode categorical columns and missing cells in memory.");
    }

    /// <summary>What the user should know about the encoding: rows dropped, and (with --summary) a one-hot set collinear with the intercept.</summary>
    private static IEnumerable<string> TabularNotes(Dataset train, TrainingOptions options, bool summary)
    {
        if (train.Encoding is not { } encoding) yield break;
        if (encoding.DroppedRowCount > 0)
            yield return $"note: --missing drop dropped {encoding.DroppedRowCount} row{(encoding.DroppedRowCount == 1 ? "" : "s")} with a missing cell before the split.";
        // Without an intercept the full one-hot set is identifiable (each level its own intercept).
        if (summary && options.FitIntercept && options.Penalty == PenaltyKind.None && encoding.HasCategorical && encoding.CategoricalDrop == CategoricalDrop.None)
        {
            var first = encoding.Columns.First(c => c.Kind == ColumnKind.Categorical);
            yield return $"note: with --categorical-drop none the one-hot columns of each categorical feature (e.g. {string.Join(" + ", first.FeatureNames().Take(first.Levels.Count))}) sum to 1, the intercept's column: the unpenalised model is not identifiable and its standard errors do not exist. Use --categorical-drop first (treatment coding, as R and statsmodels).";
        }
    }
}
