using System.Globalization;
using TorchLogistic.Data;

namespace TorchLogistic.Inference;

/// <summary>
/// Firth's penalised likelihood for binary logistic regression, <c>ℓ*(β) = ℓ(β) + ½ ln det I(β)</c> with
/// <c>I = X̃ᵀWX̃</c>, W = diag(pᵢ(1 − pᵢ)) (the Jeffreys-prior penalty; R's brglm2 <c>type = "MPL_Jeffreys"</c>). Its
/// estimates are finite even under complete or quasi-complete separation, where maximum likelihood has none.
/// Solved by Fisher scoring on the modified score <c>U* = X̃ᵀ(y − p + h∘(½ − p))</c>, h the hat values, with steps
/// of at most 5 per coefficient; standard errors from <c>I(β̂)⁻¹</c>, as brglm2 reports them.
/// </summary>
public static class FirthLogit
{
    private const int MaxIterations = 500;
    private const double MaxStep = 5;

    /// <summary>Fits <paramref name="data"/> (two classes, unweighted, features as given) and returns the inference table.</summary>
    /// <param name="data">The rows; class 1 is the modelled event.</param>
    /// <param name="alpha">1 − confidence level of the Wald intervals (default 0.05).</param>
    public static InferenceOutcome Fit(Dataset data, double alpha = 0.05)
    {
        if (data.ClassCount != 2)
            throw new ArgumentException($"FirthLogit fits binary models; '{data.Name}' has {data.ClassCount} classes.");
        if (data.SampleWeight != null)
            return InferenceOutcome.RefusedWith(new InferenceRefusal(RefusalReason.Unsupported,
                "Inference refused: Firth's penalised likelihood is fitted here for unweighted rows. Drop the sample weights (Datasets.sampleWeight).", Array.Empty<string>()));
        int m = data.SampleCount, d = data.FeatureCount, p = d + 1;
        var x = new double[m * p];
        for (int i = 0; i < m; i++)
        {
            x[i * p] = 1;
            for (int j = 0; j < d; j++) x[i * p + 1 + j] = data[i, j];
        }
        var beta = new double[p];
        var prob = new double[m];
        SymmetricInverse? inverse = null;
        int steps = 0;
        bool converged = false;
        for (; steps < MaxIterations && !converged; steps++)
        {
            inverse = Information(x, beta, m, p, prob);
            if (inverse.IsSingular)
                return InferenceOutcome.RefusedWith(new InferenceRefusal(RefusalReason.SingularInformation,
                    "Inference refused: the information matrix X'WX is singular (collinear or constant features), so Firth's estimate is not identified. Drop the redundant features.", Array.Empty<string>()));
            var score = new double[p];
            for (int i = 0; i < m; i++)
            {
                double w = prob[i] * (1 - prob[i]);
                double h = w * Quadratic(inverse.Inverse, x, i * p, p);
                double r = (data.Labels[i] == 1 ? 1 : 0) - prob[i] + h * (0.5 - prob[i]);
                for (int a = 0; a < p; a++) score[a] += r * x[i * p + a];
            }
            var step = new double[p];
            for (int a = 0; a < p; a++)
            {
                for (int b = 0; b < p; b++) step[a] += inverse.Inverse[a * p + b] * score[b];
            }
            double largest = step.Max(Math.Abs);
            double shrink = largest > MaxStep ? MaxStep / largest : 1;
            for (int a = 0; a < p; a++) beta[a] += shrink * step[a];
            converged = largest <= 1e-12 * (1 + beta.Max(Math.Abs));
        }
        inverse = Information(x, beta, m, p, prob);
        double logLikelihood = 0;
        for (int i = 0; i < m; i++) logLikelihood += data.Labels[i] == 1 ? Math.Log(prob[i]) : Math.Log(1 - prob[i]);
        var covariance = new double[p, p];
        for (int a = 0; a < p; a++)
        {
            for (int b = 0; b < p; b++) covariance[a, b] = inverse.Inverse[a * p + b];
        }
        double q = SpecialFunctions.NormalInverseCdf(1 - alpha / 2);
        var se = Enumerable.Range(0, p).Select(a => Math.Sqrt(covariance[a, a])).ToArray();
        var z = beta.Select((v, a) => v / se[a]).ToArray();
        var table = new CoefficientTable(data.Classes[1], new[] { "const" }.Concat(data.FeatureNames).ToArray(), (double[])beta.Clone(), se, z,
            z.Select(v => 2 * SpecialFunctions.NormalSurvival(Math.Abs(v))).ToArray(),
            beta.Select((v, a) => v - q * se[a]).ToArray(), beta.Select((v, a) => v + q * se[a]).ToArray());
        int ones = data.Labels.Count(l => l == 1);
        double nullLogLikelihood = (ones > 0 ? ones * Math.Log((double)ones / m) : 0) + (m - ones > 0 ? (m - ones) * Math.Log((double)(m - ones) / m) : 0);
        var notes = new List<string>
        {
            "Firth's penalised likelihood ℓ + ½ ln det(X'WX) (Jeffreys prior): finite estimates even under separation; standard errors from the inverse of X'WX at the estimate. The log-likelihood is the unpenalised one at the estimate.",
        };
        if (!converged)
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"Warning: Fisher scoring did not converge in {MaxIterations} steps; the estimates may be inaccurate."));
        return InferenceOutcome.Of(new InferenceResult("Logit", data.Classes, "firth", 0, false, m, d, new[] { table }, covariance,
            logLikelihood, nullLogLikelihood, alpha, steps, notes));
    }

    /// <summary>Probabilities into <paramref name="prob"/> and the inverse of X̃ᵀWX̃ at <paramref name="beta"/>.</summary>
    private static SymmetricInverse Information(double[] x, double[] beta, int m, int p, double[] prob)
    {
        var info = new double[p * p];
        for (int i = 0; i < m; i++)
        {
            double eta = 0;
            for (int a = 0; a < p; a++) eta += x[i * p + a] * beta[a];
            prob[i] = 1 / (1 + Math.Exp(-eta));
            double w = prob[i] * (1 - prob[i]);
            for (int a = 0; a < p; a++)
            {
                double wa = w * x[i * p + a];
                for (int b = 0; b < p; b++) info[a * p + b] += wa * x[i * p + b];
            }
        }
        return SymmetricInverse.Of(info, p);
    }

    private static double Quadratic(double[] inverse, double[] x, int offset, int p)
    {
        double q = 0;
        for (int a = 0; a < p; a++)
        {
            double row = 0;
            for (int b = 0; b < p; b++) row += inverse[a * p + b] * x[offset + b];
            q += x[offset + a] * row;
        }
        return q;
    }
}
