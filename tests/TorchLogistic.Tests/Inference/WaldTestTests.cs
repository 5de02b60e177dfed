using TorchLogistic.Inference;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Inference;

/// <summary>Wald tests against statsmodels 0.13.5's <c>wald_test(use_f=False)</c> (Fixtures/robust_inference_statsmodels.json, "wald").</summary>
public class WaldTestTests
{
    [Theory]
    [InlineData("logit/nonrobust/x1 = 0, x2 = d")]
    [InlineData("logit/nonrobust/2*x1 - x2 = 1")]
    [InlineData("logit/HC0/x1 = 0, x2 = d")]
    [InlineData("logit/HC0/2*x1 - x2 = 1")]
    [InlineData("mnlogit/nonrobust/x1 = 0")]
    [InlineData("mnlogit/nonrobust/c:x2 = b:d")]
    [InlineData("mnlogit/HC0/x1 = 0")]
    [InlineData("mnlogit/HC0/c:x2 = b:d")]
    public void Statistic_and_p_value_equal_statsmodels(string key)
    {
        string[] parts = key.Split('/');
        var inference = LogitInference.Fit(RobustCovarianceTests.Rows(parts[0] == "mnlogit"), covariance: new CovarianceOptions(CovarianceOptions.ParseKind(parts[1]))).Result;
        var test = WaldTest.Of(inference, parts[2]);
        var reference = RobustCovarianceTests.Sm["wald"]![key]!;
        Close.Equal((double)reference["statistic"]!, test.Statistic, 1e-8, 0, "W");
        Assert.Equal((int)reference["df"]!, test.DegreesOfFreedom);
        Close.Equal((double)reference["p"]!, test.PValue, 1e-7, 0, "p");
        Assert.Contains($"chi2({test.DegreesOfFreedom})", test.Summary());
    }

    [Theory]
    [InlineData("x9 = 0", "Wald restriction 'x9 = 0' names 'x9', which is not a coefficient of the model (const, x1, x2, d).")]
    [InlineData("x1", "Wald restriction 'x1' is not an equation 'left = right'")]
    [InlineData("x1 = 0, x1 = 0", "are linearly dependent")]
    [InlineData("3 = 1", "names no coefficient")]
    [InlineData("x1 + = 0", "has an empty term")]
    [InlineData("two * x1 = 0", "'two' is not a number")]
    public void Bad_restrictions_are_one_clear_message(string restrictions, string expected)
    {
        var inference = LogitInference.Fit(RobustCovarianceTests.Rows()).Result;
        var e = Assert.Throws<ArgumentException>(() => WaldTest.Of(inference, restrictions));
        Assert.Contains(expected, e.Message);
    }
}
