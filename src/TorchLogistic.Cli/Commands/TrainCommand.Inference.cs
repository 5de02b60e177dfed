using System.CommandLine;
using System.Globalization;
using TorchLogistic.Data;
using TorchLogistic.Inference;

namespace TorchLogistic.Cli.Commands;

/// <summary><c>train</c>'s inference options: the covariance of <c>--summary</c> and the cluster column.</summary>
internal static partial class TrainCommand
{
    private static readonly Option<string> Cov = new("--cov")
    {
        Description = "Covariance of --summary's standard errors: nonrobust, HC0, HC1, HC2, HC3 (R's sandwich::vcovHC; HC2/HC3 binary only) or cluster (with --groups). Robust ones allow --sample-weight (as frequency weights). Implies --summary.",
        DefaultValueFactory = _ => "nonrobust",
    };
    private static readonly Option<string?> Groups = new("--groups") { Description = "Numeric CSV column of cluster labels for --cov cluster (not used as a feature)." };

    /// <summary>The covariance named by --cov, checked against --groups before anything is trained.</summary>
    private static CovarianceKind CovarianceFrom(ParseResult parse)
    {
        var kind = CovarianceOptions.ParseKind(parse.GetValue(Cov)!);
        string? groups = parse.GetValue(Groups);
        if (kind == CovarianceKind.Cluster && groups == null)
            throw new ArgumentException("--cov cluster needs --groups COLUMN, the CSV column of cluster labels.");
        if (kind != CovarianceKind.Cluster && groups != null)
            throw new ArgumentException($"--groups applies to --cov cluster; with --cov {parse.GetValue(Cov)} drop --groups.");
        return kind;
    }

    /// <summary>
    /// The --groups column taken out of the features of both parts of the split (the split keeps it beside each row):
    /// the cluster label of each training row, or null without --groups.
    /// </summary>
    private static (Dataset Train, Dataset? Test, long[]? Groups) WithoutGroups(ParseResult parse, Dataset train, Dataset? test)
    {
        string? column = parse.GetValue(Groups);
        if (column == null) return (train, test, null);
        int index = Array.IndexOf(train.FeatureNames, column);
        if (index < 0)
            throw new ArgumentException($"--groups '{column}' is not a numeric column of {train.Name} (columns: {string.Join(", ", train.FeatureNames)}).");
        var groups = new long[train.SampleCount];
        for (int i = 0; i < train.SampleCount; i++)
        {
            double v = train[i, index];
            groups[i] = v == Math.Floor(v) && Math.Abs(v) < 1e15 ? (long)v
                : throw new ArgumentException($"--groups '{column}' has the value {v.ToString(CultureInfo.InvariantCulture)} in a training row; cluster labels must be integers.");
        }
        int distinct = groups.Distinct().Count();
        if (distinct < 2)
            throw new ArgumentException($"--cov cluster needs at least two clusters; --groups '{column}' has {distinct} in the training rows. Use another column, or --cov HC1.");
        var features = train.FeatureNames.Where(n => n != column).ToArray();
        return (train.SelectFeatures(features), test?.SelectFeatures(features), groups);
    }
}
