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
        this.Mean = mean;
        this.Scale = scale;
    }

    /// <summary>Per-feature mean of the fitted rows.</summary>
    public double[] Mean { get; }

    /// <summary>Per-feature divisor: the population standard deviation, or 1 for a constant column.</summary>
    public double[] Scale { get; }

    /// <summary>Number of features.</summary>
    public int FeatureCount => Mean.Length;

    /// <summary>Fits mean and scale on the rows of <paramref name="data"/> (the training rows only).</summary>
    public static StandardScaler Fit(Dataset data)
    {
        int m = data.SampleCount, d = data.FeatureCount;
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
            scale[j] = ScaleOf(mu, ss / m, m);
        }
        return new StandardScaler(mean, scale);
    }

    /// <summary>
    /// The scaler of <paramref name="sampleCount"/> rows with per-feature <paramref name="mean"/> and population
    /// <paramref name="variance"/> (divisor n) computed elsewhere — e.g. in one streaming pass
    /// (<see cref="RunningMoments"/>); constant columns get scale 1, as in <see cref="Fit"/>.
    /// </summary>
    public static StandardScaler FromMoments(double[] mean, double[] variance, long sampleCount)
    {
        if (sampleCount <= 0) throw new ArgumentException("Cannot fit a scaler on zero rows.");
        if (mean.Length != variance.Length)
            throw new ArgumentException($"{mean.Length} means but {variance.Length} variances.");
        var scale = new double[mean.Length];
        for (int j = 0; j < mean.Length; j++) scale[j] = ScaleOf(mean[j], variance[j], sampleCount);
        return new StandardScaler((double[])mean.Clone(), scale);
    }

    /// <summary>
    /// Fits the scale of sparse rows without centring, as scikit-learn's <c>StandardScaler(with_mean=False)</c>
    /// (the only standardisation that keeps a sparse matrix sparse): <c>x / scale</c>, scale the population
    /// standard deviation of each column (zeros included), 1 for a constant column; <see cref="Mean"/> is all zeros.
    /// </summary>
    public static StandardScaler FitWithoutCentering(SparseDataset data)
    {
        int m = data.SampleCount, d = data.FeatureCount;
        if (m == 0) throw new ArgumentException("Cannot fit a scaler on zero rows.");
        var x = data.Features;
        var sum = new double[d];
        var count = new int[d];
        for (int p = 0; p < x.NonZeroCount; p++)
        {
            sum[x.ColumnIndices[p]] += x.Values[p];
            count[x.ColumnIndices[p]]++;
        }
        var mean = new double[d];
        for (int j = 0; j < d; j++) mean[j] = sum[j] / m;
        // Σᵢ (xᵢⱼ − μⱼ)²: the stored entries, then the (m − nnzⱼ) implicit zeros, each (0 − μⱼ)².
        var squares = new double[d];
        for (int p = 0; p < x.NonZeroCount; p++)
        {
            double c = x.Values[p] - mean[x.ColumnIndices[p]];
            squares[x.ColumnIndices[p]] += c * c;
        }
        var scale = new double[d];
        for (int j = 0; j < d; j++)
        {
            double variance = (squares[j] + (double)(m - count[j]) * mean[j] * mean[j]) / m;
            scale[j] = ScaleOf(mean[j], variance, m);
        }
        return new StandardScaler(new double[d], scale);
    }

    /// <summary>A copy of sparse rows with every column divided by its scale; refused for a centring scaler, which would make them dense.</summary>
    public SparseDataset Transform(SparseDataset data)
    {
        if (data.FeatureCount != FeatureCount)
            throw new ArgumentException($"Scaler was fitted on {FeatureCount} features but the data has {data.FeatureCount}.");
        if (Mean.Any(mu => mu != 0))
            throw new ArgumentException("A centring scaler would make sparse rows dense; fit the scaler with StandardScaler.FitWithoutCentering.");
        return new SparseDataset(data.Name, data.Features.ScaleColumns(Scale.Select(s => 1 / s).ToArray()), data.Labels, data.Classes, data.SampleWeight);
    }

    /// <summary>The divisor of a column: its standard deviation, or 1 when the column is constant.</summary>
    private static double ScaleOf(double mean, double variance, long m)
    {
        // scikit-learn's _is_constant_feature: a variance within rounding error of zero is a constant column.
        const double epsilon = 2.220446049250313e-16;
        double bound = m * epsilon * variance + Math.Pow(m * mean * epsilon, 2);
        return variance <= bound ? 1.0 : Math.Sqrt(variance);
    }

    /// <summary>A copy of <paramref name="data"/> with every feature standardised.</summary>
    public Dataset Transform(Dataset data)
    {
        if (data.FeatureCount != FeatureCount)
            throw new ArgumentException($"Scaler was fitted on {FeatureCount} features but the data has {data.FeatureCount}.");
        return data.WithFeatures(Transform(data.Features, data.SampleCount), data.FeatureNames);
    }

    /// <summary>Standardises row-major values of <paramref name="sampleCount"/> rows.</summary>
    public double[] Transform(double[] features, int sampleCount)
    {
        var result = new double[features.Length];
        Transform(features, result, sampleCount);
        return result;
    }

    /// <summary>
    /// Standardises row-major <paramref name="features"/> of <paramref name="sampleCount"/> rows into
    /// <paramref name="destination"/> (which may be the same memory: a mini-batch is scaled in place).
    /// </summary>
    public void Transform(ReadOnlySpan<double> features, Span<double> destination, int sampleCount)
    {
        int d = FeatureCount;
        for (int i = 0; i < sampleCount; i++)
        {
            for (int j = 0; j < d; j++)
            {
                int k = i * d + j;
                destination[k] = (features[k] - Mean[j]) / Scale[j];
            }
        }
    }
}
