using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using static TorchSharp.torch;

namespace TorchLogistic.Training;

/// <summary>Which gradient the solvers receive; both give the same function and, in float64, the same iterates.</summary>
public enum GradientMode
{
    /// <summary>Closed-form gradients and Hessians (<see cref="LinearModelObjective"/>).</summary>
    Analytic,
    /// <summary>Autograd through the module and TorchSharp's loss (<see cref="AutogradObjective"/>).</summary>
    Autograd,
}

/// <summary>Which model to train.</summary>
public enum ModelKind
{
    /// <summary>Binary logistic regression (two classes).</summary>
    Logistic,
    /// <summary>Multinomial softmax regression (two or more classes).</summary>
    Softmax,
    /// <summary>One-vs-rest: one binary logistic regression per class (two or more classes).</summary>
    OneVsRest,
}

/// <summary>How rows are weighted by their class (scikit-learn's <c>class_weight</c>).</summary>
public enum ClassWeightMode
{
    /// <summary>Every class weighs 1.</summary>
    None,
    /// <summary>n/(K·nₖ), as scikit-learn's "balanced" (for one-vs-rest: each member's own binary balance).</summary>
    Balanced,
    /// <summary>The weights in <see cref="TrainingOptions.class_weight_values"/>, one per class.</summary>
    Explicit,
}

