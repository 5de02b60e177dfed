namespace TorchLogistic.Inference;

/// <summary>
/// The special functions statistical inference needs, in float64 without extra packages: the complementary
/// error function (W. J. Cody's rational Chebyshev approximations, CALERF, 1969/1985 — relative error below
/// 1e-15 over the whole line), the normal distribution's CDF, survival function and quantile, ln Γ, the
/// regularised incomplete gamma functions and the chi-squared survival function. Checked against scipy.
/// </summary>
public static class SpecialFunctions
{
    private const double SqrtPiInverse = 5.6418958354775628695e-1;   // 1/√π
    private const double Threshold = 0.46875;
    // x·√½ as one rounded product, as scipy's ndtr: erfc's relative condition number 2z² amplifies a one-ulp
    // difference in its argument to 1e-13 at z = 21, so the argument must be formed the same way to agree.
    private const double SqrtHalf = 0.70710678118654752440;
    private const double XBig = 26.543;                               // erfc(x) underflows beyond this

    private static readonly double[] A = { 3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02, 3.20937758913846947e03, 1.85777706184603153e-1 };
    private static readonly double[] B = { 2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03, 2.84423683343917062e03 };
    private static readonly double[] C =
    {
        5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01, 2.98635138197400131e02, 8.81952221241769090e02,
        1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8,
    };
    private static readonly double[] D =
    {
        1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02, 1.62138957456669019e03, 3.29079923573345963e03,
        4.36261909014324716e03, 3.43936767414372164e03, 1.23033935480374942e03,
    };
    private static readonly double[] P = { 3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2 };
    private static readonly double[] Q = { 2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1, 6.05183413124413191e-2, 2.33520497626869185e-3 };

    private static readonly double[] Lanczos =
    {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    };

