namespace TorchLogistic.Metrics;

/// <summary>
/// A reliability diagram's bins: for each non-empty bin of predicted probability, the observed share of
/// positives and the mean predicted probability (scikit-learn 1.2's <c>calibration_curve</c>), plus the counts.
/// </summary>
/// <param name="TrueProbabilities">Share of positive rows in each non-empty bin.</param>
/// <param name="PredictedProbabilities">Mean predicted probability in each non-empty bin.</param>
/// <param name="Counts">Rows in each non-empty bin.</param>
/// <param name="BinEdges">All <c>n_bins + 1</c> bin edges.</param>
public sealed record CalibrationCurve(double[] TrueProbabilities, double[] PredictedProbabilities, int[] Counts, double[] BinEdges)
{
    /// <summary>
    /// Bins the predicted probabilities: <c>uniform</c> (equal-width bins on [0, 1], default) or <c>quantile</c>
    /// (edges at the empirical quantiles, numpy's linear interpolation). A value on an inner edge falls in the
    /// lower bin, as <c>np.searchsorted(edges[1:-1], p)</c>.
    /// </summary>
    /// <param name="yTrue">0/1 labels (1 = positive).</param>
    /// <param name="yProb">Predicted probability of the positive class, in [0, 1].</param>
    /// <param name="nBins">Number of bins (default 5, as scikit-learn).</param>
    /// <param name="strategy">uniform or quantile.</param>
    public static CalibrationCurve Of(int[] yTrue, double[] yProb, int nBins = 5, string strategy = "uniform")
    {
        ClassificationMetrics.CheckLengths(yTrue.Length, yProb.Length);
        if (yTrue.Length == 0) throw new ArgumentException("A calibration curve of zero rows is undefined.");
        if (nBins < 1) throw new ArgumentOutOfRangeException(nameof(nBins), nBins, "n_bins must be ≥ 1.");
        if (yProb.Any(p => !(p >= 0 && p <= 1))) throw new ArgumentException("y_prob has values outside [0, 1]; pass probabilities.");
        if (yTrue.Any(y => y is not (0 or 1))) throw new ArgumentException("y_true must be 0/1 labels (binary).");
        double[] edges = strategy switch
        {
            "uniform" => Enumerable.Range(0, nBins + 1).Select(i => (double)i / nBins).ToArray(),
            "quantile" => QuantileEdges(yProb, nBins),
            _ => throw new ArgumentException($"Unknown strategy '{strategy}'. Use uniform or quantile."),
        };
        var sums = new double[nBins];
        var positives = new double[nBins];
        var totals = new int[nBins];
        for (int i = 0; i < yProb.Length; i++)
        {
            // searchsorted(edges[1:-1], p, side="left"): the number of inner edges strictly below p.
            int bin = 0;
            while (bin < nBins - 1 && edges[bin + 1] < yProb[i]) bin++;
            sums[bin] += yProb[i];
            positives[bin] += yTrue[i];
            totals[bin]++;
        }
        var nonEmpty = Enumerable.Range(0, nBins).Where(b => totals[b] > 0).ToArray();
        return new CalibrationCurve(
            nonEmpty.Select(b => positives[b] / totals[b]).ToArray(),
            nonEmpty.Select(b => sums[b] / totals[b]).ToArray(),
            nonEmpty.Select(b => totals[b]).ToArray(),
            edges);
    }

    private static double[] QuantileEdges(double[] values, int nBins)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        var edges = new double[nBins + 1];
        for (int i = 0; i <= nBins; i++)
        {
            double position = (double)i / nBins * (sorted.Length - 1);
            int lo = (int)Math.Floor(position);
            int hi = Math.Min(lo + 1, sorted.Length - 1);
            double t = position - lo, a = sorted[lo], b = sorted[hi];
            // numpy's _lerp: exact at both ends.
            edges[i] = t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
        }
        return edges;
    }
}
