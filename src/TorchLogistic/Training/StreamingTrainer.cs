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
    public static IReadOnlyList<SolverKind> solvers { get; } = new[] { SolverKind.Sgd, SolverKind.Adagrad };

    /// <summary>
    /// The solver <c>auto</c> stands for on a stream: <c>adagrad</c> for L1 and elastic net (its proximal step gives
    /// exact zeros; sgd has none), <c>sgd</c> otherwise. Any other name is returned as it is.
    /// </summary>
    public static SolverKind resolve(SolverKind solver, PenaltyKind penalty) =>
        solver != SolverKind.Auto ? solver : penalty is PenaltyKind.L1 or PenaltyKind.ElasticNet ? SolverKind.Adagrad : SolverKind.Sgd;

    /// <summary>Trains a model on the rows of <paramref name="train"/>.</summary>
    /// <param name="train">Training rows (after the stream's opening pass).</param>
    /// <param name="options">What to train and how; <see cref="TrainingOptions.max_iter"/> is the number of epochs; solver <c>auto</c> is resolved by <see cref="resolve"/>.</param>
    /// <param name="test">Optional test rows (with the training rows' classes): their mean log loss is recorded in the history.</param>
    /// <param name="on_iteration">Called after every epoch (progress display).</param>
    /// <param name="cancellation">Stops training between mini-batches.</param>
    /// <param name="warm_start">Optional model to start from (same features, classes and model).</param>
    public static FittedModel fit(BatchStream train, TrainingOptions options, BatchStream? test = null,
        Action<IterationRecord>? on_iteration = null, CancellationToken cancellation = default, FittedModel? warm_start = null)
    {
        options = options with { solver = resolve(options.solver, options.penalty) };
        options.validate();
        check_options(options);
        long[] counts = train.class_counts;
        int present = counts.Count(c => c > 0);
        if (present < 2)
            throw new ArgumentException($"The training rows of '{train.name}' contain a single class ({train.classes[Array.FindIndex(counts, c => c > 0)]}). A classifier needs at least two classes.");
        if (options.model == ModelKind.Logistic && train.classes.Length != 2)
            throw new ArgumentException($"Binary logistic regression needs exactly 2 classes; '{train.name}' has {train.classes.Length} ({string.Join(", ", train.classes.Take(10))}). Use TrainingOptions.model = Softmax.");
        if (test != null && (!test.classes.SequenceEqual(train.classes) || test.n_features != train.n_features))
            throw new ArgumentException($"The test rows of '{test.name}' have other classes or features than the training rows. Open the test stream with the training stream's classes.");
        double[]? classWeight = Trainer.class_weights(train.classes, counts, options);
        if ((train.has_sample_weight || classWeight != null) && weighted_total(train.class_weight_sums, classWeight) <= 0)
            throw new ArgumentException("Sample weights sum to zero: no row would count. Give some rows a positive weight.");

        var scaler = options.standardize ? train.fit_scaler() : null;
        double[]? theta0 = null;
        if (warm_start != null)
        {
            Trainer.check_warm_start(warm_start, train.feature_names, train.classes, options);
            theta0 = warm_start.parameters_for(scaler);
        }
        LinearClassifier module = options.model == ModelKind.Logistic
            ? new LogisticRegression(train.n_features, options.dtype)
            : new SoftmaxRegression(train.n_features, train.classes.Length, options.dtype);
        try
        {
            int k = (int)module.n_outputs;
            using var objective = new StreamingObjective(train, k, options.penalty_object, scaler, classWeight, options.label_smoothing, options.dtype, cancellation);
            using var testObjective = test == null ? null : new StreamingObjective(test, k, Penalty.none, scaler, dtype: options.dtype, cancellation: cancellation);
            theta0 ??= new double[module.n_parameters];
            var solver = SolverRegistry.create(options.solver_settings);
            var result = TrainingLoop.run(objective, solver, theta0, options.max_iter, options.tol,
                testObjective == null ? null : testObjective.value, on_iteration, cancellation);
            module.vector_to_parameters(result.theta);
            return new FittedModel(module, train.classes, train.feature_names, scaler, options, result);
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>Throws, naming the fix, when <paramref name="options"/> need every row in memory.</summary>
    public static void check_options(TrainingOptions options)
    {
        if (!solvers.Contains(options.solver))
            throw new ArgumentException($"Solver '{SolverRegistry.name_of(options.solver)}' needs all rows in memory; streaming trains with {string.Join(" or ", solvers.Select(SolverRegistry.name_of))} (TrainingOptions.solver = sgd). Or train in memory (Trainer.fit).");
        if (options.model == ModelKind.OneVsRest)
            throw new ArgumentException("One-vs-rest trains one model after another over all rows; streaming trains logistic or softmax models (TrainingOptions.model = Softmax). Or train in memory (Trainer.fit).");
        if (options.poly_degree != 1)
            throw new ArgumentException($"TrainingOptions.poly_degree = {options.poly_degree} is not available with streaming (DataStreams.open; the expansion is fitted in memory). Expand the features in the file, or train in memory (Trainer.fit).");
        if (options.gradients != GradientMode.Analytic)
            throw new ArgumentException("TrainingOptions.gradients = Autograd is not available with streaming (DataStreams.open); streamed batches use the closed-form gradients (TrainingOptions.gradients = Analytic).");
    }

    private static double weighted_total(double[] class_weight_sums, double[]? class_weight)
    {
        double total = 0;
        for (int c = 0; c < class_weight_sums.Length; c++) total += class_weight_sums[c] * (class_weight?[c] ?? 1.0);
        return total;
    }
}
