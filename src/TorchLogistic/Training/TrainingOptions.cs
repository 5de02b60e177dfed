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
    /// <summary>The weights in <see cref="TrainingOptions.ClassWeightValues"/>, one per class.</summary>
    Explicit,
}

/// <summary>
/// Everything that decides a training run. Defaults live in <see cref="SolverDefaults"/>; every value is
/// checked by <see cref="Validate"/> before any work starts, with a message that names the value and the fix.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>The model (default <see cref="ModelKind.Logistic"/>).</summary>
    public ModelKind Model { get; init; } = ModelKind.Logistic;

    /// <summary>The penalty (default L2).</summary>
    public PenaltyKind Penalty { get; init; } = PenaltyKind.L2;

    /// <summary>Inverse regularisation strength C &gt; 0 (default 1).</summary>
    public double C { get; init; } = SolverDefaults.C;

    /// <summary>Elastic-net mixing ρ in [0, 1] (default 0.5).</summary>
    public double L1Ratio { get; init; } = 0.5;

    /// <summary>The solver (default <see cref="SolverKind.Auto"/>: chosen by penalty and problem size, <see cref="SolverRegistry.Resolve"/>); see <see cref="SolverRegistry.Solvers"/>.</summary>
    public SolverKind Solver { get; init; }

    /// <summary>Fixed step of <c>gd</c>, base step of <c>adagrad</c>, initial step of <c>sgd</c> (default 0.1; the command line uses <see cref="SolverDefaults.LearningRateFor"/>).</summary>
    public double LearningRate { get; init; } = SolverDefaults.LearningRate;

    /// <summary>Iteration limit (default 1000).</summary>
    public int MaxIterations { get; init; } = SolverDefaults.MaxIterations;

    /// <summary>Tolerance on the convergence criterion (default 1e-6).</summary>
    public double Tolerance { get; init; } = SolverDefaults.Tolerance;

    /// <summary>L-BFGS and OWL-QN memory; 0 (the default) takes the solver's own: 10, or 30 for lbfgs-precond (<see cref="SolverDefaults.HistorySizeFor"/>).</summary>
    public int HistorySize { get; init; }

    /// <summary>Rows per mini-batch of <c>sgd</c> (default 32).</summary>
    public int BatchSize { get; init; } = SolverDefaults.BatchSize;

    /// <summary>Seed of <c>sgd</c>'s shuffles (default 0).</summary>
    public int Seed { get; init; }

    /// <summary>Degree of the polynomial feature expansion applied before standardisation (default 1: the features as they are).</summary>
    public int PolynomialDegree { get; init; } = 1;

    /// <summary>
    /// Fit the intercepts b (default true). False fixes b = 0, so the logits are <c>X Wᵀ</c> and θ = vec(W):
    /// scikit-learn's <c>LogisticRegression(fit_intercept=False)</c> and LIBLINEAR's default (no bias term).
    /// With <see cref="Standardize"/> the features are centred first, as scikit-learn's
    /// <c>make_pipeline(StandardScaler(), LogisticRegression(fit_intercept=False))</c>.
    /// </summary>
    public bool FitIntercept { get; init; } = true;

    /// <summary>Standardise features with the training rows' mean and standard deviation (default false).</summary>
    public bool Standardize { get; init; }

    /// <summary>Compute and parameter dtype: float64 (default) or float32.</summary>
    public ScalarType DType { get; init; } = ScalarType.Float64;

    /// <summary>Analytic (default) or autograd gradients.</summary>
    public GradientMode Gradients { get; init; } = GradientMode.Analytic;

    /// <summary>Class weights: none (the default; all 1), balanced (n/(K·nₖ), as scikit-learn), or explicit weights in <see cref="ClassWeightValues"/>.</summary>
    public ClassWeightMode ClassWeight { get; init; }

    /// <summary>Explicit per-class weights (one per class, ≥ 0), used when <see cref="ClassWeight"/> is <see cref="ClassWeightMode.Explicit"/>.</summary>
    public double[]? ClassWeightValues { get; init; }

    /// <summary>
    /// Label smoothing ε in [0, 1) (default 0): the training targets become <c>(1 − ε)·onehot(y) + ε/K</c>, as
    /// PyTorch's <c>CrossEntropyLoss(label_smoothing)</c>, with K the number of classes (2 for a binary
    /// model, whose target is then <c>(1 − ε)·y + ε/2</c>). For one-vs-rest it applies to each member's binary target.
    /// </summary>
    public double LabelSmoothing { get; init; }

    /// <summary>The solver and its settings, as <see cref="SolverRegistry.Create(global::TorchLogistic.Optim.SolverSettings, PenaltyKind, long)"/> takes them.</summary>
    public global::TorchLogistic.Optim.SolverSettings SolverSettings => new() { Solver = Solver, LearningRate = LearningRate, BatchSize = BatchSize, Seed = Seed, HistorySize = HistorySize };

    /// <summary>The penalty object these options describe.</summary>
    public global::TorchLogistic.Objectives.Penalty PenaltyObject => new(Penalty, C, L1Ratio);

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> naming the bad one and the fix.</summary>
    public void Validate()
    {
        if (!(C > 0) || !double.IsFinite(C)) throw new ArgumentException($"C = {C} must be a finite number > 0 (it is the inverse regularisation strength; try 1).");
        if (!(L1Ratio >= 0 && L1Ratio <= 1)) throw new ArgumentException($"l1_ratio = {L1Ratio} must be in [0, 1].");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentException($"Learning rate lr = {LearningRate} must be a finite number > 0 (try 0.1, or solver gd-lipschitz).");
        if (MaxIterations < 1) throw new ArgumentException($"max_iter = {MaxIterations} must be ≥ 1.");
        if (!(Tolerance > 0) || !double.IsFinite(Tolerance)) throw new ArgumentException($"tol = {Tolerance} must be a finite number > 0 (try 1e-6).");
        if (!(LabelSmoothing >= 0 && LabelSmoothing < 1)) throw new ArgumentException($"label_smoothing = {LabelSmoothing} must be in [0, 1) (0 trains on the plain labels; try 0.1).");
        if (HistorySize < 0) throw new ArgumentException($"history_size = {HistorySize} must be ≥ 1, or 0 for the solver's default.");
        if (BatchSize < 1) throw new ArgumentException($"batch_size = {BatchSize} must be ≥ 1 (try 32).");
        if (PolynomialDegree < 1 || PolynomialDegree > Data.PolynomialFeatures.MaxDegree)
            throw new ArgumentException($"poly_degree = {PolynomialDegree} must be between 1 and {Data.PolynomialFeatures.MaxDegree} (1 keeps the features as they are; 2 adds squares and pairwise products).");
        if (DType != ScalarType.Float64 && DType != ScalarType.Float32) throw new ArgumentException($"dtype {DType} is not supported; use float64 or float32.");
        if (!Enum.IsDefined(Solver)) throw new ArgumentException($"solver {(int)Solver} is not a SolverKind.");
        SolverRegistry.Check(Solver, Penalty);
        if (!Enum.IsDefined(ClassWeight)) throw new ArgumentException($"class_weight {(int)ClassWeight} is not a ClassWeightMode.");
        if (ClassWeight == ClassWeightMode.Explicit && (ClassWeightValues == null || ClassWeightValues.Any(w => !(w >= 0) || !double.IsFinite(w)) || ClassWeightValues.Sum() <= 0))
            throw new ArgumentException("Class weights must be finite, ≥ 0, and not all zero.");
    }
}
