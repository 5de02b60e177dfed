using TorchLogistic.Data;
using TorchLogistic.Inference;

namespace TorchLogistic.Tests.Data;

public class SyntheticPatientsTests
{
    [Fact]
    public void A_seed_gives_the_same_rows_and_another_seed_other_rows()
    {
        var a = SyntheticPatients.Generate(500, 3);
        var b = SyntheticPatients.Generate(500, 3);
        var c = SyntheticPatients.Generate(500, 4);
        Assert.Equal(a.Features, b.Features);
        Assert.Equal(a.Labels, b.Labels);
        Assert.NotEqual(a.Features, c.Features);
        Assert.Equal(new[] { "survives", "dies" }, a.Classes);
        Assert.Equal(SyntheticPatients.FeatureNames, a.FeatureNames);
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticPatients.Generate(0, 1));
    }

    [Fact]
    public void Features_prevalence_and_coefficients_are_those_documented()
    {
        const int n = 20_000;
        var data = SyntheticPatients.Generate(n, 1);
        // Feature means within 5 standard errors of the documented distributions (lactate: log-normal mean e^(μ+σ²/2)).
        double[] mean = { 65, 125, 88, Math.Exp(Math.Log(1.6) + 0.45 * 0.45 / 2), 95 };
        double[] sd = { 12, 20, 15, Math.Sqrt((Math.Exp(0.45 * 0.45) - 1) * Math.Exp(2 * Math.Log(1.6) + 0.45 * 0.45)), 3 };
        for (int j = 0; j < 5; j++)
        {
            double m = Enumerable.Range(0, n).Average(i => data[i, j]);
            double s = Math.Sqrt(Enumerable.Range(0, n).Average(i => (data[i, j] - m) * (data[i, j] - m)));
            Assert.True(Math.Abs(m - mean[j]) < 5 * sd[j] / Math.Sqrt(n), $"{data.FeatureNames[j]}: mean {m}, expected {mean[j]}");
            Assert.True(Math.Abs(s / sd[j] - 1) < 0.03, $"{data.FeatureNames[j]}: standard deviation {s}, expected {sd[j]}");
        }
        // The share of deaths: within 5 binomial standard errors of the documented prevalence.
        double p = data.Labels.Average();
        double p0 = SyntheticPatients.ExpectedPrevalence;
        Assert.True(Math.Abs(p - p0) < 5 * Math.Sqrt(p0 * (1 - p0) / n), $"prevalence {p}, documented {p0}");
        // The labels follow the documented logistic model: the maximum-likelihood fit is within 4 standard errors of it.
        var table = Assert.Single(LogitInference.Fit(data).Result.Equations);
        double[] truth = new[] { SyntheticPatients.TrueIntercept }.Concat(SyntheticPatients.TrueCoefficients).ToArray();
        for (int j = 0; j < truth.Length; j++)
            Assert.True(Math.Abs(table.Coefficients[j] - truth[j]) < 4 * table.StandardErrors[j], $"{table.Names[j]}: {table.Coefficients[j]} ± {table.StandardErrors[j]}, true {truth[j]}");
    }
}
