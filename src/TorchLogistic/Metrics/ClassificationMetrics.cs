namespace TorchLogistic.Metrics;

/// <summary>Per-class precision, recall, F1 and support (scikit-learn's <c>precision_recall_fscore_support(average=None)</c>).</summary>
/// <param name="Precision">tpₖ/(tpₖ + fpₖ), 0 where nothing was predicted as k.</param>
/// <param name="Recall">tpₖ/(tpₖ + fnₖ), 0 where class k has no rows.</param>
/// <param name="F1">2·precision·recall/(precision + recall), 0 where both are 0.</param>
/// <param name="Support">Number of true rows of each class.</param>
public sealed record ClassScores(double[] Precision, double[] Recall, double[] F1, int[] Support);

/// <summary>Precision, recall and F1 averaged one way (binary, macro, weighted or micro).</summary>
/// <param name="Precision">Averaged precision.</param>
/// <param name="Recall">Averaged recall.</param>
/// <param name="F1">Averaged F1.</param>
public sealed record AveragedScores(double Precision, double Recall, double F1);

/// <summary>
/// Classification metrics with scikit-learn 1.2's definitions (and its names). Labels are class indices
/// <c>0..K−1</c>; probabilities are row-major <c>(m, K)</c>. Where scikit-learn would warn about a zero division
/// (a class never predicted, or absent), the value is 0, as with its default <c>zero_division="warn"</c>.
/// </summary>
public static class ClassificationMetrics
{
    /// <summary>The averages <see cref="PrecisionRecallFScore(int[], int[], int, string, int)"/> accepts.</summary>
    public static IReadOnlyList<string> Averages { get; } = new[] { "binary", "macro", "weighted", "micro" };

    /// <summary>Share of rows whose predicted class equals the true class.</summary>
    public static double Accuracy(int[] yTrue, int[] yPred)
    {
        CheckLengths(yTrue.Length, yPred.Length);
        if (yTrue.Length == 0) throw new ArgumentException("Accuracy of zero rows is undefined.");
        int correct = 0;
        for (int i = 0; i < yTrue.Length; i++)
        {
            if (yTrue[i] == yPred[i]) correct++;
        }
        return (double)correct / yTrue.Length;
    }

