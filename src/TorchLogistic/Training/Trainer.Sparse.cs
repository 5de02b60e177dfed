using TorchLogistic.Data;
using TorchLogistic.Models;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Sparse;
using static TorchSharp.torch;

namespace TorchLogistic.Training;

public static partial class Trainer
{
    /// <summary>
    /// Trains a model on sparse rows through sparse products (<see cref="SparseFeatureMatrix"/>): memory grows
    /// with the non-zeros, never rows × columns. The objective, solvers and loop are the dense path's; what differs
    /// is only how X is multiplied. Standardisation divides by each column's standard deviation without centring
    /// (scikit-learn's <c>with_mean=False</c>, <see cref="StandardScaler.FitWithoutCentering"/>), which keeps X sparse.
    /// Sparse training computes in float64 with analytic gradients and no polynomial expansion; one-vs-rest is
    /// refused (use <see cref="ModelKind.Softmax"/>).
    /// </summary>
    /// <param name="train">Training rows.</param>
    /// <param name="options">What to train and how; validated first.</param>
    /// <param name="test">Optional held-out rows (same number of features): their mean log loss is recorded in the history.</param>
    /// <param name="onIteration">Called after every iteration.</param>
    /// <param name="cancellation">Stops training between iterations.</param>
    /// <param name="initialTheta">Optional start point θ₀ (scaled coordinates); zeros by default.</param>
    public static FittedModel Fit(SparseDataset train, TrainingOptions options, SparseDataset? test = null,
        Action<IterationRecord>? onIteration = null, CancellationToken cancellation = default, double[]? initialTheta = null)
    {
        options.Validate();
        CheckSparseOptions(options);
        if (train.SampleCount == 0) throw new ArgumentException($"The training data '{train.Name}' has no rows.");
        if (train.FeatureCount == 0) throw new ArgumentException($"The training data '{train.Name}' has no features (no index:value pairs).");
        int present = train.ClassCounts().Count(c => c > 0);
        if (present < 2)
            throw new ArgumentException($"The training rows of '{train.Name}' contain a single class ({train.Classes[train.Labels[0]]}). A classifier needs at least two classes.");
        if (options.Model == ModelKind.Logistic && train.ClassCount != 2)
            throw new ArgumentException($"Binary logistic regression needs exactly 2 classes; '{train.Name}' has {train.ClassCount} ({string.Join(", ", train.Classes.Take(10))}). Use TrainingOptions.Model = Softmax.");
        if (test != null && test.FeatureCount != train.FeatureCount)
            throw new ArgumentException($"The test rows have {test.FeatureCount} features but the training rows have {train.FeatureCount}.");

        int d = train.FeatureCount;
        int k = options.Model == ModelKind.Logistic ? 1 : train.ClassCount;
        if (SolverRegistry.Resolve(options.Solver, options.Penalty, d) == SolverKind.Newton)
            MemoryBudget.CheckSquare("Solver 'newton' needs a dense Hessian even for sparse features (features that share a row couple)", (long)k * (d + (options.FitIntercept ? 1 : 0)), 8, 3,
                $"Use {nameof(TrainingOptions)}.{nameof(TrainingOptions.Solver)} = newton-cg (Hessian-vector products through the sparse matrix) or lbfgs.");
        CheckMemory(options, d, k);

        var scaler = options.Standardize ? StandardScaler.FitWithoutCentering(train) : null;
        var trainRows = scaler?.Transform(train) ?? train;
        var testRows = test == null ? null : scaler?.Transform(test) ?? test;
        LinearClassifier module = options.Model == ModelKind.Logistic
            ? new LogisticRegression(d, fitIntercept: options.FitIntercept)
            : new SoftmaxRegression(d, train.ClassCount, fitIntercept: options.FitIntercept);
        try
        {
            double[]? s = SampleWeights.Combine(train.Labels, train.SampleWeight,
                ClassWeights(train.Classes, train.ClassCounts().Select(c => (long)c).ToArray(), options));
            using var scope = NewDisposeScope();
            var y = tensor(trainRows.Labels.Select(l => (long)l).ToArray(), ScalarType.Int64);
            var sw = s == null ? null : tensor(s, ScalarType.Float64);
            using var objective = new LinearModelObjective(new SparseFeatureMatrix(trainRows.Features), y, k, options.PenaltyObject, sw, options.LabelSmoothing, fitIntercept: options.FitIntercept);
            using var testObjective = testRows == null ? null
                : new LinearModelObjective(new SparseFeatureMatrix(testRows.Features), tensor(testRows.Labels.Select(l => (long)l).ToArray(), ScalarType.Int64), k, Penalty.None, fitIntercept: options.FitIntercept);
            var theta0 = initialTheta ?? new double[module.ParameterCount];
            if (theta0.Length != module.ParameterCount)
                throw new ArgumentException($"The initial θ has {theta0.Length} entries; this problem needs {module.ParameterCount}.");
            var solver = SolverRegistry.Create(options.SolverSettings, options.Penalty, d);
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

    /// <summary>Refuses the options sparse training does not support, each with what to use instead.</summary>
    /// <param name="options">The options.</param>
    public static void CheckSparseOptions(TrainingOptions options)
    {
        const string prefix = "Sparse (LIBSVM) data";
        if (options.DType != ScalarType.Float64)
            throw new ArgumentException($"{prefix} trains in float64; TrainingOptions.DType = {options.DType} is not available for it. Use TrainingOptions.DType = Float64.");
        if (options.PolynomialDegree > 1)
            throw new ArgumentException($"{prefix}: a polynomial expansion would multiply the non-zeros; TrainingOptions.PolynomialDegree = {options.PolynomialDegree} is not available for it. Use TrainingOptions.PolynomialDegree = 1.");
        if (options.Gradients != GradientMode.Analytic)
            throw new ArgumentException($"{prefix} trains with analytic gradients through sparse products; TrainingOptions.Gradients = {options.Gradients} needs dense features. Use TrainingOptions.Gradients = Analytic.");
        if (options.Model == ModelKind.OneVsRest)
            throw new ArgumentException($"{prefix}: one-vs-rest is not available for it. Use TrainingOptions.Model = Softmax (or Logistic for 2 classes).");
    }
}
