namespace TorchLogistic.Metrics;

/// <summary>
/// A reliability diagram's bins: for each non-empty bin of predicted probability, the observed share of
/// positives and the mean predicted probability (scikit-learn 1.2's <c>calibration_curve</c>), plus the counts.
/// </summary>
/// <param name="prob_true">Share of positive rows in each non-empty bin.</param>
/// <param name="prob_pred">Mean predicted probability in each non-empty bin.</param>
/// <param name="counts">Rows in each non-empty bin.</param>
/// <param name="bin_edges">All <c>n_bins + 1</c> bin edges.</param>
public sealed record CalibrationCurve(double[] prob_true, double[] prob_pred, int[] counts, double[] bin_edges)
{
    /// <summary>
    /// Bins the predicted probabilities: <c>uniform</c> (equal-width bins on [0, 1], default) or <c>quantile</c>
    /// (edges at the empirical quantiles, numpy's linear interpolation). A value on an inner edge falls in the
    /// lower bin, as <c>np.searchsorted(edges[1:-1], p)</c>.
    /// </summary>
    /// <param name="y_true">0/1 labels (1 = positive).</param>
    /// <param name="y_prob">Predicted probability of the positive class, in [0, 1].</param>
    /// <param name="n_bins">Number of bins (default 5, as scikit-learn).</param>
    /// <param name="strategy">uniform or quantile.</param>
    public static CalibrationCurve of(int[] y_true, double[] y_prob, int n_bins = 5, string strategy = "uniform")
    {
        ClassificationMetrics.check_lengths(y_true.Length, y_prob.Length);
        if (y_true.Length == 0) throw new ArgumentException("A calibration curve of zero rows is undefined.");
        if (n_bins < 1) throw new ArgumentOutOfRangeException(nameof(n_bins), n_bins, "n_bins must be ≥ 1.");
        if (y_prob.Any(p => !(p >= 0 && p <= 1))) throw new ArgumentException("y_prob has values outside [0, 1]; pass probabilities.");
        if (y_true.Any(y => y is not (0 or 1))) throw new ArgumentException("y_true must be 0/1 labels (binary).");
        double[] edges = strategy switch
        {
            "uniform" => Enumerable.Range(0, n_bins + 1).Select(i => (double)i / n_bins).ToArray(),
            "quantile" => quantile_edges(y_prob, n_bins),
            _ => throw new ArgumentException($"Unknown strategy '{strategy}'. Use uniform or quantile."),
        };
        var sums = new double[n_bins];
        var positives = new double[n_bins];
        var totals = new int[n_bins];
        for (int i = 0; i < y_prob.Length; i++)
        {
            // searchsorted(edges[1:-1], p, side="left"): the number of inner edges strictly below p.
            int bin = 0;
            while (bin < n_bins - 1 && edges[bin + 1] < y_prob[i]) bin++;
            sums[bin] += y_prob[i];
            positives[bin] += y_true[i];
            totals[bin]++;
        }
        var nonEmpty = Enumerable.Range(0, n_bins).Where(b => totals[b] > 0).ToArray();
        return new CalibrationCurve(
            nonEmpty.Select(b => positives[b] / totals[b]).ToArray(),
            nonEmpty.Select(b => sums[b] / totals[b]).ToArray(),
            nonEmpty.Select(b => totals[b]).ToArray(),
            edges);
    }

    private static double[] quantile_edges(double[] values, int n_bins)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        var edges = new double[n_bins + 1];
        for (int i = 0; i <= n_bins; i++)
        {
            double position = (double)i / n_bins * (sorted.Length - 1);
            int lo = (int)Math.Floor(position);
            int hi = Math.Min(lo + 1, sorted.Length - 1);
            double t = position - lo, a = sorted[lo], b = sorted[hi];
            // numpy's _lerp: exact at both ends.
            edges[i] = t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
        }
        return edges;
    }
}
