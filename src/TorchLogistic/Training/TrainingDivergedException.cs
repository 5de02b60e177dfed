namespace TorchLogistic.Training;

/// <summary>Training produced a non-finite objective or parameters; no model is kept.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for iteration <paramref name="iteration"/> of <paramref name="solver"/>.</summary>
    /// <param name="iteration">The iteration at which divergence was seen.</param>
    /// <param name="solver">The solver's name.</param>
    /// <param name="what">What was seen, e.g. "the objective became NaN".</param>
    public TrainingDivergedException(int iteration, string solver, string what)
        : base($"Training diverged at iteration {iteration} (solver {solver}): {what}. " +
               "Lower TrainingOptions.lr, use TrainingOptions.solver = lbfgs (or gd-lipschitz), or standardise the features (TrainingOptions.standardize). No model was written.")
    {
        this.iteration = iteration;
    }

    /// <summary>The iteration at which a non-finite value appeared.</summary>
    public int iteration { get; }
}