    /// <summary>
    /// Confusion matrix <c>C[i, j]</c> = number of rows of true class i predicted as class j, shape <c>(K, K)</c>.
    /// </summary>
    /// <param name="yTrue">True class indices.</param>
    /// <param name="yPred">Predicted class indices.</param>
    /// <param name="classCount">K; every label must be in <c>[0, K)</c>.</param>
    public static int[,] ConfusionMatrix(int[] yTrue, int[] yPred, int classCount)
    {
        CheckLengths(yTrue.Length, yPred.Length);
        if (classCount < 1) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "A confusion matrix needs at least one class.");
        var c = new int[classCount, classCount];
        for (int i = 0; i < yTrue.Length; i++)
        {
            CheckLabel(yTrue[i], classCount, "true");
            CheckLabel(yPred[i], classCount, "predicted");
            c[yTrue[i], yPred[i]]++;
        }
        return c;
    }

    /// <summary>
    /// Mean of the per-class recalls over the classes present in <paramref name="yTrue"/>
    /// (scikit-learn's <c>balanced_accuracy_score</c>; classes with no true rows are left out).
    /// </summary>
    public static double BalancedAccuracy(int[] yTrue, int[] yPred, int classCount)
    {
        if (yTrue.Length == 0) throw new ArgumentException("Balanced accuracy of zero rows is undefined.");
        return BalancedAccuracy(ConfusionMatrix(yTrue, yPred, classCount));
    }

    /// <summary><see cref="BalancedAccuracy(int[], int[], int)"/> from a confusion matrix (rows: true class).</summary>
    public static double BalancedAccuracy(int[,] confusion)
    {
        int classCount = confusion.GetLength(0);
        var c = confusion;
        double sum = 0;
        int present = 0;
        for (int k = 0; k < classCount; k++)
        {
            int rowTotal = 0;
            for (int j = 0; j < classCount; j++) rowTotal += c[k, j];
            if (rowTotal == 0) continue;
            sum += (double)c[k, k] / rowTotal;
            present++;
        }
        if (present == 0) throw new ArgumentException("Balanced accuracy of zero rows is undefined.");
        return sum / present;
    }

    /// <summary>Per-class precision, recall, F1 and support.</summary>
    /// <param name="yTrue">True class indices.</param>
    /// <param name="yPred">Predicted class indices.</param>
    /// <param name="classCount">K.</param>
    public static ClassScores PrecisionRecallFScoreSupport(int[] yTrue, int[] yPred, int classCount) =>
        PrecisionRecallFScoreSupport(ConfusionMatrix(yTrue, yPred, classCount));

    /// <summary>Per-class precision, recall, F1 and support from a confusion matrix (rows: true class, columns: predicted).</summary>
    public static ClassScores PrecisionRecallFScoreSupport(int[,] confusion)
    {
        var c = confusion;
        int classCount = c.GetLength(0);
        var precision = new double[classCount];
        var recall = new double[classCount];
        var f1 = new double[classCount];
        var support = new int[classCount];
        for (int k = 0; k < classCount; k++)
        {
            int predicted = 0, actual = 0;
            for (int j = 0; j < classCount; j++)
            {
                predicted += c[j, k];
                actual += c[k, j];
            }
            support[k] = actual;
            precision[k] = Divide(c[k, k], predicted);
            recall[k] = Divide(c[k, k], actual);
            f1[k] = FScore(precision[k], recall[k]);
        }
        return new ClassScores(precision, recall, f1, support);
    }

    /// <summary>
    /// Precision, recall and F1 averaged as scikit-learn's <c>average</c>: <c>binary</c> (the scores of
    /// <paramref name="posLabel"/>; two classes only), <c>macro</c> (unweighted mean over classes),
    /// <c>weighted</c> (mean weighted by support), or <c>micro</c> (from the pooled counts).
    /// </summary>
    /// <param name="yTrue">True class indices.</param>
    /// <param name="yPred">Predicted class indices.</param>
    /// <param name="classCount">K.</param>
    /// <param name="average">binary, macro, weighted or micro (default binary).</param>
    /// <param name="posLabel">The positive class of <c>binary</c> (default 1).</param>
    public static AveragedScores PrecisionRecallFScore(int[] yTrue, int[] yPred, int classCount, string average = "binary", int posLabel = 1) =>
        PrecisionRecallFScore(ConfusionMatrix(yTrue, yPred, classCount), average, posLabel);

    /// <summary><see cref="PrecisionRecallFScore(int[], int[], int, string, int)"/> from a confusion matrix (rows: true class).</summary>
    /// <param name="confusion">Confusion matrix, <c>(K, K)</c>.</param>
    /// <param name="average">binary, macro, weighted or micro (default binary).</param>
    /// <param name="posLabel">The positive class of <c>binary</c> (default 1).</param>
    public static AveragedScores PrecisionRecallFScore(int[,] confusion, string average = "binary", int posLabel = 1)
    {
        var s = PrecisionRecallFScoreSupport(confusion);
        int classCount = confusion.GetLength(0);
        switch (average)
        {
            case "binary":
                if (classCount != 2)
                    throw new ArgumentException($"average 'binary' needs 2 classes; there are {classCount}. Use macro, weighted or micro.");
                CheckLabel(posLabel, classCount, "positive");
                return new AveragedScores(s.Precision[posLabel], s.Recall[posLabel], s.F1[posLabel]);
            case "macro":
                return new AveragedScores(s.Precision.Average(), s.Recall.Average(), s.F1.Average());
            case "weighted":
                double total = s.Support.Sum();
                double Weighted(double[] v) => total == 0 ? 0 : v.Select((x, k) => x * s.Support[k]).Sum() / total;
                return new AveragedScores(Weighted(s.Precision), Weighted(s.Recall), Weighted(s.F1));
            case "micro":
                // Every row is one prediction: pooled precision = pooled recall = accuracy.
                long correct = 0, rows = 0;
                for (int i = 0; i < classCount; i++)
                {
                    correct += confusion[i, i];
                    for (int j = 0; j < classCount; j++) rows += confusion[i, j];
                }
                double p = Divide(correct, rows);
                return new AveragedScores(p, p, FScore(p, p));
            default:
                throw new ArgumentException($"Unknown average '{average}'. Use one of: {string.Join(", ", Averages)}.");
        }
    }

    /// <summary>Precision tp/(tp + fp), averaged as <see cref="PrecisionRecallFScore(int[], int[], int, string, int)"/>.</summary>
    public static double PrecisionScore(int[] yTrue, int[] yPred, int classCount, string average = "binary") =>
        PrecisionRecallFScore(yTrue, yPred, classCount, average).Precision;

    /// <summary>Recall tp/(tp + fn), averaged as <see cref="PrecisionRecallFScore(int[], int[], int, string, int)"/>.</summary>
    public static double RecallScore(int[] yTrue, int[] yPred, int classCount, string average = "binary") =>
        PrecisionRecallFScore(yTrue, yPred, classCount, average).Recall;

    /// <summary>F1, the harmonic mean of precision and recall, averaged as <see cref="PrecisionRecallFScore(int[], int[], int, string, int)"/>.</summary>
    public static double F1Score(int[] yTrue, int[] yPred, int classCount, string average = "binary") =>
        PrecisionRecallFScore(yTrue, yPred, classCount, average).F1;

    /// <summary>
    /// Mean negative log-likelihood of the true classes, as scikit-learn 1.2's <c>log_loss</c>: probabilities are
    /// clipped to [ε, 1 − ε] with ε the float64 machine epsilon, each row renormalised to sum 1, then
    /// <c>−(1/Σwᵢ) Σ wᵢ ln pᵢ,yᵢ</c>.
    /// </summary>
    /// <param name="yTrue">True class indices.</param>
    /// <param name="proba">Predicted probabilities, row-major <c>(m, K)</c>.</param>
    /// <param name="classCount">K.</param>
    /// <param name="sampleWeight">Optional row weights.</param>
    public static double LogLoss(int[] yTrue, double[] proba, int classCount, double[]? sampleWeight = null)
    {
        int m = yTrue.Length;
        CheckProba(proba, m, classCount);
        if (sampleWeight != null) CheckLengths(m, sampleWeight.Length);
        double total = 0, weights = 0;
        for (int i = 0; i < m; i++)
        {
            double w = sampleWeight?[i] ?? 1.0;
            total -= w * LogLikelihood(proba.AsSpan(i * classCount, classCount), yTrue[i]);
            weights += w;
        }
        return total / weights;
    }

    /// <summary>
    /// One row's term of <see cref="LogLoss"/>: <c>ln pᵧ</c> after clipping every probability to [ε, 1 − ε]
    /// (ε the float64 machine epsilon) and renormalising the row.
    /// </summary>
    internal static double LogLikelihood(ReadOnlySpan<double> row, int y)
    {
        const double epsilon = 2.220446049250313e-16;
        double rowSum = 0;
        for (int k = 0; k < row.Length; k++) rowSum += Math.Clamp(row[k], epsilon, 1 - epsilon);
        return Math.Log(Math.Clamp(row[y], epsilon, 1 - epsilon) / rowSum);
    }

    /// <summary>
    /// Brier score of a binary problem, scikit-learn's <c>brier_score_loss</c>: <c>(1/m) Σ (pᵢ − yᵢ)²</c> with pᵢ
    /// the probability of the positive class and yᵢ ∈ {0, 1}.
    /// </summary>
    /// <param name="yTrue">0/1 labels (1 = positive).</param>
    /// <param name="probPos">Probability of the positive class per row.</param>
    public static double BrierScoreLoss(int[] yTrue, double[] probPos)
    {
        CheckLengths(yTrue.Length, probPos.Length);
        if (yTrue.Length == 0) throw new ArgumentException("The Brier score of zero rows is undefined.");
        double total = 0;
        for (int i = 0; i < yTrue.Length; i++)
        {
            CheckLabel(yTrue[i], 2, "true");
            double e = probPos[i] - yTrue[i];
            total += e * e;
        }
        return total / yTrue.Length;
    }

    /// <summary>
    /// Brier's original multiclass score <c>(1/m) Σᵢ Σₖ (pᵢₖ − 1[yᵢ = k])²</c>, in [0, 2]. For two classes it is
    /// twice <see cref="BrierScoreLoss"/> (scikit-learn 1.2 has binary only).
    /// </summary>
    public static double BrierScoreMulticlass(int[] yTrue, double[] proba, int classCount)
    {
        int m = yTrue.Length;
        CheckProba(proba, m, classCount);
        if (m == 0) throw new ArgumentException("The Brier score of zero rows is undefined.");
        double total = 0;
        for (int i = 0; i < m; i++) total += SquaredError(proba.AsSpan(i * classCount, classCount), yTrue[i]);
        return total / m;
    }

    /// <summary>One row's term of <see cref="BrierScoreMulticlass"/>: <c>Σₖ (pₖ − 1[y = k])²</c>.</summary>
    internal static double SquaredError(ReadOnlySpan<double> row, int y)
    {
        double total = 0;
        for (int k = 0; k < row.Length; k++)
        {
            double e = row[k] - (y == k ? 1 : 0);
            total += e * e;
        }
        return total;
    }

    /// <summary>Class 1 where the probability of class 1 is at least <paramref name="threshold"/>, else class 0.</summary>
    /// <param name="proba">Probabilities, row-major <c>(m, 2)</c>.</param>
    /// <param name="threshold">Decision threshold in (0, 1); 0.5 predicts the more probable class.</param>
    public static int[] PredictWithThreshold(double[] proba, double threshold)
    {
        if (!(threshold > 0 && threshold < 1))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, $"Threshold {threshold} must be in (0, 1).");
        if (proba.Length % 2 != 0) throw new ArgumentException($"{proba.Length} probabilities cannot be (m, 2) rows: a threshold needs a binary model.");
        var y = new int[proba.Length / 2];
        for (int i = 0; i < y.Length; i++) y[i] = proba[2 * i + 1] >= threshold ? 1 : 0;
        return y;
    }

    /// <summary>The probabilities of class <paramref name="k"/>: column k of a row-major <c>(m, K)</c> matrix.</summary>
    public static double[] Column(double[] proba, int classCount, int k)
    {
        if (k < 0 || k >= classCount) throw new ArgumentOutOfRangeException(nameof(k), k, $"Column {k} is outside [0, {classCount}).");
        var c = new double[proba.Length / classCount];
        for (int i = 0; i < c.Length; i++) c[i] = proba[i * classCount + k];
        return c;
    }

    internal static void CheckLengths(int a, int b)
    {
        if (a != b) throw new ArgumentException($"Length mismatch: {a} true labels but {b} values.");
    }

    internal static void CheckProba(double[] proba, int m, int classCount)
    {
        if (proba.Length != (long)m * classCount)
            throw new ArgumentException($"{proba.Length} probabilities for {m} rows × {classCount} classes.");
    }

    private static void CheckLabel(int label, int classCount, string role)
    {
        if (label < 0 || label >= classCount)
            throw new ArgumentException($"A {role} label {label} is outside the classes [0, {classCount}). Pass the number of classes that covers every label.");
    }

    private static double Divide(double numerator, double denominator) => denominator == 0 ? 0 : numerator / denominator;

    private static double FScore(double precision, double recall)
    {
        double denominator = precision + recall;
        return denominator == 0 ? 0 : 2 * precision * recall / denominator;
    }
}
