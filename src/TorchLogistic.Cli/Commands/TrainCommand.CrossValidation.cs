using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using TorchLogistic.Calibration;
using TorchLogistic.Data;
using TorchLogistic.Plotting;
using TorchLogistic.Reporting;
using TorchLogistic.Training;
using TorchLogistic.Selection;

namespace TorchLogistic.Cli.Commands;

/// <summary><c>train --cv K</c> and <c>torchlogistic cv</c>: choose C (and l1_ratio) by K-fold cross-validation, then refit.</summary>
internal static partial class TrainCommand
{
    private static readonly Option<int?> Cv = new("--cv") { Description = "Choose C by stratified K-fold cross-validation on the training rows (K ≥ 2; the cv command defaults to 5), then refit at the chosen C; writes cv.json and cv.png too." };
    private static readonly Option<string?> Cs = new("--Cs") { Description = "Grid of C for --cv, comma-separated (default 10 values log-spaced over 1e-4 … 1e4, as LogisticRegressionCV)." };
    private static readonly Option<string?> L1Ratios = new("--l1-ratios") { Description = "Grid of l1_ratio for --cv with --penalty elasticnet, comma-separated (default: --l1-ratio)." };
    private static readonly Option<string> Scoring = new("--scoring") { Description = "Fold score of --cv: log_loss (default; lower is better), accuracy, roc_auc or balanced_accuracy. Sample and class weights weigh the rows.", DefaultValueFactory = _ => "log_loss" };
    private static readonly Option<string?> FoldColumn = new("--fold-column") { Description = "CSV column holding each row's fold for --cv (not a feature), instead of drawing stratified folds." };
    private static readonly Option<string> Choose = new("--choose") { Description = "Which C --cv refits at: best (the best mean score, as LogisticRegressionCV) or one-se (the strongest regularisation within one standard error of the best, as glmnet's lambda.1se).", DefaultValueFactory = _ => "best" };

    private static readonly Option<string?> Calibrate = new("--calibrate")
    {
        Description = "With --cv: calibrate the probabilities on the out-of-fold logits at the chosen C — sigmoid (Platt scaling) or isotonic (isotonic regression), as scikit-learn's CalibratedClassifierCV(ensemble=False); stored in model.bin and applied by predict and export. Writes calibration_cv.png (before and after) and metrics.json's calibration.",
    };

    private static readonly Option[] CrossValidationOptionList = { Cv, Cs, L1Ratios, Scoring, FoldColumn, Choose, Calibrate };

    /// <summary><c>torchlogistic cv</c>: train with --cv 5 unless --cv says otherwise.</summary>
    public static Command CreateCv()
    {
        var command = Create("cv", "Choose C by stratified K-fold cross-validation (default 5 folds), refit at the chosen C, and write cv.json, cv.png, model.bin, metrics.json and the plots.");
        return command;
    }

    /// <summary>The fold assignment and the data without the fold column, when --cv or the cv command asks for cross-validation; else null.</summary>
    private static (CrossValidationOptions Options, Dataset Train, Dataset? Test)? CrossValidationFrom(ParseResult parse, Dataset train, Dataset? test, bool isCvCommand)
    {
        int? folds = parse.GetValue(Cv) ?? (isCvCommand ? 5 : null);
        string? foldColumn = parse.GetValue(FoldColumn);
        if (folds == null)
        {
            foreach (var option in new Option[] { Cs, L1Ratios, FoldColumn, Calibrate })
            {
                if (parse.GetResult(option) is { Implicit: false })
                    throw new ArgumentException($"{option.Name} applies to cross-validation. Add --cv K (or use the cv command).");
            }
            return null;
        }
        if (folds < 2) throw new ArgumentException($"--cv {folds} must be at least 2 folds (try 5).");
        int[]? assignment = null;
        if (foldColumn != null)
        {
            (train, assignment) = StratifiedFolds.TakeColumn(train, foldColumn);
            test = test?.SelectFeatures(train.FeatureNames);
        }
        var options = new CrossValidationOptions
        {
            Folds = folds.Value,
            Cs = parse.GetValue(Cs) is string grid ? Numbers(grid, "--Cs") : CrossValidationOptions.DefaultCs,
            L1Ratios = parse.GetValue(L1Ratios) is string ratios ? Numbers(ratios, "--l1-ratios") : null,
            Scoring = FoldScore.Parse(parse.GetValue(Scoring)!),
            Seed = parse.GetValue(Seed),
            FoldAssignment = assignment,
            // The folds' fits are tight unless --tol is given: at large C the held-out score needs the optimum (CrossValidationOptions.DefaultTolerance).
            Tolerance = parse.GetResult(Tol) is { Implicit: false } ? parse.GetValue(Tol) : CrossValidationOptions.DefaultTolerance,
        };
        foreach (double c in options.Cs)
        {
            if (!(c > 0) || !double.IsFinite(c)) throw new ArgumentException($"--Cs: C = {c.ToString(CultureInfo.InvariantCulture)} must be a finite number > 0 (e.g. --Cs 0.01,0.1,1,10).");
        }
        if (parse.GetValue(Choose) is not ("best" or "one-se")) throw new ArgumentException($"Unknown --choose '{parse.GetValue(Choose)}'. Use best or one-se.");
        CalibrationFrom(parse);
        return (options, train, test);
    }

