namespace TorchLogistic.Selection;

/// <summary>
/// Permutation importances of every raw feature of a model on labelled rows (scikit-learn's
/// <c>permutation_importance</c> result, one <see cref="FeatureImportance"/> per feature in the model's order).
/// </summary>
/// <param name="Scoring">The score whose drop was measured.</param>
/// <param name="BaselineScore">The score on the rows as given, in its own sense (a loss for log loss: lower is better).</param>
/// <param name="Features">One entry per raw feature, in the model's feature order.</param>
/// <param name="Repeats">Permutations per feature.</param>
/// <param name="RowCount">Rows scored.</param>
/// <param name="Weighted">Whether row weights weighed the scores.</param>
public sealed record PermutationImportanceResult(CrossValidationScoring Scoring, double BaselineScore, IReadOnlyList<FeatureImportance> Features,
    int Repeats, int RowCount, bool Weighted)
{
    /// <summary>The features by decreasing mean importance (model order on ties).</summary>
    public IReadOnlyList<FeatureImportance> Ranked => Features.OrderByDescending(f => f.Mean).ToList();
}
