namespace TorchLogistic.Calibration;

/// <summary>
/// Isotonic calibration, as scikit-learn 1.2's <c>IsotonicRegression(out_of_bounds="clip")</c>: the non-decreasing
/// function of the score closest in weighted least squares to the 0/1 class indicators, kept as knots
/// <see cref="X"/> (increasing) and values <see cref="Y"/> (non-decreasing), linearly interpolated between knots and
/// constant beyond the first and last (scores are clipped to <c>[X₀, Xₙ₋₁]</c>).
/// <para>
/// <see cref="Fit"/> follows scikit-learn step by step so the knots are the same: rows of zero weight are dropped; rows are
/// sorted by score (then label); scores closer than 1e-15 to the first of a run are merged into one knot with the
/// weighted mean label and summed weight; pool-adjacent-violators (equal neighbours pooled too); then every knot whose
/// value equals both neighbours' is dropped (it changes no interpolated value).
/// </para>
/// </summary>
public sealed class IsotonicCalibration : ScoreCalibration
{
    /// <summary>The fewest rows (of positive weight) <see cref="Fit"/> accepts: isotonic regression fits one step per distinct score and overfits small samples (scikit-learn advises well over 1000; it has no minimum).</summary>
    public const int MinimumRows = 50;

    /// <summary>A map with knots <paramref name="x"/> (strictly increasing) and values <paramref name="y"/> (same length, at least one).</summary>
    public IsotonicCalibration(double[] x, double[] y)
    {
        if (x.Length == 0 || x.Length != y.Length)
            throw new ArgumentException($"An isotonic map needs as many values as knots, at least one; got {x.Length} knots and {y.Length} values.");
        for (int i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i])) throw new ArgumentException($"Knot {i} ({x[i]}, {y[i]}) is not finite.");
            if (i > 0 && !(x[i] > x[i - 1])) throw new ArgumentException($"Isotonic knots must increase; knot {i} ({x[i]}) follows {x[i - 1]}.");
        }
        X = x;
        Y = y;
    }

    /// <summary>The knots: scores, strictly increasing (scikit-learn's <c>X_thresholds_</c>).</summary>
    public double[] X { get; }

    /// <summary>The probability at each knot, non-decreasing (scikit-learn's <c>y_thresholds_</c>).</summary>
    public double[] Y { get; }

    /// <inheritdoc/>
    public override CalibrationMethod Method => CalibrationMethod.Isotonic;

    /// <summary>
    /// <c>Y</c> interpolated at <paramref name="score"/> clipped to <c>[X₀, Xₙ₋₁]</c>: between knots j and j + 1 (j the last knot
    /// below the score), <c>Yⱼ + (Yⱼ₊₁ − Yⱼ)/(Xⱼ₊₁ − Xⱼ)·(s − Xⱼ)</c>, as scipy's <c>interp1d</c> computes it.
    /// </summary>
    public override double Apply(double score)
    {
        int n = X.Length;
        if (n == 1) return Y[0];
        double s = Math.Clamp(score, X[0], X[n - 1]);
        // scipy: searchsorted(x, s) (left), then the interval below it (the first for s = X₀).
        int hi = Array.BinarySearch(X, s);
        if (hi < 0) hi = ~hi;
        hi = Math.Clamp(hi, 1, n - 1);
        int lo = hi - 1;
        double slope = (Y[hi] - Y[lo]) / (X[hi] - X[lo]);
        return slope * (s - X[lo]) + Y[lo];
    }

    /// <summary>Fits the map to scores <paramref name="scores"/> of rows whose class is (1) or is not (0) the calibrated one.</summary>
    /// <param name="scores">One score per row, finite.</param>
    /// <param name="isClass">1 for a row of the class, 0 otherwise.</param>
    /// <param name="weight">Row weights (≥ 0), or null for all 1.</param>
    /// <exception cref="ArgumentException">Fewer than <see cref="MinimumRows"/> rows of positive weight.</exception>
    public static IsotonicCalibration Fit(double[] scores, int[] isClass, double[]? weight = null)
    {
        int m = scores.Length;
        if (isClass.Length != m || (weight != null && weight.Length != m))
            throw new ArgumentException($"{m} scores, {isClass.Length} labels and {weight?.Length ?? m} weights: give one of each per row.");
        var rows = Enumerable.Range(0, m).Where(i => weight == null || weight[i] > 0).ToArray();
        if (rows.Length < MinimumRows)
            throw new ArgumentException($"Isotonic calibration needs at least {MinimumRows} rows of positive weight; there are {rows.Length}. Use CalibrationMethod.Sigmoid (2 parameters) or more rows.");
        // numpy's lexsort((y, X)): by score, then label; stable.
        var order = rows.OrderBy(i => scores[i]).ThenBy(i => isClass[i] > 0 ? 1 : 0).ToArray();

        // scikit-learn's _make_unique: a new knot when the score is at least eps (float64 resolution) above the run's first.
        const double eps = 1e-15;
        var ux = new List<double>();
        var uy = new List<double>();
        var uw = new List<double>();
        double currentX = scores[order[0]], currentY = 0, currentW = 0;
        foreach (int i in order)
        {
            double w = weight?[i] ?? 1, y = isClass[i] > 0 ? 1 : 0;
            if (scores[i] - currentX >= eps)
            {
                ux.Add(currentX);
                uw.Add(currentW);
                uy.Add(currentY / currentW);
                currentX = scores[i];
                currentW = w;
                currentY = y * w;
            }
            else
            {
                currentW += w;
                currentY += y * w;
            }
        }
        ux.Add(currentX);
        uw.Add(currentW);
        uy.Add(currentY / currentW);

        double[] fitted = PoolAdjacentViolators(uy.ToArray(), uw.ToArray());
        var keptX = new List<double>();
        var keptY = new List<double>();
        for (int j = 0; j < fitted.Length; j++)
        {
            bool inner = j > 0 && j < fitted.Length - 1;
            if (!inner || fitted[j] != fitted[j - 1] || fitted[j] != fitted[j + 1])
            {
                keptX.Add(ux[j]);
                keptY.Add(fitted[j]);
            }
        }
        return new IsotonicCalibration(keptX.ToArray(), keptY.ToArray());
    }

    /// <summary>
    /// The weighted isotonic (non-decreasing) least-squares fit of <paramref name="y"/>, scikit-learn's single-pass
    /// <c>_inplace_contiguous_isotonic_regression</c>: blocks [i..j] are kept as <c>target[i] = j</c>, <c>target[j] = i</c>;
    /// a block not strictly below its successor is pooled with it (weighted mean), backtracking one block.
    /// </summary>
    private static double[] PoolAdjacentViolators(double[] y, double[] w)
    {
        int n = y.Length;
        y = (double[])y.Clone();
        w = (double[])w.Clone();
        var target = Enumerable.Range(0, n).ToArray();
        int i = 0;
        while (i < n)
        {
            int k = target[i] + 1;
            if (k == n) break;
            if (y[i] < y[k])
            {
                i = k;
                continue;
            }
            double sumWy = w[i] * y[i], sumW = w[i];
            while (true)
            {
                double previous = y[k];
                sumWy += w[k] * y[k];
                sumW += w[k];
                k = target[k] + 1;
                if (k == n || previous < y[k])
                {
                    y[i] = sumWy / sumW;
                    w[i] = sumW;
                    target[i] = k - 1;
                    target[k - 1] = i;
                    if (i > 0) i = target[i - 1];
                    break;
                }
            }
        }
        i = 0;
        while (i < n)
        {
            int k = target[i] + 1;
            for (int j = i + 1; j < k; j++) y[j] = y[i];
            i = k;
        }
        return y;
    }
}
