namespace TorchLogistic.Metrics;

/// <summary>Per-class precision, recall, F1 and support (scikit-learn's <c>precision_recall_fscore_support(average=None)</c>).</summary>
/// <param name="precision">tpₖ/(tpₖ + fpₖ), 0 where nothing was predicted as k.</param>
/// <param name="recall">tpₖ/(tpₖ + fnₖ), 0 where class k has no rows.</param>
/// <param name="f1">2·precision·recall/(precision + recall), 0 where both are 0.</param>
/// <param name="support">Number of true rows of each class.</param>
public sealed record ClassScores(double[] precision, double[] recall, double[] f1, int[] support);

/// <summary>Precision, recall and F1 averaged one way (binary, macro, weighted or micro).</summary>
/// <param name="precision">Averaged precision.</param>
/// <param name="recall">Averaged recall.</param>
/// <param name="f1">Averaged F1.</param>
public sealed record AveragedScores(double precision, double recall, double f1);

/// <summary>
/// Classification metrics with scikit-learn 1.2's definitions (and its names). Labels are class indices
/// <c>0..K−1</c>; probabilities are row-major <c>(m, K)</c>. Where scikit-learn would warn about a zero division
/// (a class never predicted, or absent), the value is 0, as with its default <c>zero_division="warn"</c>.
/// </summary>
public static class ClassificationMetrics
{
    /// <summary>The averages <see cref="precision_recall_fscore(int[], int[], int, string, int)"/> accepts.</summary>
    public static IReadOnlyList<string> averages { get; } = new[] { "binary", "macro", "weighted", "micro" };

    /// <summary>Share of rows whose predicted class equals the true class.</summary>
    public static double accuracy(int[] y_true, int[] y_pred)
    {
        check_lengths(y_true.Length, y_pred.Length);
        if (y_true.Length == 0) throw new ArgumentException("Accuracy of zero rows is undefined.");
        int correct = 0;
        for (int i = 0; i < y_true.Length; i++)
        {
            if (y_true[i] == y_pred[i]) correct++;
        }
        return (double)correct / y_true.Length;
    }

    /// <summary>
    /// Confusion matrix <c>C[i, j]</c> = number of rows of true class i predicted as class j, shape <c>(K, K)</c>.
    /// </summary>
    /// <param name="y_true">True class indices.</param>
    /// <param name="y_pred">Predicted class indices.</param>
    /// <param name="n_classes">K; every label must be in <c>[0, K)</c>.</param>
    public static int[,] confusion_matrix(int[] y_true, int[] y_pred, int n_classes)
    {
        check_lengths(y_true.Length, y_pred.Length);
        if (n_classes < 1) throw new ArgumentOutOfRangeException(nameof(n_classes), n_classes, "A confusion matrix needs at least one class.");
        var c = new int[n_classes, n_classes];
        for (int i = 0; i < y_true.Length; i++)
        {
            check_label(y_true[i], n_classes, "true");
            check_label(y_pred[i], n_classes, "predicted");
            c[y_true[i], y_pred[i]]++;
        }
        return c;
    }

    /// <summary>
    /// Mean of the per-class recalls over the classes present in <paramref name="y_true"/>
    /// (scikit-learn's <c>balanced_accuracy_score</c>; classes with no true rows are left out).
    /// </summary>
    public static double balanced_accuracy(int[] y_true, int[] y_pred, int n_classes)
    {
        if (y_true.Length == 0) throw new ArgumentException("Balanced accuracy of zero rows is undefined.");
        return balanced_accuracy(confusion_matrix(y_true, y_pred, n_classes));
    }

    /// <summary><see cref="balanced_accuracy(int[], int[], int)"/> from a confusion matrix (rows: true class).</summary>
    public static double balanced_accuracy(int[,] confusion)
    {
        int n_classes = confusion.GetLength(0);
        var c = confusion;
        double sum = 0;
        int present = 0;
        for (int k = 0; k < n_classes; k++)
        {
            int rowTotal = 0;
            for (int j = 0; j < n_classes; j++) rowTotal += c[k, j];
            if (rowTotal == 0) continue;
            sum += (double)c[k, k] / rowTotal;
            present++;
        }
        if (present == 0) throw new ArgumentException("Balanced accuracy of zero rows is undefined.");
        return sum / present;
    }

    /// <summary>Per-class precision, recall, F1 and support.</summary>
    /// <param name="y_true">True class indices.</param>
    /// <param name="y_pred">Predicted class indices.</param>
    /// <param name="n_classes">K.</param>
    public static ClassScores precision_recall_fscore_support(int[] y_true, int[] y_pred, int n_classes) =>
        precision_recall_fscore_support(confusion_matrix(y_true, y_pred, n_classes));

