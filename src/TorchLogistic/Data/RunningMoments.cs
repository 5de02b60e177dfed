namespace TorchLogistic.Data;

/// <summary>
/// Per-feature count, mean and sum of squared deviations M2 of rows seen a mini-batch at a time, in float64, so that
/// one streaming pass gives what <see cref="StandardScaler.Fit"/> computes from all rows in memory. Each batch's own
/// mean and M2 are computed in two passes over the batch, then merged with Chan, Golub &amp; LeVeque's (1979) update
/// <c>M2 = M2_A + M2_B + δ²·n_A·n_B/n</c>, <c>mean = mean_A + δ·n_B/n</c> (δ = mean_B − mean_A, n = n_A + n_B): no
/// sum of squares of raw values, so no cancellation when the mean is large against the spread. Memory: O(d).
/// </summary>
public sealed class RunningMoments
{
    private readonly double[] _mu;
    private readonly double[] _m2;
    private readonly double[] _batchMean;
    private readonly double[] _batchM2;

    /// <summary>Starts with no rows.</summary>
    /// <param name="featureCount">d, the number of features of each row.</param>
    public RunningMoments(int featureCount)
    {
        if (featureCount < 1) throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, $"A row needs at least one feature, not {featureCount}.");
        _mu = new double[featureCount];
        _m2 = new double[featureCount];
        _batchMean = new double[featureCount];
        _batchM2 = new double[featureCount];
    }

    /// <summary>Number of features d.</summary>
    public int FeatureCount => _mu.Length;

    /// <summary>Rows seen so far.</summary>
    public long Count { get; private set; }

    /// <summary>Per-feature mean of the rows seen (a copy).</summary>
    public double[] Mean => (double[])_mu.Clone();

    /// <summary>Per-feature population variance (divisor n) of the rows seen.</summary>
    public double[] Variance => _m2.Select(v => v / Count).ToArray();

    /// <summary>Adds <paramref name="rowCount"/> row-major rows of <see cref="FeatureCount"/> values.</summary>
    public void Add(ReadOnlySpan<double> rows, int rowCount)
    {
        if (rowCount == 0) return;
        int d = FeatureCount;
        if (rows.Length < rowCount * d)
            throw new ArgumentException($"{rows.Length} values cannot hold {rowCount} rows of {d} features.", nameof(rows));
        Array.Clear(_batchMean);
        Array.Clear(_batchM2);
        for (int i = 0; i < rowCount; i++)
        {
            var row = rows.Slice(i * d, d);
            for (int j = 0; j < d; j++) _batchMean[j] += row[j];
        }
        for (int j = 0; j < d; j++) _batchMean[j] /= rowCount;
        for (int i = 0; i < rowCount; i++)
        {
            var row = rows.Slice(i * d, d);
            for (int j = 0; j < d; j++)
            {
                double c = row[j] - _batchMean[j];
                _batchM2[j] += c * c;
            }
        }
        long n = Count + rowCount;
        double shareB = (double)rowCount / n;
        double cross = (double)Count * rowCount / n;
        for (int j = 0; j < d; j++)
        {
            double delta = _batchMean[j] - _mu[j];
            _mu[j] += delta * shareB;
            _m2[j] += _batchM2[j] + delta * delta * cross;
        }
        Count = n;
    }

    /// <summary>The <see cref="StandardScaler"/> of the rows seen: their mean and population standard deviation (1 for a constant column).</summary>
    public StandardScaler ToScaler() => StandardScaler.FromMoments(_mu, Variance, Count);
}
