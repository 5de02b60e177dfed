using TorchLogistic.Objectives;
using TorchLogistic.Training;

namespace TorchLogistic.Optim;

/// <summary>The solvers by command-line name, and which penalties each can minimise.</summary>
public static class SolverRegistry
{
    /// <summary>Every solver name.</summary>
    public static IReadOnlyList<string> names { get; } = new[] { "gd", "lbfgs" };

    /// <summary>Throws when <paramref name="solver"/> is unknown or cannot minimise <paramref name="penalty"/>.</summary>
    public static void check(string solver, PenaltyKind penalty)
    {
        if (!names.Contains(solver))
            throw new ArgumentException($"Unknown solver '{solver}'. Use one of: {string.Join(", ", names)}.");
        if (penalty is PenaltyKind.L1 or PenaltyKind.ElasticNet)
            throw new ArgumentException($"Solver '{solver}' cannot minimise penalty '{new Penalty(penalty).name}' (not differentiable at 0). Use penalty l2 or none.");
    }

    /// <summary>Creates the solver the options name.</summary>
    public static Solver create(TrainingOptions options) => options.solver switch
    {
        "gd" => new GradientDescent(options.lr),
        "lbfgs" => new Lbfgs(options.history_size),
        _ => throw new ArgumentException($"Unknown solver '{options.solver}'. Use one of: {string.Join(", ", names)}."),
    };
}