    /// <summary>Per-class precision, recall, F1 and support from a confusion matrix (rows: true class, columns: predicted).</summary>
    public static ClassScores precision_recall_fscore_support(int[,] confusion)
    {
        var c = confusion;
        int n_classes = c.GetLength(0);
        var precision = new double[n_classes];
        var recall = new double[n_classes];
        var f1 = new double[n_classes];
        var support = new int[n_classes];
        for (int k = 0; k < n_classes; k++)
        {
            int predicted = 0, actual = 0;
            for (int j = 0; j < n_classes; j++)
            {
                predicted += c[j, k];
                actual += c[k, j];
            }
            support[k] = actual;
            precision[k] = divide(c[k, k], predicted);
            recall[k] = divide(c[k, k], actual);
            f1[k] = f_score(precision[k], recall[k]);
        }
        return new ClassScores(precision, recall, f1, support);
    }

    /// <summary>
    /// Precision, recall and F1 averaged as scikit-learn's <c>average</c>: <c>binary</c> (the scores of
    /// <paramref name="pos_label"/>; two classes only), <c>macro</c> (unweighted mean over classes),
    /// <c>weighted</c> (mean weighted by support), or <c>micro</c> (from the pooled counts).
    /// </summary>
    /// <param name="y_true">True class indices.</param>
    /// <param name="y_pred">Predicted class indices.</param>
    /// <param name="n_classes">K.</param>
    /// <param name="average">binary, macro, weighted or micro (default binary).</param>
    /// <param name="pos_label">The positive class of <c>binary</c> (default 1).</param>
    public static AveragedScores precision_recall_fscore(int[] y_true, int[] y_pred, int n_classes, string average = "binary", int pos_label = 1) =>
        precision_recall_fscore(confusion_matrix(y_true, y_pred, n_classes), average, pos_label);

    /// <summary><see cref="precision_recall_fscore(int[], int[], int, string, int)"/> from a confusion matrix (rows: true class).</summary>
    /// <param name="confusion">Confusion matrix, <c>(K, K)</c>.</param>
    /// <param name="average">binary, macro, weighted or micro (default binary).</param>
    /// <param name="pos_label">The positive class of <c>binary</c> (default 1).</param>
    public static AveragedScores precision_recall_fscore(int[,] confusion, string average = "binary", int pos_label = 1)
    {
        var s = precision_recall_fscore_support(confusion);
        int n_classes = confusion.GetLength(0);
        switch (average)
        {
            case "binary":
                if (n_classes != 2)
                    throw new ArgumentException($"average 'binary' needs 2 classes; there are {n_classes}. Use macro, weighted or micro.");
                check_label(pos_label, n_classes, "positive");
                return new AveragedScores(s.precision[pos_label], s.recall[pos_label], s.f1[pos_label]);
            case "macro":
                return new AveragedScores(s.precision.Average(), s.recall.Average(), s.f1.Average());
            case "weighted":
                double total = s.support.Sum();
                double weighted(double[] v) => total == 0 ? 0 : v.Select((x, k) => x * s.support[k]).Sum() / total;
                return new AveragedScores(weighted(s.precision), weighted(s.recall), weighted(s.f1));
            case "micro":
                // Every row is one prediction: pooled precision = pooled recall = accuracy.
                long correct = 0, rows = 0;
                for (int i = 0; i < n_classes; i++)
                {
                    correct += confusion[i, i];
                    for (int j = 0; j < n_classes; j++) rows += confusion[i, j];
                }
                double p = divide(correct, rows);
                return new AveragedScores(p, p, f_score(p, p));
            default:
                throw new ArgumentException($"Unknown average '{average}'. Use one of: {string.Join(", ", averages)}.");
        }
    }

    /// <summary>Precision tp/(tp + fp), averaged as <see cref="precision_recall_fscore(int[], int[], int, string, int)"/>.</summary>
    public static double precision_score(int[] y_true, int[] y_pred, int n_classes, string average = "binary") =>
        precision_recall_fscore(y_true, y_pred, n_classes, average).precision;

    /// <summary>Recall tp/(tp + fn), averaged as <see cref="precision_recall_fscore(int[], int[], int, string, int)"/>.</summary>
    public static double recall_score(int[] y_true, int[] y_pred, int n_classes, string average = "binary") =>
        precision_recall_fscore(y_true, y_pred, n_classes, average).recall;

    /// <summary>F1, the harmonic mean of precision and recall, averaged as <see cref="precision_recall_fscore(int[], int[], int, string, int)"/>.</summary>
    public static double f1_score(int[] y_true, int[] y_pred, int n_classes, string average = "binary") =>
        precision_recall_fscore(y_true, y_pred, n_classes, average).f1;

    /// <summary>
    /// Mean negative log-likelihood of the true classes, as scikit-learn 1.2's <c>log_loss</c>: probabilities are
    /// clipped to [ε, 1 − ε] with ε the float64 machine epsilon, each row renormalised to sum 1, then
    /// <c>−(1/Σwᵢ) Σ wᵢ ln pᵢ,yᵢ</c>.
    /// </summary>
    /// <param name="y_true">True class indices.</param>
    /// <param name="proba">Predicted probabilities, row-major <c>(m, K)</c>.</param>
    /// <param name="n_classes">K.</param>
    /// <param name="sample_weight">Optional row weights.</param>
    public static double log_loss(int[] y_true, double[] proba, int n_classes, double[]? sample_weight = null)
    {
        int m = y_true.Length;
        check_proba(proba, m, n_classes);
        if (sample_weight != null) check_lengths(m, sample_weight.Length);
        double total = 0, weights = 0;
        for (int i = 0; i < m; i++)
        {
            double w = sample_weight?[i] ?? 1.0;
            total -= w * log_likelihood(proba.AsSpan(i * n_classes, n_classes), y_true[i]);
            weights += w;
        }
        return total / weights;
    }