    /// <summary>The --calibrate method, or null without it.</summary>
    private static CalibrationMethod? CalibrationFrom(ParseResult parse) => parse.GetValue(Calibrate) switch
    {
        null => null,
        "sigmoid" => CalibrationMethod.Sigmoid,
        "isotonic" => CalibrationMethod.Isotonic,
        string other => throw new ArgumentException($"Unknown --calibrate '{Messages.Cut(other)}'. Use sigmoid (Platt scaling) or isotonic."),
    };

    /// <summary>
    /// --calibrate: fits the calibrator on the out-of-fold logits at the refit's C, attaches it to <paramref name="model"/>
    /// and returns metrics.json's entry and the before/after reliability diagrams (binary models).
    /// </summary>
    private static (CalibrationReportJson Report, Dictionary<string, byte[]> Plots) CalibrateModel(FittedModel model, CalibrationMethod method,
        CrossValidationResult search, Dataset train, Dataset? test, double c, string dataName)
    {
        var fit = OutOfFoldCalibration.Fit(train, search, model.Options.Model, method, Array.IndexOf(search.Cs, c), search.BestRatioIndex);
        double[]? testBefore = test == null ? null : model.PredictUncalibratedProbabilities(test).Values;
        model.Calibration = fit.Calibrator;
        double[]? testAfter = test == null ? null : model.PredictProbabilities(test).Values;
        int k = train.ClassCount;
        var outOfFold = CalibrationReport.Scores(train.Labels, fit.Before, fit.After, k);
        var testScores = test == null ? null : CalibrationReport.Scores(test.Labels, testBefore!, testAfter!, k);
        var plots = new Dictionary<string, byte[]>();
        string name = Path.GetFileNameWithoutExtension(dataName);
        if (CalibrationReport.Png(train.Labels, fit.Before, fit.After, method, $"{name}: calibration ({search.FoldCount}-fold out-of-fold rows, 10 bins)", model.Classes[^1]) is { } oof)
            plots["calibration_cv.png"] = oof;
        if (test != null && CalibrationReport.Png(test.Labels, testBefore!, testAfter!, method, $"{name}: calibration (test rows, 10 bins)", model.Classes[^1]) is { } held)
            plots["calibration_test.png"] = held;
        return (CalibrationReport.Create(fit.Calibrator, c, search.FoldCount, outOfFold, testScores), plots);
    }

    /// <summary>The printed lines of a calibration: Brier and log loss before → after on the out-of-fold and test rows.</summary>
    private static string CalibrationSummary(CalibrationReportJson r)
    {
        var c = CultureInfo.InvariantCulture;
        static string Line(IFormatProvider c, string set, CalibrationScoresJson s) =>
            string.Create(c, $"{set,-12}Brier {s.BrierBefore:F6} → {s.BrierAfter:F6}   log loss {s.LogLossBefore:F6} → {s.LogLossAfter:F6}   ({s.SampleCount} rows)");
        string text = string.Create(c, $"calibration: {r.Method} on the {r.FoldCount}-fold out-of-fold logits at C = {r.C:G4}") + Environment.NewLine
            + Line(c, "out-of-fold", r.OutOfFold) + Environment.NewLine;
        if (r.Test != null) text += Line(c, "test", r.Test) + Environment.NewLine;
        return text;
    }

    private static double[] Numbers(string text, string flag) => text.Split(',').Select(v =>
        double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) ? x
        : throw new ArgumentException($"{flag} '{text}': '{v}' is not a number. Give comma-separated numbers, e.g. 0.01,0.1,1.")).ToArray();

    /// <summary>cv.json: the grid, the fold scores (folds × Cs, a loss for log_loss), mean, se and both choices.</summary>
    private static string CrossValidationJson(CrossValidationResult r, double refitC)
    {
        static JsonArray Array(IEnumerable<double> values) => new(values.Select(v => (JsonNode)v).ToArray());
        var json = new JsonObject
        {
            ["scoring"] = FoldScore.NameOf(r.Scoring),
            ["lower_is_better"] = FoldScore.LowerIsBetter(r.Scoring),
            ["n_folds"] = r.FoldCount,
            ["Cs"] = Array(r.Cs),
            ["l1_ratios"] = Array(r.L1Ratios),
            ["fold_scores"] = new JsonArray(r.FoldScores[r.BestRatioIndex].Select(f => (JsonNode)Array(f)).ToArray()),
            ["mean"] = Array(r.Mean[r.BestRatioIndex]),
            ["se"] = Array(r.StandardError[r.BestRatioIndex]),
            ["best_C"] = r.BestC,
            ["one_se_C"] = r.OneStandardErrorC,
            ["best_l1_ratio"] = r.BestL1Ratio,
            ["refit_C"] = refitC,
            ["all_converged"] = r.Converged.All(a => a.All(f => f.All(c => c))),
        };
        if (r.L1Ratios.Length > 1)
        {
            json["fold_scores_by_l1_ratio"] = new JsonArray(r.FoldScores.Select(a => (JsonNode)new JsonArray(a.Select(f => (JsonNode)Array(f)).ToArray())).ToArray());
            json["mean_by_l1_ratio"] = new JsonArray(r.Mean.Select(m => (JsonNode)Array(m)).ToArray());
        }
        return json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine;
    }

    private static byte[] CrossValidationPng(CrossValidationResult r, string dataName) =>
        PlotImage.Png(CrossValidationPlot.Curve(r, $"Cross-validation: {dataName}"));
}
