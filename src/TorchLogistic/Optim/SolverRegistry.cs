using TorchLogistic.Objectives;

namespace TorchLogistic.Optim;

/// <summary>The solvers by command-line name, and which penalties each can minimise.</summary>
public static class SolverRegistry
{
    /// <summary>One solver: its name, whether it handles an L1 term exactly, and what it is in a few words.</summary>
    /// <param name="name">Command-line name.</param>
    /// <param name="supports_l1">Whether it minimises L1 and elastic-net penalties (with exact zeros).</param>
    /// <param name="description">One line for help texts.</param>
    public sealed record SolverInfo(string name, bool supports_l1, string description);

    /// <summary>Every solver, in the order help texts and comparisons list them.</summary>
    public static IReadOnlyList<SolverInfo> solvers { get; } = new SolverInfo[]
    {
        new("gd", true, "gradient descent with fixed step TrainingOptions.lr (proximal with L1)"),
        new("gd-lipschitz", true, "gradient descent with step 1/L from the data's Lipschitz bound (proximal with L1)"),
        new("adagrad", true, "AdaGrad per-parameter steps from TrainingOptions.lr, full batch (proximal with L1)"),
        new("sgd", false, "mini-batch SGD (TrainingOptions.batch_size, TrainingOptions.seed), step TrainingOptions.lr with inverse-time decay"),
        new("newton", false, "Newton–Raphson/IRLS, exact Hessian, Cholesky, backtracking"),
        new("newton-cg", false, "truncated Newton: Hessian-vector products and conjugate gradients"),
        new("lbfgs", false, "L-BFGS (TrainingOptions.history_size) with a strong-Wolfe line search"),
        new("lbfgs-precond", false, "L-BFGS started from the inverse of Böhning's curvature bound (raw, unscaled features; large problems)"),
        new("fista", true, "accelerated proximal gradient with restarts (L1, elastic net)"),
        new("owlqn", true, "OWL-QN: orthant-wise L-BFGS (L1, elastic net)"),
    };

    /// <summary>Every solver name (not <c>auto</c>, which stands for one of them, see <see cref="resolve"/>).</summary>
    public static IReadOnlyList<string> names { get; } = solvers.Select(s => s.name).ToArray();

    /// <summary>The name that lets <see cref="resolve"/> choose by penalty and problem size (the default).</summary>
    public const string auto = "auto";

    /// <summary>
    /// Largest d + 1 for which <c>auto</c> picks lbfgs-precond: its one-off eigendecomposition of a
    /// (d+1) × (d+1) matrix stays small next to training.
    /// </summary>
    public const int preconditioned_max_columns = 2048;

    /// <summary>
    /// The solver <c>auto</c> stands for: owlqn for L1 and elastic net (exact zeros); for L2 or no penalty
    /// lbfgs-precond up to <see cref="preconditioned_max_columns"/> columns (raw, unscaled features cost it
    /// nothing — measured on raw breast cancer: 106 iterations against 6 877 for lbfgs), lbfgs beyond.
    /// Any other name is returned as it is.
    /// </summary>
    public static string resolve(string solver, PenaltyKind penalty, long n_features) =>
        solver != auto ? solver
        : penalty is PenaltyKind.L1 or PenaltyKind.ElasticNet ? "owlqn"
        : n_features + 1 <= preconditioned_max_columns ? "lbfgs-precond"
        : "lbfgs";

    /// <summary>The names of the solvers that handle L1 and elastic net.</summary>
    public static IReadOnlyList<string> l1_names { get; } = solvers.Where(s => s.supports_l1).Select(s => s.name).ToArray();

    /// <summary>Throws when <paramref name="solver"/> is unknown or cannot minimise <paramref name="penalty"/>.</summary>
    public static void check(string solver, PenaltyKind penalty)
    {
        if (solver == auto) return;
        var info = solvers.FirstOrDefault(s => s.name == solver)
            ?? throw new ArgumentException($"Unknown solver '{solver}'. Use one of: {auto}, {string.Join(", ", names)}.");
        if (penalty is PenaltyKind.L1 or PenaltyKind.ElasticNet && !info.supports_l1)
            throw new ArgumentException($"Solver '{solver}' cannot minimise penalty '{new Penalty(penalty).name}' (not differentiable at 0). Use one of {string.Join(", ", l1_names)}, or penalty l2 or none.");
    }

    /// <summary>Creates the solver <paramref name="settings"/> name, resolving <c>auto</c> for <paramref name="penalty"/> and <paramref name="n_features"/> columns.</summary>
    public static Solver create(SolverSettings settings, PenaltyKind penalty, long n_features) =>
        create(settings with { solver = resolve(settings.solver, penalty, n_features) });

    /// <summary>Creates the solver <paramref name="options"/> name (not <c>auto</c>: that needs the penalty and problem size).</summary>
    public static Solver create(SolverSettings options) => options.history_size == 0
        ? create(options with { history_size = SolverDefaults.history_size_for(options.solver) })
        : options.solver switch
    {
        "gd" => new GradientDescent(options.lr),
        "gd-lipschitz" => new LipschitzGradientDescent(),
        "adagrad" => new Adagrad(options.lr),
        "sgd" => new StochasticGradientDescent(options.lr, options.batch_size, options.seed),
        "newton" => new Newton(),
        "newton-cg" => new NewtonCg(),
        "lbfgs" => new Lbfgs(options.history_size),
        "lbfgs-precond" => new Lbfgs(options.history_size, preconditioned: true),
        "fista" => new Fista(),
        "owlqn" => new OwlQn(options.history_size),
        auto => throw new ArgumentException("Solver 'auto' depends on the problem size; call create(settings, penalty, n_features)."),
        _ => throw new ArgumentException($"Unknown solver '{options.solver}'. Use one of: {auto}, {string.Join(", ", names)}."),
    };
}
