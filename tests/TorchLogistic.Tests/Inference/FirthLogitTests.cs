using TorchLogistic.Data;
using TorchLogistic.Inference;
using TorchLogistic.Tests.Support;
using static TorchLogistic.Tests.Metrics.FixtureFile;

namespace TorchLogistic.Tests.Inference;

/// <summary>Firth's estimator against R 4.2's brglm2 0.9 (<c>method = "brglmFit", type = "MPL_Jeffreys"</c>; Fixtures/robust_inference_r.json).</summary>
public class FirthLogitTests
{
    [Fact]
    public void Coefficients_and_standard_errors_equal_brglm2_to_1e6()
    {
        var r = RobustCovarianceTests.R;
        var t = Assert.Single(FirthLogit.Fit(RobustCovarianceTests.Rows()).Result.Equations);
        Close.All(Doubles(r["firth_coef"]), t.Coefficients, 1e-6, 0, "coef");
        Close.All(Doubles(r["firth_se"]), t.StandardErrors, 1e-6, 0, "se");
    }

    [Fact]
    public void Perfectly_separated_rows_get_finite_estimates_equal_to_brglm2()
    {
        var r = RobustCovarianceTests.R;
        double[] dose = Doubles(r["separated_dose"]), noise = Doubles(r["separated_noise"]);
        int[] y = Doubles(r["separated_y"]).Select(v => (int)v).ToArray();
        var data = new Dataset("separated", dose.SelectMany((v, i) => new[] { v, noise[i] }).ToArray(), y.Length, 2, y, new[] { "no", "yes" }, new[] { "dose", "noise" });
        var refusal = LogitInference.Fit(data).Refusal!;
        Assert.Equal(RefusalReason.CompleteSeparation, refusal.Reason);
        Assert.Contains("Firth's penalised likelihood (FirthLogit.Fit) gives finite estimates", refusal.Message);
        var result = FirthLogit.Fit(data).Result;
        var t = Assert.Single(result.Equations);
        Close.All(Doubles(r["separated_firth_coef"]), t.Coefficients, 1e-6, 0, "coef");
        Close.All(Doubles(r["separated_firth_se"]), t.StandardErrors, 1e-6, 0, "se");
        Assert.Equal("firth", result.Penalty);
    }
}
