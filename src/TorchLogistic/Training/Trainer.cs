using TorchLogistic.Data;
using TorchLogistic.Models;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using static TorchSharp.torch;

namespace TorchLogistic.Training;

/// <summary>
/// The estimator: validates the data and options, standardises (scaler fitted on the training rows only),
/// builds the module and the objective, runs <see cref="TrainingLoop"/> with the chosen solver, and returns
/// the <see cref="FittedModel"/>. One-vs-rest runs the same loop once per class (<see cref="OneVsRestTrainer"/>).
/// </summary>
public static class Trainer
{
    /// <summary>Trains a model on <paramref name="train"/>.</summary>
    /// <param name="train">Training rows (raw features; standardised here when the options say so).</param>
    /// <param name="options">What to train and how; validated first.</param>
    /// <param name="test">Optional held-out rows: their mean log loss is recorded in the history.</param>
    /// <param name="on_iteration">Called after every iteration (progress display).</param>
    /// <param name="cancellation">Stops training between iterations.</param>
    /// <param name="initial_theta">Optional start point θ₀ (in the scaled, expanded coordinates of this run); zeros by default.</param>
    /// <param name="warm_start">Optional model to start from (same features, classes, model and polynomial degree); its θ is re-expressed for this run's scaler. Exclusive with <paramref name="initial_theta"/>.</param>
    public static FittedModel fit(Dataset train, TrainingOptions options, Dataset? test = null,
        Action<IterationRecord>? on_iteration = null, CancellationToken cancellation = default, double[]? initial_theta = null,
        FittedModel? warm_start = null)
    {
        options.validate();
        validate_data(train, options, "training");
        if (test != null)
        {
            validate_features(test, "test");
            if (test.n_features != train.n_features)
                throw new ArgumentException($"The test rows have {test.n_features} features but the training rows have {train.n_features}.");
        }

        var polynomial = options.poly_degree > 1 ? new PolynomialFeatures(train.n_features, options.poly_degree) : null;
        if (polynomial != null)
            MemoryBudget.check_matrix($"The degree-{options.poly_degree} expansion is a matrix", train.n_samples + (test?.n_samples ?? 0), polynomial.n_output_features, 8, 3,
                $"Use a lower {nameof(TrainingOptions)}.{nameof(TrainingOptions.poly_degree)} or fewer features.");
        var expandedTrain = polynomial?.transform(train) ?? train;
        var expandedTest = test == null ? null : polynomial?.transform(test) ?? test;
        var scaler = options.standardize ? StandardScaler.fit(expandedTrain) : null;
        var trainRows = scaler?.transform(expandedTrain) ?? expandedTrain;
        var testRows = expandedTest == null ? null : scaler?.transform(expandedTest) ?? expandedTest;
        if (warm_start != null)
        {
            if (initial_theta != null) throw new ArgumentException("Give either a warm-start model or an initial θ, not both.");
            check_warm_start(warm_start, train.feature_names, train.classes, options);
            initial_theta = warm_start.parameters_for(scaler);
        }
        check_memory(options, trainRows.n_features, options.model == ModelKind.Softmax ? train.n_classes : 1);
        if (options.model == ModelKind.OneVsRest)
            return OneVsRestTrainer.fit(train, trainRows, testRows, scaler, options, on_iteration, cancellation, initial_theta, polynomial);

        LinearClassifier module = options.model switch
        {
            ModelKind.Logistic => new LogisticRegression(trainRows.n_features, options.dtype),
            _ => new SoftmaxRegression(trainRows.n_features, train.n_classes, options.dtype),
        };
        try
        {
            double[]? s = SampleWeights.combine(train.labels, train.sample_weight, class_weights(train, options));

            using var scope = NewDisposeScope();
            var x = trainRows.features_tensor(options.dtype);
            var y = trainRows.labels_tensor();
            var sw = s == null ? null : tensor(s, ScalarType.Float64).to_type(options.dtype);
            int k = (int)module.n_outputs;
            using IObjective objective = create_objective(module, x, y, sw, options);

            LinearModelObjective? testObjective = null;
            if (testRows != null)
                testObjective = new LinearModelObjective(testRows.features_tensor(options.dtype), testRows.labels_tensor(), k, Penalty.none);
            try
            {
                var theta0 = initial_theta ?? new double[module.n_parameters];
                if (theta0.Length != module.n_parameters)
                    throw new ArgumentException($"The warm-start model has {theta0.Length} parameters; this problem needs {module.n_parameters}. Warm-start from a model trained on the same features and classes.");
                var solver = SolverRegistry.create(options.solver_settings, options.penalty, trainRows.n_features);
                var result = TrainingLoop.run(objective, solver, theta0, options.max_iter, options.tol,
                    testObjective == null ? null : testObjective.value, on_iteration, cancellation);
                module.vector_to_parameters(result.theta);
                return new FittedModel(module, train.classes, train.feature_names, scaler, options, result, polynomial);
            }
            finally
            {
                testObjective?.Dispose();
            }
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>Refuses a solver whose dense matrices cannot fit in memory, before it allocates them.</summary>
    /// <param name="options">The options (their solver).</param>
    /// <param name="n_features">Features after expansion.</param>
    /// <param name="n_outputs">1 for logistic, K for softmax.</param>
    public static void check_memory(TrainingOptions options, long n_features, int n_outputs)
    {
        int size = options.dtype == ScalarType.Float32 ? 4 : 8;
        var solver = SolverRegistry.resolve(options.solver, options.penalty, n_features);
        if (solver == SolverKind.Newton)
            MemoryBudget.check_square("Solver 'newton' needs a dense Hessian", n_outputs * (n_features + 1), size, 3,
                $"Use {nameof(TrainingOptions)}.{nameof(TrainingOptions.solver)} = lbfgs (or newton-cg), fewer features or a lower {nameof(TrainingOptions)}.{nameof(TrainingOptions.poly_degree)}.");
        else if (solver == SolverKind.LbfgsPrecond)
            MemoryBudget.check_square("Solver 'lbfgs-precond' needs a dense Gram matrix", n_features + 1, 8, 3,
                $"Use {nameof(TrainingOptions)}.{nameof(TrainingOptions.solver)} = lbfgs, fewer features or a lower {nameof(TrainingOptions)}.{nameof(TrainingOptions.poly_degree)}.");
    }

    /// <summary>Checks that a warm-start model was trained on the same kind of problem.</summary>
    internal static void check_warm_start(FittedModel start, string[] feature_names, string[] classes, TrainingOptions options)
    {
        string fix = "Warm-start from a model trained on the same features and classes with the same TrainingOptions.model and TrainingOptions.poly_degree.";
        if (!start.feature_names.SequenceEqual(feature_names))
            throw new ArgumentException($"The warm-start model's features ({string.Join(", ", start.feature_names.Take(5))}{(start.feature_names.Length > 5 ? ", …" : "")}) differ from the data's. {fix}");
        if (!start.classes.SequenceEqual(classes))
            throw new ArgumentException($"The warm-start model's classes ({string.Join(", ", start.classes)}) differ from the data's ({string.Join(", ", classes)}). {fix}");
        string kind = start.module switch { LogisticRegression => "logistic", OneVsRest => "ovr", _ => "softmax" };
        string wanted = options.model switch { ModelKind.Logistic => "logistic", ModelKind.OneVsRest => "ovr", _ => "softmax" };
        if (kind != wanted)
            throw new ArgumentException($"The warm-start model is {kind} but this run trains {wanted}. {fix}");
        if ((start.polynomial?.degree ?? 1) != options.poly_degree)
            throw new ArgumentException($"The warm-start model has polynomial degree {start.polynomial?.degree ?? 1} but this run uses {options.poly_degree}. {fix}");
    }

    /// <summary>The per-class weights the options ask for on <paramref name="train"/>, or null for none.</summary>
    internal static double[]? class_weights(Dataset train, TrainingOptions options) =>
        class_weights(train.classes, train.class_counts().Select(c => (long)c).ToArray(), options);

    /// <summary>The per-class weights the options ask for, given the rows of each class; null for none.</summary>
    internal static double[]? class_weights(string[] classes, long[] class_counts, TrainingOptions options) => options.class_weight switch
    {
        ClassWeightMode.Balanced => SampleWeights.balanced(class_counts),
        ClassWeightMode.Explicit => options.class_weight_values!.Length == classes.Length
            ? options.class_weight_values
            : throw new ArgumentException($"{options.class_weight_values!.Length} class weights given for {classes.Length} classes ({string.Join(", ", classes)}). Give one weight per class."),
        _ => null,
    };

    /// <summary>The training objective of <paramref name="module"/> on (x, y) with weights <paramref name="sw"/>, by the options' gradient mode.</summary>
    internal static IObjective create_objective(LinearClassifier module, Tensor x, Tensor y, Tensor? sw, TrainingOptions options) =>
        options.gradients == GradientMode.Analytic
            ? new LinearModelObjective(x, y, (int)module.n_outputs, options.penalty_object, sw, options.label_smoothing)
            : new AutogradObjective(module, x, y, options.penalty_object, sw, options.label_smoothing);

    /// <summary>Checks that rows can be trained on with these options.</summary>
    private static void validate_data(Dataset data, TrainingOptions options, string role)
    {
        validate_features(data, role);
        int present = data.class_counts().Count(c => c > 0);
        if (present < 2)
            throw new ArgumentException($"The {role} rows of '{data.name}' contain a single class ({data.classes[data.labels[0]]}). A classifier needs at least two classes.");
        if (options.model == ModelKind.Logistic && data.n_classes != 2)
            throw new ArgumentException($"Binary logistic regression needs exactly 2 classes; '{data.name}' has {data.n_classes} ({string.Join(", ", data.classes.Take(10))}). Use TrainingOptions.model = Softmax.");
    }

    private static void validate_features(Dataset data, string role)
    {
        if (data.n_samples == 0) throw new ArgumentException($"The {role} data '{data.name}' has no rows.");
        for (long i = 0; i < data.features.Length; i++)
        {
            if (!double.IsFinite(data.features[i]))
                throw new ArgumentException($"The {role} data '{data.name}' has a non-finite value ({data.features[i]}) in row {i / data.n_features}, feature '{data.feature_names[i % data.n_features]}'. Remove or impute NaN and infinite values.");
        }
    }
}
