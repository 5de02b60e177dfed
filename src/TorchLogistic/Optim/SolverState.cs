namespace TorchLogistic.Optim;

/// <summary>
/// What a solver carries from one iteration to the next beyond θ — L-BFGS and OWL-QN's correction pairs, FISTA's
/// momentum and extrapolated point, the Lipschitz estimate of the proximal-gradient methods — as named vectors of
/// float64, so that a run restarted from θ and this state (<see cref="Solver.Resume"/>) takes the iterates an
/// uninterrupted run takes. Captured with <see cref="Solver.CaptureState"/>; written in a checkpoint by the
/// distributed trainer. A solver without such state (gd, newton, newton-cg) captures no entries.
/// </summary>
/// <param name="Solver">The solver that captured it.</param>
/// <param name="Entries">Its state by name (scalars as vectors of length 1).</param>
public sealed record SolverState(SolverKind Solver, IReadOnlyDictionary<string, double[]> Entries)
{
    /// <summary>The entry <paramref name="name"/>; throws naming the entry when it is missing.</summary>
    public double[] Vector(string name) =>
        Entries.TryGetValue(name, out var v) ? v : throw new InvalidDataException($"The saved state of solver '{SolverRegistry.NameOf(Solver)}' has no entry '{name}'.");

    /// <summary>The entry <paramref name="name"/> of length 1.</summary>
    public double Scalar(string name) => Vector(name) is { Length: 1 } v ? v[0]
        : throw new InvalidDataException($"The saved state entry '{name}' of solver '{SolverRegistry.NameOf(Solver)}' is not a scalar.");

    /// <summary>The entry <paramref name="name"/>, or null when absent.</summary>
    public double[]? Optional(string name) => Entries.TryGetValue(name, out var v) ? v : null;
}