    /// <summary>
    /// One row's term of <see cref="log_loss"/>: <c>ln pᵧ</c> after clipping every probability to [ε, 1 − ε]
    /// (ε the float64 machine epsilon) and renormalising the row.
    /// </summary>
    internal static double log_likelihood(ReadOnlySpan<double> row, int y)
    {
        const double eps = 2.220446049250313e-16;
        double rowSum = 0;
        for (int k = 0; k < row.Length; k++) rowSum += Math.Clamp(row[k], eps, 1 - eps);
        return Math.Log(Math.Clamp(row[y], eps, 1 - eps) / rowSum);
    }

    /// <summary>
    /// Brier score of a binary problem, scikit-learn's <c>brier_score_loss</c>: <c>(1/m) Σ (pᵢ − yᵢ)²</c> with pᵢ
    /// the probability of the positive class and yᵢ ∈ {0, 1}.
    /// </summary>
    /// <param name="y_true">0/1 labels (1 = positive).</param>
    /// <param name="prob_pos">Probability of the positive class per row.</param>
    public static double brier_score_loss(int[] y_true, double[] prob_pos)
    {
        check_lengths(y_true.Length, prob_pos.Length);
        if (y_true.Length == 0) throw new ArgumentException("The Brier score of zero rows is undefined.");
        double total = 0;
        for (int i = 0; i < y_true.Length; i++)
        {
            check_label(y_true[i], 2, "true");
            double e = prob_pos[i] - y_true[i];
            total += e * e;
        }
        return total / y_true.Length;
    }

    /// <summary>
    /// Brier's original multiclass score <c>(1/m) Σᵢ Σₖ (pᵢₖ − 1[yᵢ = k])²</c>, in [0, 2]. For two classes it is
    /// twice <see cref="brier_score_loss"/> (scikit-learn 1.2 has binary only).
    /// </summary>
    public static double brier_score_multiclass(int[] y_true, double[] proba, int n_classes)
    {
        int m = y_true.Length;
        check_proba(proba, m, n_classes);
        if (m == 0) throw new ArgumentException("The Brier score of zero rows is undefined.");
        double total = 0;
        for (int i = 0; i < m; i++) total += squared_error(proba.AsSpan(i * n_classes, n_classes), y_true[i]);
        return total / m;
    }

    /// <summary>One row's term of <see cref="brier_score_multiclass"/>: <c>Σₖ (pₖ − 1[y = k])²</c>.</summary>
    internal static double squared_error(ReadOnlySpan<double> row, int y)
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
    public static int[] predict_with_threshold(double[] proba, double threshold)
    {
        if (!(threshold > 0 && threshold < 1))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, $"Threshold {threshold} must be in (0, 1).");
        if (proba.Length % 2 != 0) throw new ArgumentException($"{proba.Length} probabilities cannot be (m, 2) rows: a threshold needs a binary model.");
        var y = new int[proba.Length / 2];
        for (int i = 0; i < y.Length; i++) y[i] = proba[2 * i + 1] >= threshold ? 1 : 0;
        return y;
    }

    /// <summary>The probabilities of class <paramref name="k"/>: column k of a row-major <c>(m, K)</c> matrix.</summary>
    public static double[] column(double[] proba, int n_classes, int k)
    {
        if (k < 0 || k >= n_classes) throw new ArgumentOutOfRangeException(nameof(k), k, $"Column {k} is outside [0, {n_classes}).");
        var c = new double[proba.Length / n_classes];
        for (int i = 0; i < c.Length; i++) c[i] = proba[i * n_classes + k];
        return c;
    }

    internal static void check_lengths(int a, int b)
    {
        if (a != b) throw new ArgumentException($"Length mismatch: {a} true labels but {b} values.");
    }

    internal static void check_proba(double[] proba, int m, int n_classes)
    {
        if (proba.Length != (long)m * n_classes)
            throw new ArgumentException($"{proba.Length} probabilities for {m} rows × {n_classes} classes.");
    }

    private static void check_label(int label, int n_classes, string role)
    {
        if (label < 0 || label >= n_classes)
            throw new ArgumentException($"A {role} label {label} is outside the classes [0, {n_classes}). Pass the number of classes that covers every label.");
    }

    private static double divide(double numerator, double denominator) => denominator == 0 ? 0 : numerator / denominator;

    private static double f_score(double precision, double recall)
    {
        double denominator = precision + recall;
        return denominator == 0 ? 0 : 2 * precision * recall / denominator;
    }
}
