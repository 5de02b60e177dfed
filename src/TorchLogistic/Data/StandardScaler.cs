namespace TorchLogistic.Data;

/// <summary>
/// Standardises features as scikit-learn's <c>StandardScaler</c> does: <c>(x − mean) / scale</c> with the mean
/// and the population standard deviation (divisor n) of the rows it was fitted on; a constant column gets
/// scale 1, so it is centred but not divided by zero.
/// </summary>
public sealed class StandardScaler
{
    /// <summary>Creates a scaler from known statistics (e.g. read from a model file).</summary>
    public StandardScaler(double[] mean, double[] scale)
    {
        if (mean.Length != scale.Length)
            throw new ArgumentException($"Scaler has {mean.Length} means but {scale.Length} scales.");
        if (scale.Any(s => !(s > 0) || !double.IsFinite(s)))
            throw new ArgumentException("Scaler scales must be finite and positive.");
        this.mean = mean;
        this.scale = scale;
    }

    /// <summary>Per-feature mean of the fitted rows.</summary>
    public double[] mean { get; }

    /// <summary>Per-feature divisor: the population standard deviation, or 1 for a constant column.</summary>
    public double[] scale { get; }

    /// <summary>Number of features.</summary>
    public int n_features => mean.Length;

    /// <summary>Fits mean and scale on the rows of <paramref name="data"/> (the training rows only).</summary>
    public static StandardScaler fit(Dataset data)
    {
        int m = data.n_samples, d = data.n_features;
        if (m == 0) throw new ArgumentException("Cannot fit a scaler on zero rows.");
        var mean = new double[d];
        var scale = new double[d];
        for (int j = 0; j < d; j++)
        {
            double sum = 0;
            for (int i = 0; i < m; i++) sum += data[i, j];
            double mu = sum / m;
            double ss = 0;
            for (int i = 0; i < m; i++)
            {
                double c = data[i, j] - mu;
                ss += c * c;
            }
            mean[j] = mu;
            scale[j] = scale_of(mu, ss / m, m);
        }
        return new StandardScaler(mean, scale);
    }

    /// <summary>
    /// The scaler of <paramref name="n_samples"/> rows with per-feature <paramref name="mean"/> and population
    /// <paramref name="variance"/> (divisor n) computed elsewhere — e.g. in one streaming pass
    /// (<see cref="RunningMoments"/>); constant columns get scale 1, as in <see cref="fit"/>.
    /// </summary>
    public static StandardScaler from_moments(double[] mean, double[] variance, long n_samples)
    {
        if (n_samples <= 0) throw new ArgumentException("Cannot fit a scaler on zero rows.");
        if (mean.Length != variance.Length)
            throw new ArgumentException($"{mean.Length} means but {variance.Length} variances.");
        var scale = new double[mean.Length];
        for (int j = 0; j < mean.Length; j++) scale[j] = scale_of(mean[j], variance[j], n_samples);
        return new StandardScaler((double[])mean.Clone(), scale);
    }

    /// <summary>The divisor of a column: its standard deviation, or 1 when the column is constant.</summary>
    private static double scale_of(double mean, double variance, long m)
    {
        // scikit-learn's _is_constant_feature: a variance within rounding error of zero is a constant column.
        const double eps = 2.220446049250313e-16;
        double bound = m * eps * variance + Math.Pow(m * mean * eps, 2);
        return variance <= bound ? 1.0 : Math.Sqrt(variance);
    }

    /// <summary>A copy of <paramref name="data"/> with every feature standardised.</summary>
    public Dataset transform(Dataset data)
    {
        if (data.n_features != n_features)
            throw new ArgumentException($"Scaler was fitted on {n_features} features but the data has {data.n_features}.");
        return data.with_features(transform(data.features, data.n_samples), data.feature_names);
    }

    /// <summary>Standardises row-major values of <paramref name="n_samples"/> rows.</summary>
    public double[] transform(double[] features, int n_samples)
    {
        var result = new double[features.Length];
        transform(features, result, n_samples);
        return result;
    }

    /// <summary>
    /// Standardises row-major <paramref name="features"/> of <paramref name="n_samples"/> rows into
    /// <paramref name="destination"/> (which may be the same memory: a mini-batch is scaled in place).
    /// </summary>
    public void transform(ReadOnlySpan<double> features, Span<double> destination, int n_samples)
    {
        int d = n_features;
        for (int i = 0; i < n_samples; i++)
        {
            for (int j = 0; j < d; j++)
            {
                int k = i * d + j;
                destination[k] = (features[k] - mean[j]) / scale[j];
            }
        }
    }
}
