using TorchLogistic.Data;

namespace TorchLogistic.Inference;

/// <summary>
/// Profile-likelihood confidence intervals for a binary logistic regression (R's <c>confint</c> on a <c>glm</c>, MASS's
/// profiling method, which statsmodels' <c>Logit</c> lacks). For each coefficient βⱼ the bounds solve
/// <c>2(ℓ̂ − ℓ_p(βⱼ)) = χ²₁(1 − α)</c> on each side of β̂ⱼ, where <c>ℓ_p(b) = max ℓ(β) over β with βⱼ = b</c> is found by
/// Newton's method on the other coefficients (warm-started along the profile). The roots are bracketed by doubling
/// steps from β̂ⱼ ± z·seⱼ and then refined by Newton steps on the profile (whose slope is −2·∂ℓ/∂βⱼ at the constrained
/// fit) kept inside the bracket, falling back to bisection. MASS interpolates a spline through a grid of profile
/// points instead, so its bounds differ from these exact roots by about 1e-5.
/// </summary>
public static class ProfileIntervals
{
    private const int MaxNewton = 200;
    private const int MaxDoublings = 40;
    private const int MaxRootSteps = 200;

    /// <summary>The profile-likelihood intervals of the unpenalised binary fit <paramref name="result"/> on <paramref name="rows"/>.</summary>
    /// <param name="result">Inference of an unpenalised binary model (<see cref="InferenceResult.Model"/> <c>Logit</c>, penalty <c>none</c>).</param>
    /// <param name="rows">The training rows as the model sees them (<see cref="LogitInference.ModelRows"/>); sample weights count as frequency weights.</param>
    public static ProfileIntervalsResult Of(InferenceResult result, Dataset rows)
    {
        if (result.Model != "Logit" || result.Penalty != "none")
            throw new ArgumentException($"Profile-likelihood intervals are computed for unpenalised binary models; this one is {result.Model} with penalty {result.Penalty}.");
        var table = result.Equations[0];
        bool intercept = table.Names.Length == rows.FeatureCount + 1;
        int m = rows.SampleCount, p = table.Names.Length, o = intercept ? 1 : 0;
        var x = new double[m * p];
        for (int i = 0; i < m; i++)
        {
            if (intercept) x[i * p] = 1;
            for (int f = 0; f < rows.FeatureCount; f++) x[i * p + o + f] = rows[i, f];
        }
        var y = rows.Labels.Select(l => l == 1 ? 1.0 : 0.0).ToArray();
        var w = rows.SampleWeight ?? Enumerable.Repeat(1.0, m).ToArray();
        var fit = new Likelihood(x, y, w, m, p);
        var estimate = (double[])table.Coefficients.Clone();
        double best = fit.LogLikelihood(estimate);
        double z = SpecialFunctions.NormalInverseCdf(1 - result.Alpha / 2);
        double cutoff = z * z;
        var lower = new double[p];
        var upper = new double[p];
        for (int j = 0; j < p; j++)
        {
            double step = z * table.StandardErrors[j];
            lower[j] = Bound(fit, estimate, j, -1, step, best, cutoff);
            upper[j] = Bound(fit, estimate, j, +1, step, best, cutoff);
        }
        return new ProfileIntervalsResult(table.Names, estimate, lower, upper, result.Alpha);
    }

    /// <summary>The root t > 0 of 2(ℓ̂ − ℓ_p(β̂ⱼ + side·t)) = cutoff, returned as β̂ⱼ + side·t (±∞ when there is none).</summary>
    private static double Bound(Likelihood fit, double[] estimate, int j, int side, double step, double best, double cutoff)
    {
        var beta = (double[])estimate.Clone();
        double Gap(double t, out double slope)
        {
            beta[j] = estimate[j] + side * t;
            double ll = fit.Constrained(beta, j, out double scoreJ);
            slope = -2 * side * scoreJ;
            return 2 * (best - ll) - cutoff;
        }
        double lo = 0, hi = step > 0 && double.IsFinite(step) ? step : 1;
        double g = Gap(hi, out double dg);
        int doublings = 0;
        while (g < 0)
        {
            if (++doublings > MaxDoublings) return side * double.PositiveInfinity;
            lo = hi;
            hi *= 2;
            g = Gap(hi, out dg);
        }
        double t = hi;
        for (int s = 0; s < MaxRootSteps && Math.Abs(g) > 1e-12 && hi - lo > 1e-14 * (1 + hi); s++)
        {
            double next = dg > 0 ? t - g / dg : double.NaN;
            if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
            t = next;
            g = Gap(t, out dg);
            if (g < 0) lo = t;
            else hi = t;
        }
        return estimate[j] + side * t;
    }

