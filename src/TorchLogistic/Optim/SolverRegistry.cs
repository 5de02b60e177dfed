using TorchLogistic.Objectives;
using TorchLogistic.Training;

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
        new("gd", true, "gradient descent with fixed step --lr (proximal with L1)"),
        new("gd-lipschitz", true, "gradient descent with step 1/L from the data's Lipschitz bound (proximal with L1)"),
        new("adagrad", true, "AdaGrad per-parameter steps from --lr, full batch (proximal with L1)"),
        new("sgd", false, "mini-batch SGD (--batch-size, --seed), step --lr with inverse-time decay"),
        new("newton", false, "Newton–Raphson/IRLS, exact Hessian, Cholesky, backtracking"),
        new("newton-cg", false, "truncated Newton: Hessian-vector products and conjugate gradients"),
        new("lbfgs", false, "L-BFGS (--history) with a strong-Wolfe line search"),
        new("lbfgs-precond", false, "L-BFGS started from the inverse of Böhning's curvature bound (raw, unscaled features; large problems)"),
        new("fista", true, "accelerated proximal gradient with restarts (L1, elastic net)"),
        new("owlqn", true, "OWL-QN: orthant-wise L-BFGS (L1, elastic net)"),
    };

    /// <summary>Every solver name.</summary>
    public static IReadOnlyList<string> names { get; } = solvers.Select(s => s.name).ToArray();

    /// <summary>The names of the solvers that handle L1 and elastic net.</summary>
    public static IReadOnlyList<string> l1_names { get; } = solvers.Where(s => s.supports_l1).Select(s => s.name).ToArray();

    /// <summary>Throws when <paramref name="solver"/> is unknown or cannot minimise <paramref name="penalty"/>.</summary>
    public static void check(string solver, PenaltyKind penalty)
    {
        var info = solvers.FirstOrDefault(s => s.name == solver)
            ?? throw new ArgumentException($"Unknown solver '{solver}'. Use one of: {string.Join(", ", names)}.");
        if (penalty is PenaltyKind.L1 or PenaltyKind.ElasticNet && !info.supports_l1)
            throw new ArgumentException($"Solver '{solver}' cannot minimise penalty '{new Penalty(penalty).name}' (not differentiable at 0). Use one of {string.Join(", ", l1_names)}, or penalty l2 or none.");
    }

    /// <summary>Creates the solver the options name.</summary>
    public static Solver create(TrainingOptions options) => options.solver switch
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
        _ => throw new ArgumentException($"Unknown solver '{options.solver}'. Use one of: {string.Join(", ", names)}."),
    };
}
