using TorchLogistic.Data;
using TorchLogistic.Models;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;

namespace TorchLogistic.Training;

/// <summary>
/// The estimator for data streamed from files (<see cref="BatchStream"/>), so that memory does not grow with the
/// number of rows: the same objective, training loop and solvers as <see cref="Trainer"/>, with the rows read a
/// mini-batch at a time. The scaler comes from the stream's opening pass, the objective is a
/// <see cref="StreamingObjective"/>, and the solver is <c>sgd</c> or <c>adagrad</c>, one iteration being one epoch
/// (a pass of mini-batch steps, then f, ∇f and the criterion over all rows, then the test loss over the test rows).
/// Options that need every row at once are refused with the fix: other solvers (Hessians, line searches on all rows,
/// Lipschitz bounds), one-vs-rest (one model after another), polynomial features, autograd gradients.
/// </summary>
public static class StreamingTrainer
{
    /// <summary>The solvers that train on a stream.</summary>
    public static IReadOnlyList<SolverKind> Solvers { get; } = new[] { SolverKind.Sgd, SolverKind.Adagrad };

    /// <summary>
    /// The solver <c>auto</c> stands for on a stream: <c>adagrad</c> for L1 and elastic net (its proximal step gives
    /// exact zeros; sgd has none), <c>sgd</c> otherwise. Any other name is returned as it is.
    /// </summary>
    public static SolverKind Resolve(SolverKind solver, PenaltyKind penalty) =>
        solver != SolverKind.Auto ? solver : penalty is PenaltyKind.L1 or PenaltyKind.ElasticNet ? SolverKind.Adagrad : SolverKind.Sgd;

    /// <summary>Trains a model on the rows of <paramref name="train"/>.</summary>
    /// <param name="train">Training rows (after the stream's opening pass).</param>
    /// <param name="options">What to train and how; <see cref="TrainingOptions.MaxIterations"/> is the number of epochs; solver <c>auto</c> is resolved by <see cref="Resolve"/>.</param>
    /// <param name="test">Optional test rows (with the training rows' classes): their mean log loss is recorded in the history.</param>
    /// <param name="onIteration">Called after every epoch (progress display).</param>
    /// <param name="cancellation">Stops training between mini-batches.</param>
    /// <param name="warmStart">Optional model to start from (same features, classes and model).</param>
    public static FittedModel Fit(BatchStream train, TrainingOptions options, BatchStream? test = null,
        Action<IterationRecord>? onIteration = null, CancellationToken cancellation = default, FittedModel? warmStart = null)
    {
        options = options with { Solver = Resolve(options.Solver, options.Penalty) };
        options.Validate();
        CheckOptions(options);
        long[] counts = train.ClassCounts;
        int present = counts.Count(c => c > 0);
        if (present < 2)
            throw new ArgumentException($"The training rows of '{train.Name}' contain a single class ({train.Classes[Array.FindIndex(counts, c => c > 0)]}). A classifier needs at least two classes.");
        if (options.Model == ModelKind.Logistic && train.Classes.Length != 2)
            throw new ArgumentException($"Binary logistic regression needs exactly 2 classes; '{train.Name}' has {train.Classes.Length} ({string.Join(", ", train.Classes.Take(10))}). Use TrainingOptions.Model = Softmax.");
        if (test != null && (!test.Classes.SequenceEqual(train.Classes) || test.FeatureCount != train.FeatureCount))
            throw new ArgumentException($"The test rows of '{test.Name}' have other classes or features than the training rows. Open the test stream with the training stream's classes.");
        double[]? classWeight = Trainer.ClassWeights(train.Classes, counts, options);
        if ((train.HasSampleWeight || classWeight != null) && WeightedTotal(train.ClassWeightSums, classWeight) <= 0)
            throw new ArgumentException("Sample weights sum to zero: no row would count. Give some rows a positive weight.");

        var scaler = options.Standardize ? train.FitScaler() : null;
        double[]? theta0 = null;
        if (warmStart != null)
        {
            Trainer.CheckWarmStart(warmStart, train.FeatureNames, train.Classes, options);
            theta0 = warmStart.ParametersFor(scaler);
        }
        LinearClassifier module = options.Model == ModelKind.Logistic
            ? new LogisticRegression(train.FeatureCount, options.DType, options.FitIntercept)
            : new SoftmaxRegression(train.FeatureCount, train.Classes.Length, options.DType, options.FitIntercept);
        try
        {
            int k = (int)module.OutputCount;
            using var objective = new StreamingObjective(train, k, options.PenaltyObject, scaler, classWeight, options.LabelSmoothing, options.DType, cancellation, options.FitIntercept);
            using var testObjective = test == null ? null : new StreamingObjective(test, k, Penalty.None, scaler, dtype: options.DType, cancellation: cancellation, fitIntercept: options.FitIntercept);
            theta0 ??= new double[module.ParameterCount];
            var solver = SolverRegistry.Create(options.SolverSettings);
            var result = TrainingLoop.Run(objective, solver, theta0, options.MaxIterations, options.Tolerance,
                testObjective == null ? null : testObjective.Value, onIteration, cancellation);
            module.VectorToParameters(result.Theta);
            return new FittedModel(module, train.Classes, train.FeatureNames, scaler, options, result);
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>Throws, naming the fix, when <paramref name="options"/> need every row in memory.</summary>
    public static void CheckOptions(TrainingOptions options)
    {
        if (!Solvers.Contains(options.Solver))
            throw new ArgumentException($"Solver '{SolverRegistry.NameOf(options.Solver)}' needs all rows in memory; streaming trains with {string.Join(" or ", Solvers.Select(SolverRegistry.NameOf))} (TrainingOptions.Solver = sgd). Or train in memory (Trainer.Fit).");
        if (options.Model == ModelKind.OneVsRest)
            throw new ArgumentException("One-vs-rest trains one model after another over all rows; streaming trains logistic or softmax models (TrainingOptions.Model = Softmax). Or train in memory (Trainer.Fit).");
        if (options.PolynomialDegree != 1)
            throw new ArgumentException($"TrainingOptions.PolynomialDegree = {options.PolynomialDegree} is not available with streaming (DataStreams.Open; the expansion is fitted in memory). Expand the features in the file, or train in memory (Trainer.Fit).");
        if (options.Gradients != GradientMode.Analytic)
            throw new ArgumentException("TrainingOptions.Gradients = Autograd is not available with streaming (DataStreams.Open); streamed batches use the closed-form gradients (TrainingOptions.Gradients = Analytic).");
    }

    private static double WeightedTotal(double[] classWeightSums, double[]? classWeight)
    {
        double total = 0;
        for (int c = 0; c < classWeightSums.Length; c++) total += classWeightSums[c] * (classWeight?[c] ?? 1.0);
        return total;
    }
}