    /// <summary>The weighted binary log-likelihood Σ wᵢ[yᵢ ln pᵢ + (1 − yᵢ) ln(1 − pᵢ)] and its constrained maximisation.</summary>
    private sealed class Likelihood(double[] x, double[] y, double[] w, int m, int p)
    {
        public double LogLikelihood(double[] beta)
        {
            double ll = 0;
            for (int i = 0; i < m; i++)
            {
                double eta = Eta(beta, i);
                // ln p = −ln(1 + e^−η), ln(1 − p) = −ln(1 + e^η), both computed stably.
                ll -= w[i] * (y[i] * Softplus(-eta) + (1 - y[i]) * Softplus(eta));
            }
            return ll;
        }

        /// <summary>Maximises ℓ over every coefficient but <paramref name="j"/> (held at beta[j]), in place; returns ℓ and ∂ℓ/∂βⱼ there.</summary>
        public double Constrained(double[] beta, int j, out double scoreJ)
        {
            int q = p - 1;
            double ll = LogLikelihood(beta);
            var trial = new double[p];
            for (int iteration = 0; iteration < MaxNewton; iteration++)
            {
                var score = new double[p];
                var info = new double[q * q];
                for (int i = 0; i < m; i++)
                {
                    double prob = 1 / (1 + Math.Exp(-Eta(beta, i)));
                    double r = w[i] * (y[i] - prob), h = w[i] * prob * (1 - prob);
                    for (int a = 0, fa = 0; a < p; a++)
                    {
                        score[a] += r * x[i * p + a];
                        if (a == j) continue;
                        double ha = h * x[i * p + a];
                        for (int b = 0, fb = 0; b < p; b++)
                        {
                            if (b == j) continue;
                            info[fa * q + fb] += ha * x[i * p + b];
                            fb++;
                        }
                        fa++;
                    }
                }
                if (q == 0) break;
                var inverse = SymmetricInverse.Of(info, q);
                var delta = new double[p];
                double largest = 0;
                for (int a = 0, fa = 0; a < p; a++)
                {
                    if (a == j) continue;
                    for (int b = 0, fb = 0; b < p; b++)
                    {
                        if (b == j) continue;
                        delta[a] += inverse.Inverse[fa * q + fb] * score[b];
                        fb++;
                    }
                    largest = Math.Max(largest, Math.Abs(delta[a]));
                    fa++;
                }
                if (!(largest > 1e-13 * (1 + beta.Max(Math.Abs)))) break;
                // Step halving keeps ℓ increasing when a full Newton step overshoots.
                double scale = 1, next = double.NegativeInfinity;
                for (int halving = 0; halving < 50; halving++, scale *= 0.5)
                {
                    for (int a = 0; a < p; a++) trial[a] = beta[a] + scale * delta[a];
                    next = LogLikelihood(trial);
                    if (next >= ll) break;
                }
                if (!(next >= ll)) break;
                Array.Copy(trial, beta, p);
                ll = next;
            }
            scoreJ = 0;
            for (int i = 0; i < m; i++) scoreJ += w[i] * (y[i] - 1 / (1 + Math.Exp(-Eta(beta, i)))) * x[i * p + j];
            return ll;
        }

        private double Eta(double[] beta, int i)
        {
            double eta = 0;
            for (int a = 0; a < p; a++) eta += x[i * p + a] * beta[a];
            return eta;
        }

        private static double Softplus(double v) => v > 0 ? v + double.LogP1(Math.Exp(-v)) : double.LogP1(Math.Exp(v));
    }
}
