namespace TorchLogistic.Inference;

/// <summary>How <see cref="MarginalEffects"/> evaluates the effects.</summary>
/// <param name="At">Where (default <see cref="MarginalAt.Overall"/>: averaged over the rows).</param>
/// <param name="Method">What (default <see cref="MarginalMethod.Dydx"/>).</param>
/// <param name="DiscreteChanges">
/// Treat every 0/1 feature as a discrete change from 0 to 1 (statsmodels' <c>dummy=True</c>; default false: as continuous).
/// Only with <see cref="MarginalMethod.Dydx"/> or <see cref="MarginalMethod.Eydx"/> at <see cref="MarginalAt.Overall"/> or <see cref="MarginalAt.Mean"/>.
/// </param>
/// <param name="OneHotGroups">
/// Feature indices of one-hot groups (the encoded levels of one categorical column, its base level dropped). Each
/// level's effect is the change from the base level (every column of the group 0) to that level (its column 1, the
/// rest of the group 0) — not statsmodels' per-column change, which can set two levels at once. Implies discrete changes for these columns.
/// </param>
public sealed record MarginalEffectsOptions(MarginalAt At = MarginalAt.Overall, MarginalMethod Method = MarginalMethod.Dydx, bool DiscreteChanges = false,
    IReadOnlyList<int[]>? OneHotGroups = null);