/// <summary>
/// Everything that decides a training run. Defaults live in <see cref="SolverDefaults"/>; every value is
/// checked by <see cref="validate"/> before any work starts, with a message that names the value and the fix.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>The model (default <see cref="ModelKind.Logistic"/>).</summary>
    public ModelKind model { get; init; } = ModelKind.Logistic;

    /// <summary>The penalty (default L2).</summary>
    public PenaltyKind penalty { get; init; } = PenaltyKind.L2;

    /// <summary>Inverse regularisation strength C &gt; 0 (default 1).</summary>
    public double C { get; init; } = SolverDefaults.C;

    /// <summary>Elastic-net mixing ρ in [0, 1] (default 0.5).</summary>
    public double l1_ratio { get; init; } = 0.5;

    /// <summary>The solver (default <see cref="SolverKind.Auto"/>: chosen by penalty and problem size, <see cref="SolverRegistry.resolve"/>); see <see cref="SolverRegistry.solvers"/>.</summary>
    public SolverKind solver { get; init; }

    /// <summary>Fixed step of <c>gd</c>, base step of <c>adagrad</c>, initial step of <c>sgd</c> (default 0.1; the command line uses <see cref="SolverDefaults.learning_rate_for"/>).</summary>
    public double lr { get; init; } = SolverDefaults.learning_rate;

    /// <summary>Iteration limit (default 1000).</summary>
    public int max_iter { get; init; } = SolverDefaults.max_iter;

    /// <summary>Tolerance on the convergence criterion (default 1e-6).</summary>
    public double tol { get; init; } = SolverDefaults.tol;

    /// <summary>L-BFGS and OWL-QN memory; 0 (the default) takes the solver's own: 10, or 30 for lbfgs-precond (<see cref="SolverDefaults.history_size_for"/>).</summary>
    public int history_size { get; init; }

    /// <summary>Rows per mini-batch of <c>sgd</c> (default 32).</summary>
    public int batch_size { get; init; } = SolverDefaults.batch_size;

    /// <summary>Seed of <c>sgd</c>'s shuffles (default 0).</summary>
    public int seed { get; init; }

    /// <summary>Degree of the polynomial feature expansion applied before standardisation (default 1: the features as they are).</summary>
    public int poly_degree { get; init; } = 1;

    /// <summary>Standardise features with the training rows' mean and standard deviation (default false).</summary>
    public bool standardize { get; init; }

    /// <summary>Compute and parameter dtype: float64 (default) or float32.</summary>
    public ScalarType dtype { get; init; } = ScalarType.Float64;

    /// <summary>Analytic (default) or autograd gradients.</summary>
    public GradientMode gradients { get; init; } = GradientMode.Analytic;

    /// <summary>Class weights: none (the default; all 1), balanced (n/(K·nₖ), as scikit-learn), or explicit weights in <see cref="class_weight_values"/>.</summary>
    public ClassWeightMode class_weight { get; init; }

    /// <summary>Explicit per-class weights (one per class, ≥ 0), used when <see cref="class_weight"/> is <see cref="ClassWeightMode.Explicit"/>.</summary>
    public double[]? class_weight_values { get; init; }

    /// <summary>
    /// Label smoothing ε in [0, 1) (default 0): the training targets become <c>(1 − ε)·onehot(y) + ε/K</c>, as
    /// PyTorch's <c>CrossEntropyLoss(label_smoothing)</c>, with K the number of classes (2 for a binary
    /// model, whose target is then <c>(1 − ε)·y + ε/2</c>). For one-vs-rest it applies to each member's binary target.
    /// </summary>
    public double label_smoothing { get; init; }

    /// <summary>The solver and its settings, as <see cref="SolverRegistry.create(SolverSettings, PenaltyKind, long)"/> takes them.</summary>
    public SolverSettings solver_settings => new() { solver = solver, lr = lr, batch_size = batch_size, seed = seed, history_size = history_size };

    /// <summary>The penalty object these options describe.</summary>
    public Penalty penalty_object => new(penalty, C, l1_ratio);

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> naming the bad one and the fix.</summary>
    public void validate()
    {
        if (!(C > 0) || !double.IsFinite(C)) throw new ArgumentException($"C = {C} must be a finite number > 0 (it is the inverse regularisation strength; try 1).");
        if (!(l1_ratio >= 0 && l1_ratio <= 1)) throw new ArgumentException($"l1_ratio = {l1_ratio} must be in [0, 1].");
        if (!(lr > 0) || !double.IsFinite(lr)) throw new ArgumentException($"Learning rate lr = {lr} must be a finite number > 0 (try 0.1, or solver gd-lipschitz).");
        if (max_iter < 1) throw new ArgumentException($"max_iter = {max_iter} must be ≥ 1.");
        if (!(tol > 0) || !double.IsFinite(tol)) throw new ArgumentException($"tol = {tol} must be a finite number > 0 (try 1e-6).");
        if (!(label_smoothing >= 0 && label_smoothing < 1)) throw new ArgumentException($"label_smoothing = {label_smoothing} must be in [0, 1) (0 trains on the plain labels; try 0.1).");
        if (history_size < 0) throw new ArgumentException($"history_size = {history_size} must be ≥ 1, or 0 for the solver's default.");
        if (batch_size < 1) throw new ArgumentException($"batch_size = {batch_size} must be ≥ 1 (try 32).");
        if (poly_degree < 1 || poly_degree > Data.PolynomialFeatures.max_degree)
            throw new ArgumentException($"poly_degree = {poly_degree} must be between 1 and {Data.PolynomialFeatures.max_degree} (1 keeps the features as they are; 2 adds squares and pairwise products).");
        if (dtype != ScalarType.Float64 && dtype != ScalarType.Float32) throw new ArgumentException($"dtype {dtype} is not supported; use float64 or float32.");
        if (!Enum.IsDefined(solver)) throw new ArgumentException($"solver {(int)solver} is not a SolverKind.");
        SolverRegistry.check(solver, penalty);
        if (!Enum.IsDefined(class_weight)) throw new ArgumentException($"class_weight {(int)class_weight} is not a ClassWeightMode.");
        if (class_weight == ClassWeightMode.Explicit && (class_weight_values == null || class_weight_values.Any(w => !(w >= 0) || !double.IsFinite(w)) || class_weight_values.Sum() <= 0))
            throw new ArgumentException("Class weights must be finite, ≥ 0, and not all zero.");
    }
}