    /// <summary>The complementary error function <c>erfc(x) = (2/√π) ∫ₓ^∞ e^(−t²) dt</c>, with full relative accuracy for large x.</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        double y = Math.Abs(x);
        double result;
        if (y <= Threshold)
        {
            double ysq = y > 1.11e-16 ? y * y : 0;
            double num = A[4] * ysq, den = ysq;
            for (int i = 0; i < 3; i++)
            {
                num = (num + A[i]) * ysq;
                den = (den + B[i]) * ysq;
            }
            return 1 - x * (num + A[3]) / (den + B[3]);
        }
        if (y <= 4)
        {
            double num = C[8] * y, den = y;
            for (int i = 0; i < 7; i++)
            {
                num = (num + C[i]) * y;
                den = (den + D[i]) * y;
            }
            result = ScaledByGaussian(y, (num + C[7]) / (den + D[7]));
        }
        else if (y >= XBig)
        {
            result = 0;
        }
        else
        {
            double ysq = 1 / (y * y);
            double num = P[5] * ysq, den = ysq;
            for (int i = 0; i < 4; i++)
            {
                num = (num + P[i]) * ysq;
                den = (den + Q[i]) * ysq;
            }
            result = ScaledByGaussian(y, (SqrtPiInverse - ysq * (num + P[4]) / (den + Q[4])) / y);
        }
        return x < 0 ? 2 - result : result;
    }

    /// <summary>The error function <c>erf(x) = 1 − erfc(x)</c>.</summary>
    public static double Erf(double x) => Math.Abs(x) <= Threshold ? 1 - Erfc(x) : (x < 0 ? Erfc(-x) - 1 : 1 - Erfc(x));

    /// <summary>Standard normal CDF <c>Φ(x) = ½·erfc(−x/√2)</c>, accurate in the lower tail.</summary>
    public static double NormalCdf(double x) => 0.5 * Erfc(-x * SqrtHalf);

    /// <summary>Standard normal survival function <c>1 − Φ(x) = ½·erfc(x/√2)</c>, accurate in the upper tail.</summary>
    public static double NormalSurvival(double x) => 0.5 * Erfc(x * SqrtHalf);

    /// <summary>Standard normal density <c>φ(x) = e^(−x²/2)/√(2π)</c>.</summary>
    public static double NormalPdf(double x) => Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);

    /// <summary>
    /// Standard normal quantile <c>Φ⁻¹(p)</c> for p in (0, 1): Abramowitz–Stegun 26.2.23 as the start, then Halley
    /// steps on <see cref="NormalCdf"/> (or <see cref="NormalSurvival"/> above ½) to full precision.
    /// </summary>
    public static double NormalInverseCdf(double p)
    {
        if (double.IsNaN(p) || p < 0 || p > 1) throw new ArgumentOutOfRangeException(nameof(p), p, $"Probability {p} must be in [0, 1].");
        if (p == 0) return double.NegativeInfinity;
        if (p == 1) return double.PositiveInfinity;
        if (p == 0.5) return 0;
        // Work in the lower tail: Φ⁻¹(p) = −Φ⁻¹(1 − p), with 1 − p passed as is when p > ½ (no cancellation in q).
        bool upper = p > 0.5;
        double q = upper ? 1 - p : p;
        double t = Math.Sqrt(-2 * Math.Log(q));
        double x = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
        for (int i = 0; i < 50; i++)
        {
            double density = NormalPdf(x);
            if (density == 0) break;
            double e = (upper ? NormalSurvival(-x) : NormalCdf(x)) - (upper ? 1 - p : p);
            double step = e / density / (1 + x * e / (2 * density));
            x -= step;
            if (Math.Abs(step) <= 1e-16 * Math.Max(1, Math.Abs(x))) break;
        }
        return upper ? -x : x;
    }

    /// <summary><c>ln Γ(x)</c> for x &gt; 0 (Lanczos, g = 7, nine terms; relative error about 1e-15).</summary>
    public static double GammaLn(double x)
    {
        if (!(x > 0)) throw new ArgumentOutOfRangeException(nameof(x), x, $"gammaln needs x > 0; got {x}.");
        if (x < 0.5) return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - GammaLn(1 - x);
        x -= 1;
        double sum = Lanczos[0];
        for (int i = 1; i < Lanczos.Length; i++) sum += Lanczos[i] / (x + i);
        double t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }

    /// <summary>Regularised lower incomplete gamma <c>P(a, x) = γ(a, x)/Γ(a)</c> (scipy's <c>gammainc</c>).</summary>
    public static double GammaLowerRegularized(double a, double x)
    {
        CheckGammaArguments(a, x);
        if (x == 0) return 0;
        return x < a + 1 ? GammaSeries(a, x) : 1 - GammaContinuedFraction(a, x);
    }

    /// <summary>Regularised upper incomplete gamma <c>Q(a, x) = Γ(a, x)/Γ(a) = 1 − P(a, x)</c> (scipy's <c>gammaincc</c>), accurate in the far tail.</summary>
    public static double GammaUpperRegularized(double a, double x)
    {
        CheckGammaArguments(a, x);
        if (x == 0) return 1;
        return x < a + 1 ? 1 - GammaSeries(a, x) : GammaContinuedFraction(a, x);
    }

    /// <summary>Chi-squared survival function <c>P(χ²_df &gt; x) = Q(df/2, x/2)</c>.</summary>
    /// <param name="x">Statistic, ≥ 0.</param>
    /// <param name="df">Degrees of freedom, &gt; 0.</param>
    public static double ChiSquaredSurvival(double x, double df)
    {
        if (!(df > 0)) throw new ArgumentOutOfRangeException(nameof(df), df, $"Degrees of freedom {df} must be > 0.");
        return x <= 0 ? 1 : GammaUpperRegularized(df / 2, x / 2);
    }

    /// <summary>e^(−y²)·r computed as Cody does, splitting y² so that no precision is lost for large y.</summary>
    private static double ScaledByGaussian(double y, double r)
    {
        double ysq = Math.Truncate(y * 16) / 16;
        double del = (y - ysq) * (y + ysq);
        return Math.Exp(-ysq * ysq) * Math.Exp(-del) * r;
    }

    private static void CheckGammaArguments(double a, double x)
    {
        if (!(a > 0)) throw new ArgumentOutOfRangeException(nameof(a), a, $"The shape a = {a} must be > 0.");
        if (!(x >= 0)) throw new ArgumentOutOfRangeException(nameof(x), x, $"x = {x} must be ≥ 0.");
    }

    /// <summary>P(a, x) by its power series, for x &lt; a + 1.</summary>
    private static double GammaSeries(double a, double x)
    {
        double term = 1 / a, sum = term;
        for (int n = 1; n < 10_000; n++)
        {
            term *= x / (a + n);
            sum += term;
            if (Math.Abs(term) < Math.Abs(sum) * 1e-17) break;
        }
        return sum * Math.Exp(-x + a * Math.Log(x) - GammaLn(a));
    }

    /// <summary>Q(a, x) by its continued fraction (modified Lentz), for x ≥ a + 1.</summary>
    private static double GammaContinuedFraction(double a, double x)
    {
        const double tiny = 1e-300;
        double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
        for (int i = 1; i < 10_000; i++)
        {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.Abs(d) < tiny) d = tiny;
            c = b + an / c;
            if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) <= 2.3e-16) break;
        }
        return Math.Exp(-x + a * Math.Log(x) - GammaLn(a)) * h;
    }
}
