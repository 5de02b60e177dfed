namespace TorchLogistic.Metrics;

/// <summary>An ROC curve: false and true positive rates at decreasing thresholds.</summary>
/// <param name="FalsePositiveRates">False positive rates, from 0 to 1.</param>
/// <param name="TruePositiveRates">True positive rates, from 0 to 1.</param>
/// <param name="Thresholds">Score thresholds, decreasing; the first is max(score) + 1 (scikit-learn 1.2).</param>
public sealed record RocCurve(double[] FalsePositiveRates, double[] TruePositiveRates, double[] Thresholds);

/// <summary>A precision–recall curve, recall decreasing, ending at (recall 0, precision 1).</summary>
/// <param name="Precision">Precision at each threshold, then 1.</param>
/// <param name="Recall">Recall at each threshold, then 0.</param>
/// <param name="Thresholds">Score thresholds, increasing (one fewer than the points).</param>
public sealed record PrecisionRecallCurve(double[] Precision, double[] Recall, double[] Thresholds);

/// <summary>
/// Threshold-free metrics of scores, as scikit-learn 1.2.1's <c>sklearn.metrics._ranking</c>: tied scores form
/// one threshold (a diagonal step of the ROC curve), ROC thresholds that lie on a straight segment are dropped,
/// and AUC is the trapezoidal area. Multiclass AUC and average precision are one-vs-rest.
/// </summary>
public static class RankingMetrics
{
    /// <summary>ROC curve of the scores of the positive class (scikit-learn's <c>roc_curve</c>, <c>drop_intermediate=True</c> by default).</summary>
    /// <param name="yTrue">Labels; <paramref name="posLabel"/> is positive, any other value negative.</param>
    /// <param name="yScore">Scores, larger meaning more likely positive (e.g. the probability of the positive class).</param>
    /// <param name="posLabel">The positive label (default 1).</param>
    /// <param name="dropIntermediate">Drop thresholds whose point lies on a straight segment (default true).</param>
    public static global::TorchLogistic.Metrics.RocCurve RocCurve(int[] yTrue, double[] yScore, int posLabel = 1, bool dropIntermediate = true)
    {
        var (fps, tps, thresholds) = BinaryClfCurve(yTrue, yScore, posLabel);
        if (dropIntermediate && fps.Length > 2)
        {
            var keep = new List<int> { 0 };
            for (int i = 1; i < fps.Length - 1; i++)
            {
                // A corner: the second difference of fps or tps is non-zero.
                if (fps[i + 1] - 2 * fps[i] + fps[i - 1] != 0 || tps[i + 1] - 2 * tps[i] + tps[i - 1] != 0) keep.Add(i);
            }
            keep.Add(fps.Length - 1);
            fps = keep.Select(i => fps[i]).ToArray();
            tps = keep.Select(i => tps[i]).ToArray();
            thresholds = keep.Select(i => thresholds[i]).ToArray();
        }
        double fpsTotal = fps[^1], tpsTotal = tps[^1];
        var falsePositiveRates = new double[fps.Length + 1];
        var truePositiveRates = new double[fps.Length + 1];
        var thr = new double[fps.Length + 1];
        thr[0] = thresholds[0] + 1;
        for (int i = 0; i < fps.Length; i++)
        {
            falsePositiveRates[i + 1] = fpsTotal > 0 ? fps[i] / fpsTotal : double.NaN;
            truePositiveRates[i + 1] = tpsTotal > 0 ? tps[i] / tpsTotal : double.NaN;
            thr[i + 1] = thresholds[i];
        }
        falsePositiveRates[0] = fpsTotal > 0 ? 0 : double.NaN;
        truePositiveRates[0] = tpsTotal > 0 ? 0 : double.NaN;
        return new global::TorchLogistic.Metrics.RocCurve(falsePositiveRates, truePositiveRates, thr);
    }

    /// <summary>Area under a curve by the trapezoidal rule; x must be monotonic (either direction), as scikit-learn's <c>auc</c>.</summary>
    public static double Auc(double[] x, double[] y)
    {
        ClassificationMetrics.CheckLengths(x.Length, y.Length);
        if (x.Length < 2) throw new ArgumentException($"An area needs at least 2 points; got {x.Length}.");
        bool increasing = true, decreasing = true;
        for (int i = 1; i < x.Length; i++)
        {
            if (x[i] < x[i - 1]) increasing = false;
            if (x[i] > x[i - 1]) decreasing = false;
        }
        if (!increasing && !decreasing) throw new ArgumentException("x is neither increasing nor decreasing, so the area is undefined.");
        double area = 0;
        for (int i = 1; i < x.Length; i++) area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
        return increasing ? area : -area;
    }

    /// <summary>Area under the ROC curve of binary scores (scikit-learn's <c>roc_auc_score</c>).</summary>
    /// <exception cref="ArgumentException">Only one class is present, so the AUC is undefined.</exception>
    public static double RocAucScore(int[] yTrue, double[] yScore, int posLabel = 1)
    {
        int positives = yTrue.Count(y => y == posLabel);
        if (positives == 0 || positives == yTrue.Length)
            throw new ArgumentException("Only one class is present in y_true, so the ROC AUC is undefined. Evaluate on rows of both classes.");
        var curve = RocCurve(yTrue, yScore, posLabel);
        return Auc(curve.FalsePositiveRates, curve.TruePositiveRates);
    }

