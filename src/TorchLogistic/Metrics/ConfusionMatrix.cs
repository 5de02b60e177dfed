namespace TorchLogistic.Metrics;

/// <summary>
/// Counts of (true class, predicted class) pairs, as scikit-learn's <c>confusion_matrix</c>: entry
/// <c>[i, j]</c> is the number of rows of class i predicted as class j. Per-class precision and recall follow
/// scikit-learn's <c>precision_score</c> / <c>recall_score</c> with <c>average=None, zero_division=0</c>.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[,] _counts;

    /// <summary>Counts the pairs of <paramref name="yTrue"/> and <paramref name="yPred"/>.</summary>
    /// <param name="yTrue">True class indices in <c>[0, n_classes)</c>.</param>
    /// <param name="yPred">Predicted class indices in <c>[0, n_classes)</c>, one per true label.</param>
    /// <param name="classCount">K ≥ 1, the matrix size.</param>
    public ConfusionMatrix(IReadOnlyList<int> yTrue, IReadOnlyList<int> yPred, int classCount)
    {
        if (classCount < 1) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "A confusion matrix needs at least one class.");
        if (yTrue.Count != yPred.Count) throw new ArgumentException($"Length mismatch: {yTrue.Count} true labels but {yPred.Count} predictions.");
        _counts = new long[classCount, classCount];
        for (int i = 0; i < yTrue.Count; i++)
        {
            int t = yTrue[i], p = yPred[i];
            if ((uint)t >= (uint)classCount || (uint)p >= (uint)classCount)
                throw new ArgumentException($"Row {i}: true class {t} or predicted class {p} is outside [0, {classCount}).");
            _counts[t, p]++;
        }
        this.ClassCount = classCount;
    }

    /// <summary>K.</summary>
    public int ClassCount { get; }

    /// <summary>Rows of true class <paramref name="trueClass"/> predicted as <paramref name="predictedClass"/>.</summary>
    public long this[int trueClass, int predictedClass] => _counts[trueClass, predictedClass];

    /// <summary>Rows of each true class (the row sums).</summary>
    public long[] Support => Enumerable.Range(0, ClassCount).Select(i => Enumerable.Range(0, ClassCount).Sum(j => _counts[i, j])).ToArray();

    /// <summary>Per class k: <c>C[k,k] / Σᵢ C[i,k]</c>, the share of rows predicted k that are k; 0 when nothing was predicted k.</summary>
    public double[] Precision() => Enumerable.Range(0, ClassCount).Select(k =>
    {
        long predicted = Enumerable.Range(0, ClassCount).Sum(i => _counts[i, k]);
        return predicted == 0 ? 0.0 : (double)_counts[k, k] / predicted;
    }).ToArray();

    /// <summary>Per class k: <c>C[k,k] / Σⱼ C[k,j]</c>, the share of rows of class k predicted k; 0 for a class without rows.</summary>
    public double[] Recall()
    {
        long[] rows = Support;
        return Enumerable.Range(0, ClassCount).Select(k => rows[k] == 0 ? 0.0 : (double)_counts[k, k] / rows[k]).ToArray();
    }

    /// <summary>The counts as rows (true classes) of columns (predicted classes).</summary>
    public long[][] ToRows() =>
        Enumerable.Range(0, ClassCount).Select(i => Enumerable.Range(0, ClassCount).Select(j => _counts[i, j]).ToArray()).ToArray();
}
