namespace TorchLogistic.Metrics;

/// <summary>
/// Counts of (true class, predicted class) pairs, as scikit-learn's <c>confusion_matrix</c>: entry
/// <c>[i, j]</c> is the number of rows of class i predicted as class j. Per-class precision and recall follow
/// scikit-learn's <c>precision_score</c> / <c>recall_score</c> with <c>average=None, zero_division=0</c>.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[,] counts;

    /// <summary>Counts the pairs of <paramref name="y_true"/> and <paramref name="y_pred"/>.</summary>
    /// <param name="y_true">True class indices in <c>[0, n_classes)</c>.</param>
    /// <param name="y_pred">Predicted class indices in <c>[0, n_classes)</c>, one per true label.</param>
    /// <param name="n_classes">K ≥ 1, the matrix size.</param>
    public ConfusionMatrix(IReadOnlyList<int> y_true, IReadOnlyList<int> y_pred, int n_classes)
    {
        if (n_classes < 1) throw new ArgumentOutOfRangeException(nameof(n_classes), n_classes, "A confusion matrix needs at least one class.");
        if (y_true.Count != y_pred.Count) throw new ArgumentException($"Length mismatch: {y_true.Count} true labels but {y_pred.Count} predictions.");
        counts = new long[n_classes, n_classes];
        for (int i = 0; i < y_true.Count; i++)
        {
            int t = y_true[i], p = y_pred[i];
            if ((uint)t >= (uint)n_classes || (uint)p >= (uint)n_classes)
                throw new ArgumentException($"Row {i}: true class {t} or predicted class {p} is outside [0, {n_classes}).");
            counts[t, p]++;
        }
        this.n_classes = n_classes;
    }

    /// <summary>K.</summary>
    public int n_classes { get; }

    /// <summary>Rows of true class <paramref name="true_class"/> predicted as <paramref name="predicted_class"/>.</summary>
    public long this[int true_class, int predicted_class] => counts[true_class, predicted_class];

    /// <summary>Rows of each true class (the row sums).</summary>
    public long[] support => Enumerable.Range(0, n_classes).Select(i => Enumerable.Range(0, n_classes).Sum(j => counts[i, j])).ToArray();

    /// <summary>Per class k: <c>C[k,k] / Σᵢ C[i,k]</c>, the share of rows predicted k that are k; 0 when nothing was predicted k.</summary>
    public double[] precision() => Enumerable.Range(0, n_classes).Select(k =>
    {
        long predicted = Enumerable.Range(0, n_classes).Sum(i => counts[i, k]);
        return predicted == 0 ? 0.0 : (double)counts[k, k] / predicted;
    }).ToArray();

    /// <summary>Per class k: <c>C[k,k] / Σⱼ C[k,j]</c>, the share of rows of class k predicted k; 0 for a class without rows.</summary>
    public double[] recall()
    {
        long[] rows = support;
        return Enumerable.Range(0, n_classes).Select(k => rows[k] == 0 ? 0.0 : (double)counts[k, k] / rows[k]).ToArray();
    }

    /// <summary>The counts as rows (true classes) of columns (predicted classes).</summary>
    public long[][] to_rows() =>
        Enumerable.Range(0, n_classes).Select(i => Enumerable.Range(0, n_classes).Select(j => counts[i, j]).ToArray()).ToArray();
}
