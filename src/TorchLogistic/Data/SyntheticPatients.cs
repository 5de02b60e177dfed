namespace TorchLogistic.Data;

/// <summary>
/// A made-up, seeded "patient survives or dies" data set for studying class imbalance: rows are drawn from a known
/// logistic model in which a few percent of patients die, so every number computed from it has a ground truth.
/// It is not clinical data and its numbers mean nothing medically.
/// </summary>
/// <remarks>
/// Each row draws, independently: age ~ N(65, 12²) years, systolic blood pressure ~ N(125, 20²) mmHg, heart rate
/// ~ N(88, 15²) beats/min, lactate = exp(N(ln 1.6, 0.45²)) mmol/L and oxygen saturation ~ N(95, 3²) %. The label is
/// class 1 ("dies") with probability σ(z), z = <see cref="TrueIntercept"/> + Σⱼ <see cref="TrueCoefficients"/>ⱼ·xⱼ
/// (raw units), else class 0 ("survives"). About 8 % of rows are class 1 (<see cref="ExpectedPrevalence"/>).
/// Normal draws use the Box–Muller transform on <see cref="Random"/> seeded with the seed, so a seed always gives
/// the same rows.
/// </remarks>
public static class SyntheticPatients
{
    /// <summary>The feature names, in column order.</summary>
    public static IReadOnlyList<string> FeatureNames { get; } =
        new[] { "age", "systolic_bp", "heart_rate", "lactate", "oxygen_saturation" };

    /// <summary>The class names: 0 survives, 1 dies (the rare, positive class).</summary>
    public static IReadOnlyList<string> Classes { get; } = new[] { "survives", "dies" };

    /// <summary>
    /// The generating model's coefficients per raw unit, in column order: +0.05 per year of age, −0.03 per mmHg of
    /// blood pressure, +0.03 per heartbeat/min, +0.8 per mmol/L of lactate, −0.15 per % of oxygen saturation.
    /// </summary>
    public static IReadOnlyList<double> TrueCoefficients { get; } = new[] { 0.05, -0.03, 0.03, 0.8, -0.15 };

    /// <summary>
    /// The generating model's intercept in raw units: −3.2 at the centre point (age 65, 125 mmHg, 88/min,
    /// 1.6 mmol/L, 95 %), i.e. −3.2 − Σⱼ βⱼ·centreⱼ.
    /// </summary>
    public static double TrueIntercept { get; } = -3.2 - (0.05 * 65 - 0.03 * 125 + 0.03 * 88 + 0.8 * 1.6 - 0.15 * 95);

    /// <summary>The share of class 1 the model gives, E[σ(z)] ≈ 0.08 (estimated from 10⁶ rows of seed 12345: 0.0786).</summary>
    public const double ExpectedPrevalence = 0.0786;

    /// <summary>Draws <paramref name="sampleCount"/> rows with seed <paramref name="seed"/>.</summary>
    /// <param name="sampleCount">Rows to draw, ≥ 1.</param>
    /// <param name="seed">Seed; the same seed gives the same rows.</param>
    public static Dataset Generate(int sampleCount, int seed)
    {
        if (sampleCount < 1) throw new ArgumentOutOfRangeException(nameof(sampleCount), sampleCount, $"n_samples = {sampleCount} must be ≥ 1.");
        var random = new Random(seed);
        double Normal()
        {
            // Box–Muller; 1 − U keeps the logarithm's argument in (0, 1].
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
        int d = FeatureNames.Count;
        var x = new double[(long)sampleCount * d];
        var y = new int[sampleCount];
        for (int i = 0; i < sampleCount; i++)
        {
            var row = x.AsSpan(i * d, d);
            row[0] = 65 + 12 * Normal();
            row[1] = 125 + 20 * Normal();
            row[2] = 88 + 15 * Normal();
            row[3] = Math.Exp(Math.Log(1.6) + 0.45 * Normal());
            row[4] = 95 + 3 * Normal();
            double z = TrueIntercept;
            for (int j = 0; j < d; j++) z += TrueCoefficients[j] * row[j];
            y[i] = random.NextDouble() < 1 / (1 + Math.Exp(-z)) ? 1 : 0;
        }
        return new Dataset($"synthetic-patients (seed {seed})", x, sampleCount, d, y, Classes.ToArray(), FeatureNames.ToArray());
    }
}
