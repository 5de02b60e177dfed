using TorchLogistic.Inference;
using TorchLogistic.Tests.Support;
using static TorchLogistic.Tests.Metrics.FixtureFile;

namespace TorchLogistic.Tests.Inference;

/// <summary>
/// Prediction intervals: binary against statsmodels 0.13.5's GLM Binomial <c>get_prediction</c>
/// (Fixtures/robust_inference_statsmodels.json, "prediction"); multinomial against a central-difference delta method
/// on logit pⱼ computed here from its own softmax (statsmodels has none for MNLogit).
/// </summary>
public class PredictionIntervalsTests
{
    [Fact]
    public void Logit_intervals_equal_glm_get_prediction_to_1e8()
    {
        var reference = RobustCovarianceTests.Sm["prediction"]!;
        var estimates = LogitInference.Fit(RobustCovarianceTests.Rows()).Result.Estimates;
        double[] rows = Doubles(reference["rows"]);
        var r = PredictionIntervals.Of(estimates, rows, rows.Length / 3);
        double[] p1 = Enumerable.Range(0, r.RowCount).Select(i => r[i, 1].Probability).ToArray();
        Close.All(Doubles(reference["mean"]), p1, 1e-8, 0, "probability");
        Close.All(Doubles(reference["lower"]), Enumerable.Range(0, r.RowCount).Select(i => r[i, 1].Lower).ToArray(), 1e-8, 0, "lower");
        Close.All(Doubles(reference["upper"]), Enumerable.Range(0, r.RowCount).Select(i => r[i, 1].Upper).ToArray(), 1e-8, 0, "upper");
        // Class 0's interval is the mirror image.
        for (int i = 0; i < r.RowCount; i++) Close.Equal(1 - r[i, 1].Upper, r[i, 0].Lower, 1e-12, 1e-15, "mirror");
    }

    [Fact]
    public void Mnlogit_intervals_equal_a_finite_difference_delta_method()
    {
        var inference = LogitInference.Fit(RobustCovarianceTests.Rows(threeClasses: true)).Result;
        var est = inference.Estimates;
        double[] rows = { 0.0, 0.0, 0.0, 1.5, -2.0, 1.0, -2.0, 3.0, 0.0 };
        var r = PredictionIntervals.Of(est, rows, 3, 0.9);
        int n = est.Coefficients.Length;
        double z = 1.6448536269514722;  // Φ⁻¹(0.95)
        for (int i = 0; i < 3; i++)
        {
            var x = new[] { 1, rows[3 * i], rows[3 * i + 1], rows[3 * i + 2] };
            for (int j = 0; j < 3; j++)
            {
                double G(double[] b)
                {
                    var e = new double[3];
                    for (int c = 1; c < 3; c++) e[c] = Enumerable.Range(0, 4).Sum(u => b[(c - 1) * 4 + u] * x[u]);
                    double s = e.Sum(Math.Exp), pj = Math.Exp(e[j]) / s;
                    return Math.Log(pj / (1 - pj));
                }
                var grad = new double[n];
                for (int a = 0; a < n; a++)
                {
                    var hi = (double[])est.Coefficients.Clone();
                    var lo = (double[])est.Coefficients.Clone();
                    hi[a] += 1e-6;
                    lo[a] -= 1e-6;
                    grad[a] = (G(hi) - G(lo)) / 2e-6;
                }
                double variance = 0;
                for (int a = 0; a < n; a++)
                {
                    for (int b = 0; b < n; b++) variance += grad[a] * est.Covariance[a, b] * grad[b];
                }
                double g = G(est.Coefficients), half = z * Math.Sqrt(variance);
                Close.Equal(1 / (1 + Math.Exp(-g)), r[i, j].Probability, 1e-12, 0, "p");
                Close.Equal(1 / (1 + Math.Exp(-(g - half))), r[i, j].Lower, 1e-7, 0, $"lower[{i},{j}]");
                Close.Equal(1 / (1 + Math.Exp(-(g + half))), r[i, j].Upper, 1e-7, 0, $"upper[{i},{j}]");
                Assert.True(r[i, j].Lower < r[i, j].Probability && r[i, j].Probability < r[i, j].Upper);
            }
        }
    }
}
