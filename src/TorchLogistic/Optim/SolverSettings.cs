namespace TorchLogistic.Optim;

/// <summary>
/// What <see cref="SolverRegistry.Create(SolverSettings)"/> needs to build a solver: which one, and the settings
/// some solvers take. Defaults as in <see cref="SolverDefaults"/>.
/// </summary>
public sealed record SolverSettings
{
    /// <summary>The solver (default <see cref="SolverKind.Auto"/>, see <see cref="SolverRegistry.Resolve"/>).</summary>
    public SolverKind Solver { get; init; }

    /// <summary>Fixed step of <c>gd</c>, base step of <c>adagrad</c>, initial step of <c>sgd</c> (default 0.1).</summary>
    public double LearningRate { get; init; } = SolverDefaults.LearningRate;

    /// <summary>Rows per mini-batch of <c>sgd</c> (default 32).</summary>
    public int BatchSize { get; init; } = SolverDefaults.BatchSize;

    /// <summary>Seed of <c>sgd</c>'s shuffles (default 0).</summary>
    public int Seed { get; init; }

    /// <summary>L-BFGS and OWL-QN memory; 0 (the default) takes the solver's own (<see cref="SolverDefaults.HistorySizeFor"/>).</summary>
    public int HistorySize { get; init; }
}
