using TorchLogistic.Data;
using TorchLogistic.Inference;

namespace TorchLogistic.Tests.Data;

public class SyntheticPatientsTests
{
    [Fact]
    public void A_seed_gives_the_same_rows_and_another_seed_other_rows()
    {
        var a = SyntheticPatients.generate(500, 3);
        var b = SyntheticPatients.generate(500, 3);
        var c = SyntheticPatients.generate(500, 4);
        Assert.Equal(a.features, b.features);
        Assert.Equal(a.labels, b.labels);
        Assert.NotEqual(a.features, c.features);
        Assert.Equal(new[] { "survives", "dies" }, a.classes);
        Assert.Equal(SyntheticPatients.feature_names, a.feature_names);
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticPatients.generate(0, 1));
    }

    [Fact]
    public void Features_prevalence_and_coefficients_are_those_documented()
    {
        const int n = 20_000;
        var data = SyntheticPatients.generate(n, 1);
        // Feature means within 5 standard errors of the documented distributions (lactate: log-normal mean e^(μ+σ²/2)).
        double[] mean = { 65, 125, 88, Math.Exp(Math.Log(1.6) + 0.45 * 0.45 / 2), 95 };
        double[] sd = { 12, 20, 15, Math.Sqrt((Math.Exp(0.45 * 0.45) - 1) * Math.Exp(2 * Math.Log(1.6) + 0.45 * 0.45)), 3 };
        for (int j = 0; j < 5; j++)
        {
            double m = Enumerable.Range(0, n).Average(i => data[i, j]);
            double s = Math.Sqrt(Enumerable.Range(0, n).Average(i => (data[i, j] - m) * (data[i, j] - m)));
            Assert.True(Math.Abs(m - mean[j]) < 5 * sd[j] / Math.Sqrt(n), $"{data.feature_names[j]}: mean {m}, expected {mean[j]}");
            Assert.True(Math.Abs(s / sd[j] - 1) < 0.03, $"{data.feature_names[j]}: standard deviation {s}, expected {sd[j]}");
        }
        // The share of deaths: within 5 binomial standard errors of the documented prevalence.
        double p = data.labels.Average();
        double p0 = SyntheticPatients.expected_prevalence;
        Assert.True(Math.Abs(p - p0) < 5 * Math.Sqrt(p0 * (1 - p0) / n), $"prevalence {p}, documented {p0}");
        // The labels follow the documented logistic model: the maximum-likelihood fit is within 4 standard errors of it.
        var table = Assert.Single(LogitInference.fit(data).result.equations);
        double[] truth = new[] { SyntheticPatients.true_intercept }.Concat(SyntheticPatients.true_coefficients).ToArray();
        for (int j = 0; j < truth.Length; j++)
            Assert.True(Math.Abs(table.coef[j] - truth[j]) < 4 * table.std_err[j], $"{table.names[j]}: {table.coef[j]} ± {table.std_err[j]}, true {truth[j]}");
    }
}
