namespace TorchLogistic.Data;

/// <summary>
/// Per-feature count, mean and sum of squared deviations M2 of rows seen a mini-batch at a time, in float64, so that
/// one streaming pass gives what <see cref="StandardScaler.fit"/> computes from all rows in memory. Each batch's own
/// mean and M2 are computed in two passes over the batch, then merged with Chan, Golub &amp; LeVeque's (1979) update
/// <c>M2 = M2_A + M2_B + δ²·n_A·n_B/n</c>, <c>mean = mean_A + δ·n_B/n</c> (δ = mean_B − mean_A, n = n_A + n_B): no
/// sum of squares of raw values, so no cancellation when the mean is large against the spread. Memory: O(d).
/// </summary>
public sealed class RunningMoments
{
    private readonly double[] mu;
    private readonly double[] m2;
    private readonly double[] batchMean;
    private readonly double[] batchM2;

    /// <summary>Starts with no rows.</summary>
    /// <param name="n_features">d, the number of features of each row.</param>
    public RunningMoments(int n_features)
    {
        if (n_features < 1) throw new ArgumentOutOfRangeException(nameof(n_features), n_features, $"A row needs at least one feature, not {n_features}.");
        mu = new double[n_features];
        m2 = new double[n_features];
        batchMean = new double[n_features];
        batchM2 = new double[n_features];
    }

    /// <summary>Number of features d.</summary>
    public int n_features => mu.Length;

    /// <summary>Rows seen so far.</summary>
    public long count { get; private set; }

    /// <summary>Per-feature mean of the rows seen (a copy).</summary>
    public double[] mean => (double[])mu.Clone();

    /// <summary>Per-feature population variance (divisor n) of the rows seen.</summary>
    public double[] variance => m2.Select(v => v / count).ToArray();

    /// <summary>Adds <paramref name="n_rows"/> row-major rows of <see cref="n_features"/> values.</summary>
    public void add(ReadOnlySpan<double> rows, int n_rows)
    {
        if (n_rows == 0) return;
        int d = n_features;
        if (rows.Length < n_rows * d)
            throw new ArgumentException($"{rows.Length} values cannot hold {n_rows} rows of {d} features.", nameof(rows));
        Array.Clear(batchMean);
        Array.Clear(batchM2);
        for (int i = 0; i < n_rows; i++)
        {
            var row = rows.Slice(i * d, d);
            for (int j = 0; j < d; j++) batchMean[j] += row[j];
        }
        for (int j = 0; j < d; j++) batchMean[j] /= n_rows;
        for (int i = 0; i < n_rows; i++)
        {
            var row = rows.Slice(i * d, d);
            for (int j = 0; j < d; j++)
            {
                double c = row[j] - batchMean[j];
                batchM2[j] += c * c;
            }
        }
        long n = count + n_rows;
        double shareB = (double)n_rows / n;
        double cross = (double)count * n_rows / n;
        for (int j = 0; j < d; j++)
        {
            double delta = batchMean[j] - mu[j];
            mu[j] += delta * shareB;
            m2[j] += batchM2[j] + delta * delta * cross;
        }
        count = n;
    }

    /// <summary>The <see cref="StandardScaler"/> of the rows seen: their mean and population standard deviation (1 for a constant column).</summary>
    public StandardScaler to_scaler() => StandardScaler.from_moments(mu, variance, count);
}
