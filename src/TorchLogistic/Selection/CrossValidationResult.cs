namespace TorchLogistic.Selection;

/// <summary>
/// The scores of a cross-validated grid search and the two choices made from them.
/// <para>
/// The mean is the plain mean over folds (as <c>LogisticRegressionCV</c>, which picks the best C from it) and the
/// standard error <c>se = sd/√K</c> with the sample standard deviation (K − 1 in the denominator); with equal fold
/// weights this is exactly <c>cv.glmnet</c>'s <c>cvsd</c>. glmnet weights each fold by its total row weight in both;
/// on folds of equal size and weight the two coincide.
/// </para>
/// </summary>
/// <param name="Scoring">How folds were scored.</param>
/// <param name="Cs">The grid of C, increasing.</param>
/// <param name="L1Ratios">The grid of l1_ratio (one entry, the options' own, without an elastic-net grid).</param>
/// <param name="FoldScores">[l1_ratio][fold][C]: the score of each held-out fold (a loss for log loss).</param>
/// <param name="Mean">[l1_ratio][C]: mean over folds.</param>
/// <param name="StandardError">[l1_ratio][C]: standard error of the mean.</param>
/// <param name="BestRatioIndex">Index of the best l1_ratio.</param>
/// <param name="BestIndex">Index in <see cref="Cs"/> of the best mean (first on ties, as numpy's argmax).</param>
/// <param name="OneStandardErrorIndex">Index of the smallest C (strongest regularisation) whose mean is within one SE of the best, at the best l1_ratio (glmnet's <c>lambda.1se</c>).</param>
/// <param name="Folds">The fold of every row.</param>
/// <param name="FoldCount">K.</param>
/// <param name="OutOfFoldLogits">[l1_ratio][C]: every row's logits (row-major <c>(m, outputs)</c>) from the model fitted without its fold; null unless kept.</param>
/// <param name="Iterations">[l1_ratio][fold][C]: solver iterations.</param>
/// <param name="Converged">[l1_ratio][fold][C]: whether the fit reached the tolerance.</param>
public sealed record CrossValidationResult(CrossValidationScoring Scoring, double[] Cs, double[] L1Ratios, double[][][] FoldScores,
    double[][] Mean, double[][] StandardError, int BestRatioIndex, int BestIndex, int OneStandardErrorIndex, int[] Folds, int FoldCount,
    double[][][]? OutOfFoldLogits, int[][][] Iterations, bool[][][] Converged)
{
    /// <summary>The C of the best mean score.</summary>
    public double BestC => Cs[BestIndex];

    /// <summary>The one-standard-error C: the strongest regularisation within one SE of the best.</summary>
    public double OneStandardErrorC => Cs[OneStandardErrorIndex];

    /// <summary>The l1_ratio of the best mean score.</summary>
    public double BestL1Ratio => L1Ratios[BestRatioIndex];

    /// <summary>
    /// The best index and the one-SE index of one row of means: best = argmin (loss) or argmax (score), first on ties;
    /// one-SE = the smallest index (smallest C, grid increasing) whose mean is at most best + se(best) (loss) or at
    /// least best − se(best) (score) — glmnet's <c>lambda.1se</c> rule on the grid λ = 1/(C·m).
    /// </summary>
    public static (int Best, int OneStandardError) Choose(double[] mean, double[] standardError, bool lowerIsBetter)
    {
        int best = 0;
        for (int c = 1; c < mean.Length; c++)
        {
            if (lowerIsBetter ? mean[c] < mean[best] : mean[c] > mean[best]) best = c;
        }
        double bound = lowerIsBetter ? mean[best] + standardError[best] : mean[best] - standardError[best];
        int oneSe = best;
        for (int c = 0; c < best; c++)
        {
            if (lowerIsBetter ? mean[c] <= bound : mean[c] >= bound) { oneSe = c; break; }
        }
        return (best, oneSe);
    }
}
