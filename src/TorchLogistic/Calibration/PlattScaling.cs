namespace TorchLogistic.Calibration;

/// <summary>
/// Platt scaling, as scikit-learn 1.2's <c>_SigmoidCalibration</c>: <c>p = 1 / (1 + exp(a·z + b))</c> (a is negative when
/// larger scores mean the class). <see cref="Fit"/> minimises the weighted cross-entropy against Platt's
/// prior-corrected targets <c>t₊ = (N₊ + 1)/(N₊ + 2)</c> for the class and <c>t₋ = 1/(N₋ + 2)</c> for the rest (N the
/// summed row weights of each side), <c>Σᵢ wᵢ [tᵢ·softplus(uᵢ) + (1 − tᵢ)·softplus(−uᵢ)]</c> with <c>uᵢ = a·zᵢ + b</c>.
/// <para>
/// scikit-learn starts at <c>(0, log((N₋ + 1)/(N₊ + 1)))</c> and stops with scipy's <c>fmin_bfgs</c> (gradient norm
/// 1e-5); here Newton's method from the same start runs to the optimum of the (strictly convex) objective, so the
/// parameters are the exact minimiser, not one that depends on where BFGS stopped.
/// </para>
/// </summary>
public sealed class PlattScaling : ScoreCalibration
{
    /// <summary>A map with slope <paramref name="a"/> and offset <paramref name="b"/>: <c>p = 1 / (1 + exp(a·z + b))</c>.</summary>
    public PlattScaling(double a, double b)
    {
        if (!double.IsFinite(a) || !double.IsFinite(b)) throw new ArgumentException($"Platt parameters a = {a}, b = {b} must be finite.");
        A = a;
        B = b;
    }

    /// <summary>The slope a (scikit-learn's <c>a_</c>).</summary>
    public double A { get; }

    /// <summary>The offset b (scikit-learn's <c>b_</c>).</summary>
    public double B { get; }

    /// <inheritdoc/>
    public override CalibrationMethod Method => CalibrationMethod.Sigmoid;

    /// <inheritdoc/>
    public override double Apply(double score) => Sigmoid(-(A * score + B));

    /// <summary>Fits a and b to scores <paramref name="scores"/> of rows whose class is (1) or is not (0) the calibrated one.</summary>
    /// <param name="scores">One score per row.</param>
    /// <param name="isClass">1 for a row of the class, 0 otherwise.</param>
    /// <param name="weight">Row weights (≥ 0), or null for all 1.</param>
    public static PlattScaling Fit(double[] scores, int[] isClass, double[]? weight = null)
    {
        int m = scores.Length;
        if (isClass.Length != m || (weight != null && weight.Length != m))
            throw new ArgumentException($"{m} scores, {isClass.Length} labels and {weight?.Length ?? m} weights: give one of each per row.");
        if (m == 0) throw new ArgumentException("Platt scaling needs at least one row.");
        double prior0 = 0, prior1 = 0;
        for (int i = 0; i < m; i++)
        {
            double w = weight?[i] ?? 1;
            if (isClass[i] > 0) prior1 += w; else prior0 += w;
        }
        double high = (prior1 + 1) / (prior1 + 2), low = 1 / (prior0 + 2);
        var target = new double[m];
        for (int i = 0; i < m; i++) target[i] = isClass[i] > 0 ? high : low;
        double total = prior0 + prior1;

        double a = 0, b = Math.Log((prior0 + 1) / (prior1 + 1));
        double f = Objective(scores, target, weight, a, b);
        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            // With u = a·z + b: ∂/∂u = σ(u) − (1 − t), ∂²/∂u² = σ(u)(1 − σ(u)).
            double ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
            for (int i = 0; i < m; i++)
            {
                double w = weight?[i] ?? 1;
                double s = Sigmoid(a * scores[i] + b);
                double r = w * (s - (1 - target[i]));
                double h = w * s * (1 - s);
                ga += r * scores[i];
                gb += r;
                haa += h * scores[i] * scores[i];
                hab += h * scores[i];
                hbb += h;
            }
            if (Math.Max(Math.Abs(ga), Math.Abs(gb)) <= GradientTolerance * Math.Max(1, total)) break;
            double det = haa * hbb - hab * hab;
            double da, db;
            if (det > 0 && haa > 0)
            {
                da = -(hbb * ga - hab * gb) / det;
                db = -(haa * gb - hab * ga) / det;
            }
            else
            {
                // A singular Hessian (constant scores): a gradient step scaled by the curvature.
                double scale = 1 / Math.Max(1e-12, haa + hbb);
                da = -ga * scale;
                db = -gb * scale;
            }
            double step = 1, slope = ga * da + gb * db;
            double next = Objective(scores, target, weight, a + da, b + db);
            while (!(next <= f + 1e-4 * step * slope) && step > 1e-20)
            {
                step /= 2;
                next = Objective(scores, target, weight, a + step * da, b + step * db);
            }
            if (!(next <= f)) break;
            double oldA = a, oldB = b;
            a += step * da;
            b += step * db;
            f = next;
            if (a == oldA && b == oldB) break;
        }
        return new PlattScaling(a, b);
    }

    /// <summary>Newton iterations at most (the objective is strictly convex in two parameters; a few dozen suffice).</summary>
    private const int MaxIterations = 200;

    /// <summary>Newton stops when the gradient's largest entry is at most this times the total row weight.</summary>
    private const double GradientTolerance = 1e-14;

    private static double Objective(double[] scores, double[] target, double[]? weight, double a, double b)
    {
        double sum = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            double u = a * scores[i] + b;
            sum += (weight?[i] ?? 1) * (target[i] * Softplus(u) + (1 - target[i]) * Softplus(-u));
        }
        return sum;
    }

    private static double Softplus(double u) => u > 0 ? u + Math.Log(1 + Math.Exp(-u)) : Math.Log(1 + Math.Exp(u));

    /// <summary>The logistic function, without overflow.</summary>
    internal static double Sigmoid(double u) => u >= 0 ? 1 / (1 + Math.Exp(-u)) : Math.Exp(u) / (1 + Math.Exp(u));
}