    /// <summary>
    /// One-vs-rest ROC AUC of a multiclass model (scikit-learn's <c>roc_auc_score(multi_class="ovr")</c>): the AUC
    /// of each class's probability against the rest, averaged <c>macro</c> (unweighted, default) or
    /// <c>weighted</c> (by class prevalence).
    /// </summary>
    /// <param name="yTrue">True class indices.</param>
    /// <param name="proba">Probabilities, row-major <c>(m, K)</c>; rows sum to 1.</param>
    /// <param name="classCount">K ≥ 2.</param>
    /// <param name="average">macro or weighted.</param>
    public static double RocAucOneVsRest(int[] yTrue, double[] proba, int classCount, string average = "macro") =>
        OneVsRest(yTrue, proba, classCount, average, (y, s) => RocAucScore(y, s));

    /// <summary>Precision–recall pairs at every distinct threshold (scikit-learn 1.2's <c>precision_recall_curve</c>).</summary>
    public static global::TorchLogistic.Metrics.PrecisionRecallCurve PrecisionRecallCurve(int[] yTrue, double[] yScore, int posLabel = 1)
    {
        var (fps, tps, thresholds) = BinaryClfCurve(yTrue, yScore, posLabel);
        int n = fps.Length;
        var precision = new double[n + 1];
        var recall = new double[n + 1];
        var thr = new double[n];
        for (int i = 0; i < n; i++)
        {
            // Reversed so recall decreases.
            int j = n - 1 - i;
            double predicted = tps[j] + fps[j];
            precision[i] = predicted != 0 ? tps[j] / predicted : 0;
            recall[i] = tps[^1] == 0 ? 1 : tps[j] / tps[^1];
            thr[i] = thresholds[j];
        }
        precision[n] = 1;
        recall[n] = 0;
        return new global::TorchLogistic.Metrics.PrecisionRecallCurve(precision, recall, thr);
    }

    /// <summary>
    /// Average precision, the step-function area under the precision–recall curve
    /// <c>AP = Σₙ (Rₙ − Rₙ₋₁) Pₙ</c> (scikit-learn's <c>average_precision_score</c>, no interpolation).
    /// </summary>
    public static double AveragePrecisionScore(int[] yTrue, double[] yScore, int posLabel = 1)
    {
        var c = PrecisionRecallCurve(yTrue, yScore, posLabel);
        double sum = 0;
        for (int i = 0; i < c.Recall.Length - 1; i++) sum += (c.Recall[i + 1] - c.Recall[i]) * c.Precision[i];
        return -sum;
    }

    /// <summary>One-vs-rest average precision of a multiclass model, averaged <c>macro</c> (default) or <c>weighted</c>.</summary>
    public static double AveragePrecisionOneVsRest(int[] yTrue, double[] proba, int classCount, string average = "macro") =>
        OneVsRest(yTrue, proba, classCount, average, (y, s) => AveragePrecisionScore(y, s));

    /// <summary>
    /// Counts of false and true positives at each distinct score, scores decreasing (scikit-learn's
    /// <c>_binary_clf_curve</c>): ties share one threshold.
    /// </summary>
    internal static (double[] Fps, double[] Tps, double[] Thresholds) BinaryClfCurve(int[] yTrue, double[] yScore, int posLabel)
    {
        ClassificationMetrics.CheckLengths(yTrue.Length, yScore.Length);
        if (yTrue.Length == 0) throw new ArgumentException("A curve of zero rows is undefined.");
        foreach (double s in yScore)
        {
            if (!double.IsFinite(s)) throw new ArgumentException($"Scores must be finite; got {s}.");
        }
        var order = Enumerable.Range(0, yScore.Length).OrderByDescending(i => yScore[i]).ToArray();
        var fps = new List<double>();
        var tps = new List<double>();
        var thresholds = new List<double>();
        double tp = 0;
        for (int r = 0; r < order.Length; r++)
        {
            int i = order[r];
            if (yTrue[i] == posLabel) tp++;
            if (r == order.Length - 1 || yScore[order[r + 1]] != yScore[i])
            {
                tps.Add(tp);
                fps.Add(r + 1 - tp);
                thresholds.Add(yScore[i]);
            }
        }
        return (fps.ToArray(), tps.ToArray(), thresholds.ToArray());
    }

    private static double OneVsRest(int[] yTrue, double[] proba, int classCount, string average, Func<int[], double[], double> score)
    {
        if (classCount < 2) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "One-vs-rest needs at least 2 classes.");
        ClassificationMetrics.CheckProba(proba, yTrue.Length, classCount);
        if (average is not ("macro" or "weighted"))
            throw new ArgumentException($"Unknown average '{average}' for one-vs-rest. Use macro or weighted.");
        double total = 0, weights = 0;
        for (int k = 0; k < classCount; k++)
        {
            var isK = yTrue.Select(y => y == k ? 1 : 0).ToArray();
            double w = average == "macro" ? 1 : isK.Sum();
            total += w * score(isK, ClassificationMetrics.Column(proba, classCount, k));
            weights += w;
        }
        return total / weights;
    }
}
