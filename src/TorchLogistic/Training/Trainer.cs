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
public static partial class Trainer
{
    /// <summary>Trains a model on <paramref name="train"/>.</summary>
    /// <param name="train">Training rows (raw features; standardised here when the options say so).</param>
    /// <param name="options">What to train and how; validated first.</param>
    /// <param name="test">Optional held-out rows: their mean log loss is recorded in the history.</param>
    /// <param name="onIteration">Called after every iteration (progress display).</param>
    /// <param name="cancellation">Stops training between iterations.</param>
    /// <param name="initialTheta">Optional start point θ₀ (in the scaled, expanded coordinates of this run); zeros by default.</param>
    /// <param name="warmStart">Optional model to start from (same features, classes, model and polynomial degree); its θ is re-expressed for this run's scaler. Exclusive with <paramref name="initialTheta"/>.</param>
    public static FittedModel Fit(Dataset train, TrainingOptions options, Dataset? test = null,
        Action<IterationRecord>? onIteration = null, CancellationToken cancellation = default, double[]? initialTheta = null,
        FittedModel? warmStart = null) =>
        Fit(train, options, test, onIteration, cancellation, initialTheta, warmStart, solver: null);

    /// <summary>
    /// <see cref="Fit(Dataset, TrainingOptions, Dataset?, Action{IterationRecord}?, CancellationToken, double[], FittedModel?)"/>
    /// with a solver instance (null: the options' own), which a caller may reuse over a path of fits — cross-validation's
    /// warm-started C path keeps newton-hcg's Hessian factor from fit to fit. Ignored by one-vs-rest, whose members each
    /// create their own.
    /// </summary>
    internal static FittedModel Fit(Dataset train, TrainingOptions options, Dataset? test, Action<IterationRecord>? onIteration,
        CancellationToken cancellation, double[]? initialTheta, FittedModel? warmStart, Solver? solver)
    {
        options.Validate();
        ValidateData(train, options, "training");
        if (test != null)
        {
            ValidateFeatures(test, "test");
            if (test.FeatureCount != train.FeatureCount)
                throw new ArgumentException($"The test rows have {test.FeatureCount} features but the training rows have {train.FeatureCount}.");
        }

        var polynomial = options.PolynomialDegree > 1 ? new PolynomialFeatures(train.FeatureCount, options.PolynomialDegree) : null;
        if (polynomial != null)
            MemoryBudget.CheckMatrix($"The degree-{options.PolynomialDegree} expansion is a matrix", train.SampleCount + (test?.SampleCount ?? 0), polynomial.OutputFeatureCount, 8, 3,
                $"Use a lower {nameof(TrainingOptions)}.{nameof(TrainingOptions.PolynomialDegree)} or fewer features.");
        var expandedTrain = polynomial?.Transform(train) ?? train;
        var expandedTest = test == null ? null : polynomial?.Transform(test) ?? test;
        var scaler = options.Standardize ? StandardScaler.Fit(expandedTrain) : null;
        var trainRows = scaler?.Transform(expandedTrain) ?? expandedTrain;
        var testRows = expandedTest == null ? null : scaler?.Transform(expandedTest) ?? expandedTest;
        if (warmStart != null)
        {
            if (initialTheta != null) throw new ArgumentException("Give either a warm-start model or an initial θ, not both.");
            CheckWarmStart(warmStart, train.FeatureNames, train.Classes, options);
            initialTheta = warmStart.ParametersFor(scaler);
        }
        CheckMemory(options, trainRows.FeatureCount, options.Model == ModelKind.Softmax ? train.ClassCount : 1);
        if (options.Model == ModelKind.OneVsRest)
            return OneVsRestTrainer.Fit(train, trainRows, testRows, scaler, options, onIteration, cancellation, initialTheta, polynomial);

        LinearClassifier module = options.Model switch
        {
            ModelKind.Logistic => new LogisticRegression(trainRows.FeatureCount, options.DType, options.FitIntercept),
            _ => new SoftmaxRegression(trainRows.FeatureCount, train.ClassCount, options.DType, options.FitIntercept),
        };
        try
        {
            double[]? s = SampleWeights.Combine(train.Labels, train.SampleWeight, ClassWeights(train, options));

            using var scope = NewDisposeScope();
            var x = trainRows.FeaturesTensor(options.DType);
            var y = trainRows.LabelsTensor();
            var sw = s == null ? null : tensor(s, ScalarType.Float64).to_type(options.DType);
            int k = (int)module.OutputCount;
            using IObjective objective = CreateObjective(module, x, y, sw, options);

            LinearModelObjective? testObjective = null;
            if (testRows != null)
                testObjective = new LinearModelObjective(testRows.FeaturesTensor(options.DType), testRows.LabelsTensor(), k, Penalty.None, fitIntercept: options.FitIntercept);
            try
            {
                var theta0 = initialTheta ?? new double[module.ParameterCount];
                if (theta0.Length != module.ParameterCount)
                    throw new ArgumentException($"The warm-start model has {theta0.Length} parameters; this problem needs {module.ParameterCount}. Warm-start from a model trained on the same features and classes.");
                solver ??= SolverRegistry.Create(options.SolverSettings, options.Penalty, trainRows.FeatureCount);
                var result = TrainingLoop.Run(objective, solver, theta0, options.MaxIterations, options.Tolerance,
                    testObjective == null ? null : testObjective.Value, onIteration, cancellation);
                module.VectorToParameters(result.Theta);
                return new FittedModel(module, train.Classes, train.FeatureNames, scaler, options, result, polynomial, encoding: train.Encoding);
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
    /// <param name="featureCount">Features after expansion.</param>
    /// <param name="outputCount">1 for logistic, K for softmax.</param>
    public static void CheckMemory(TrainingOptions options, long featureCount, int outputCount)
    {
        int size = options.DType == ScalarType.Float32 ? 4 : 8;
        var solver = SolverRegistry.Resolve(options.Solver, options.Penalty, featureCount);
        if (solver is SolverKind.Newton or SolverKind.NewtonHcg)
            MemoryBudget.CheckSquare($"Solver '{SolverRegistry.NameOf(solver)}' needs a dense Hessian", outputCount * (featureCount + (options.FitIntercept ? 1 : 0)), size, 3,
                $"Use {nameof(TrainingOptions)}.{nameof(TrainingOptions.Solver)} = lbfgs (or newton-cg), fewer features or a lower {nameof(TrainingOptions)}.{nameof(TrainingOptions.PolynomialDegree)}.");
        else if (solver == SolverKind.LbfgsPrecond)
            MemoryBudget.CheckSquare("Solver 'lbfgs-precond' needs a dense Gram matrix", featureCount + 1, 8, 3,
                $"Use {nameof(TrainingOptions)}.{nameof(TrainingOptions.Solver)} = lbfgs, fewer features or a lower {nameof(TrainingOptions)}.{nameof(TrainingOptions.PolynomialDegree)}.");
    }

    /// <summary>Checks that a warm-start model was trained on the same kind of problem.</summary>
    internal static void CheckWarmStart(FittedModel start, string[] featureNames, string[] classes, TrainingOptions options)
    {
        string fix = "Warm-start from a model trained on the same features and classes with the same TrainingOptions.Model, TrainingOptions.FitIntercept and TrainingOptions.PolynomialDegree.";
        if (!start.FeatureNames.SequenceEqual(featureNames))
            throw new ArgumentException($"The warm-start model's features ({string.Join(", ", start.FeatureNames.Take(5))}{(start.FeatureNames.Length > 5 ? ", …" : "")}) differ from the data's. {fix}");
        if (!start.Classes.SequenceEqual(classes))
            throw new ArgumentException($"The warm-start model's classes ({string.Join(", ", start.Classes)}) differ from the data's ({string.Join(", ", classes)}). {fix}");
        string kind = start.Module switch { LogisticRegression => "logistic", OneVsRest => "ovr", _ => "softmax" };
        string wanted = options.Model switch { ModelKind.Logistic => "logistic", ModelKind.OneVsRest => "ovr", _ => "softmax" };
        if (kind != wanted)
            throw new ArgumentException($"The warm-start model is {kind} but this run trains {wanted}. {fix}");
        if (start.Module.FitIntercept != options.FitIntercept)
            throw new ArgumentException($"The warm-start model {(start.Module.FitIntercept ? "has an intercept but this run fits none" : "has no intercept but this run fits one")} (TrainingOptions.FitIntercept). {fix}");
        if ((start.Polynomial?.Degree ?? 1) != options.PolynomialDegree)
            throw new ArgumentException($"The warm-start model has polynomial degree {start.Polynomial?.Degree ?? 1} but this run uses {options.PolynomialDegree}. {fix}");
    }

    /// <summary>The per-class weights the options ask for on <paramref name="train"/>, or null for none.</summary>
    internal static double[]? ClassWeights(Dataset train, TrainingOptions options) =>
        ClassWeights(train.Classes, train.ClassCounts().Select(c => (long)c).ToArray(), options);

    /// <summary>The per-class weights the options ask for, given the rows of each class; null for none.</summary>
    internal static double[]? ClassWeights(string[] classes, long[] classCounts, TrainingOptions options) => options.ClassWeight switch
    {
        ClassWeightMode.Balanced => SampleWeights.Balanced(classCounts),
        ClassWeightMode.Explicit => options.ClassWeightValues!.Length == classes.Length
            ? options.ClassWeightValues
            : throw new ArgumentException($"{options.ClassWeightValues!.Length} class weights given for {classes.Length} classes ({string.Join(", ", classes)}). Give one weight per class."),
        _ => null,
    };

    /// <summary>The training objective of <paramref name="module"/> on (x, y) with weights <paramref name="sw"/>, by the options' gradient mode.</summary>
    internal static IObjective CreateObjective(LinearClassifier module, Tensor x, Tensor y, Tensor? sw, TrainingOptions options) =>
        options.Gradients == GradientMode.Analytic
            ? new LinearModelObjective(x, y, (int)module.OutputCount, options.PenaltyObject, sw, options.LabelSmoothing, fitIntercept: module.FitIntercept)
            : new AutogradObjective(module, x, y, options.PenaltyObject, sw, options.LabelSmoothing);

    /// <summary>Checks that rows can be trained on with these options.</summary>
    private static void ValidateData(Dataset data, TrainingOptions options, string role)
    {
        ValidateFeatures(data, role);
        int present = data.ClassCounts().Count(c => c > 0);
        if (present < 2)
            throw new ArgumentException($"The {role} rows of '{data.Name}' contain a single class ({data.Classes[data.Labels[0]]}). A classifier needs at least two classes.");
        if (options.Model == ModelKind.Logistic && data.ClassCount != 2)
            throw new ArgumentException($"Binary logistic regression needs exactly 2 classes; '{data.Name}' has {data.ClassCount} ({string.Join(", ", data.Classes.Take(10))}). Use TrainingOptions.Model = Softmax.");
    }

    private static void ValidateFeatures(Dataset data, string role)
    {
        if (data.SampleCount == 0) throw new ArgumentException($"The {role} data '{data.Name}' has no rows.");
        for (long i = 0; i < data.Features.Length; i++)
        {
            if (!double.IsFinite(data.Features[i]))
                throw new ArgumentException($"The {role} data '{data.Name}' has a non-finite value ({data.Features[i]}) in row {i / data.FeatureCount}, feature '{data.FeatureNames[i % data.FeatureCount]}'. Remove or impute NaN and infinite values.");
        }
    }
}
