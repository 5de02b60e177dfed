using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using TorchLogistic.Data;
using TorchLogistic.Inference;
using TorchLogistic.Plotting;
using TorchLogistic.Reporting;
using TorchLogistic.Training;

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
    private static readonly Option<string?> Margeff = new("--margeff") { Description = "Marginal effects at overall (averaged over rows), mean, median or zero, with delta-method standard errors: a table in summary.txt, margeff.png, metrics.json inference.marginal_effects. Implies --summary." };
    private static readonly Option<string> MargeffMethod = new("--margeff-method") { Description = "dydx, eyex, dyex or eydx (statsmodels' get_margeff method).", DefaultValueFactory = _ => "dydx" };
    private static readonly Option<bool> MargeffDiscrete = new("--margeff-discrete") { Description = "Marginal effects of 0/1 columns as the change from 0 to 1 (dydx or eydx, at overall or mean)." };
    private static readonly Option<string?> WaldTests = new("--test") { Description = "Wald test of linear restrictions on the coefficients, e.g. \"x1 = 0, x2 = x3\" (class:name for one multinomial equation); in summary.txt and metrics.json inference.wald_test. Implies --summary." };

    private static readonly Option<bool> ProfileCi = new("--profile-ci") { Description = "Profile-likelihood confidence intervals (R's confint on a glm) for binary models without a penalty: a table in summary.txt and metrics.json inference.profile_intervals. Implies --summary." };

    /// <summary>Whether any inference option asks for the inference table; checks their values before anything is trained.</summary>
    private static bool InferenceRequested(ParseResult parse)
    {
        if (parse.GetValue(Margeff) != null) MargeffOptions(parse);
        return parse.GetValue(InferenceSummary) || CovarianceFrom(parse) != CovarianceKind.Nonrobust || parse.GetValue(Margeff) != null || parse.GetValue(WaldTests) != null || parse.GetValue(ProfileCi);
    }

    private static MarginalEffectsOptions MargeffOptions(ParseResult parse) =>
        new(ParseEnum<MarginalAt>(parse.GetValue(Margeff)!, "--margeff", "overall, mean, median or zero"),
            ParseEnum<MarginalMethod>(parse.GetValue(MargeffMethod)!, "--margeff-method", "dydx, eyex, dyex or eydx"), parse.GetValue(MargeffDiscrete));

    /// <summary>
    /// The marginal effects and the Wald test asked for, added to the inference JSON and the summary text; the forest
    /// plot as margeff.png. Nothing when inference was refused.
    /// </summary>
    private static (string Text, Dictionary<string, byte[]> Files) InferenceExtras(ParseResult parse, FittedModel model, Dataset train, InferenceOutcome outcome, JsonObject? json)
    {
        var files = new Dictionary<string, byte[]>();
        if (outcome.Refused || json == null) return ("", files);
        var inference = outcome.Result;
        var text = new StringBuilder();
        if (parse.GetValue(WaldTests) is { } restrictions)
        {
            var test = WaldTest.Of(inference, restrictions);
            json["wald_test"] = new JsonObject
            {
                ["restrictions"] = test.Restrictions,
                ["statistic"] = test.Statistic,
                ["df"] = test.DegreesOfFreedom,
                ["p_value"] = test.PValue,
            };
            text.AppendLine().AppendLine(test.Summary());
        }
        if (parse.GetValue(ProfileCi))
        {
            if (inference.Model != "Logit" || inference.Penalty != "none")
                throw new ArgumentException($"--profile-ci profiles binary fits without a penalty; this fit is {inference.Model} with --penalty {inference.Penalty}. Use two classes and --penalty none, or drop --profile-ci.");
            var intervals = ProfileIntervals.Of(inference, LogitInference.ModelRows(model, train));
            json["profile_intervals"] = InferenceReport.ToJson(intervals);
            text.AppendLine().Append(intervals.Summary());
        }
        if (parse.GetValue(Margeff) != null)
        {
            var options = MargeffOptions(parse);
            var effects = MarginalEffects.Of(inference, LogitInference.ModelRows(model, train), options);
            json["marginal_effects"] = InferenceReport.ToJson(effects);
            text.AppendLine().Append(effects.Summary());
            using var plot = MarginalEffectsPlot.Create(effects);
            files["margeff.png"] = PlotImage.Png(plot, 900, 120 + 40 * effects.Tables.Sum(t => t.Names.Length));
        }
        return (text.ToString(), files);
    }

    private static T ParseEnum<T>(string value, string flag, string choices) where T : struct, Enum =>
        Enum.TryParse<T>(value, ignoreCase: true, out var result) && !int.TryParse(value, out _) ? result
            : throw new ArgumentException($"Unknown {flag} '{value}'. Use {choices}.");

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
