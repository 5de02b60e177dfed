namespace TorchLogistic.Selection;

/// <summary>
/// The permutation importance of one raw feature (a numeric feature, or a categorical column with all its one-hot and
/// missing-indicator columns): the drop of the score, one value per repeat, their mean and standard deviation.
/// </summary>
/// <param name="Name">The raw feature's name (a tabular column's name, not its <c>name[level]</c> columns).</param>
/// <param name="Columns">The model's feature columns (indices into <see cref="Training.FittedModel.FeatureNames"/>) permuted together.</param>
/// <param name="Importances">Per repeat: baseline score − permuted score, on a higher-is-better scale (for log loss: permuted loss − baseline loss).</param>
public sealed record FeatureImportance(string Name, int[] Columns, double[] Importances)
{
    /// <summary>Mean of <see cref="Importances"/> (scikit-learn's <c>importances_mean</c>).</summary>
    public double Mean => Importances.Average();

    /// <summary>Population standard deviation of <see cref="Importances"/>, √(Σ(x − mean)²/R) with R in the denominator (scikit-learn's <c>importances_std</c>, <c>np.std</c>).</summary>
    public double StandardDeviation
    {
        get
        {
            double mean = Mean, sum = 0;
            foreach (double x in Importances) sum += (x - mean) * (x - mean);
            return Math.Sqrt(sum / Importances.Length);
        }
    }
}
