using System.CommandLine;
using TorchLogistic.Data;
using TorchLogistic.Inference;
using TorchLogistic.Training;

namespace TorchLogistic.Cli.Commands;

/// <summary>
/// <c>train --penalty firth</c>: Firth's penalised likelihood (<see cref="FirthLogit"/>) for binary models. The model is
/// first trained with the L2 penalty (its trace is loss.png's), then its coefficients are replaced by Firth's
/// estimates, which metrics.json's <c>coef</c>/<c>intercept</c>, its metrics and model.bin then hold; with
/// <c>--summary</c> the table has the penalised-likelihood standard errors.
/// </summary>
internal static partial class TrainCommand
{
    private static bool IsFirth(ParseResult parse) => string.Equals(parse.GetValue(PenaltyName), "firth", StringComparison.OrdinalIgnoreCase);

    /// <summary>Refuses what Firth's estimator here does not fit, before anything is trained.</summary>
    private static void CheckFirth(ParseResult parse, Dataset train, TrainingOptions options, bool crossValidation, CovarianceKind covariance)
    {
        if (train.ClassCount != 2)
            throw new ArgumentException($"--penalty firth fits binary models; the training rows have {train.ClassCount} classes. Use --penalty none or l2 for more than two classes.");
        if (options.Model != ModelKind.Logistic)
            throw new ArgumentException("--penalty firth fits --model logistic; drop --model or use --model logistic.");
        if (train.SampleWeight != null)
            throw new ArgumentException("--penalty firth fits unweighted rows; drop --sample-weight.");
        if (options.ClassWeight != ClassWeightMode.None)
            throw new ArgumentException("--penalty firth fits unweighted rows; drop --class-weight.");
        if (!options.FitIntercept)
            throw new ArgumentException("--penalty firth fits an intercept; drop --no-intercept.");
        if (crossValidation)
            throw new ArgumentException("--penalty firth has no C to choose; drop --cv.");
        if (covariance != CovarianceKind.Nonrobust)
            throw new ArgumentException("--penalty firth reports the penalised-likelihood standard errors; drop --cov.");
        if (parse.GetValue(LabelSmoothing) is > 0)
            throw new ArgumentException("--penalty firth fits the 0/1 labels; drop --label-smoothing.");
    }

    /// <summary>Firth's fit on the rows as the model sees them, its coefficients copied into <paramref name="model"/>.</summary>
    private static InferenceOutcome FirthCoefficients(FittedModel model, Dataset train)
    {
        var fit = FirthLogit.Fit(LogitInference.ModelRows(model, train));
        if (fit.Refusal is { } refusal) throw new ArgumentException(FlagNames.ToFlags(refusal.Message));
        var coef = fit.Result.Equations[0].Coefficients;
        model.Module.VectorToParameters(coef.Skip(1).Append(coef[0]).ToArray());
        return fit;
    }
}
