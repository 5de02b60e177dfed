using TorchLogistic.Inference;
using TorchLogistic.Tests.Support;
using static TorchLogistic.Tests.Metrics.FixtureFile;

namespace TorchLogistic.Tests.Inference;

/// <summary>
/// Profile-likelihood intervals against R 4.2 (Fixtures/robust_inference_r.json, made by
/// Fixtures/scripts/robust_inference_r.R): MASS's <c>confint</c> on the glm, and the exact roots by <c>uniroot</c>
/// over constrained <c>glm.fit</c> refits.
/// </summary>
public class ProfileIntervalsTests
{
    private static ProfileIntervalsResult Intervals()
    {
        var rows = RobustCovarianceTests.Rows();
        return ProfileIntervals.Of(LogitInference.Fit(rows).Result, rows);
    }

    [Fact]
    public void Bounds_equal_R_confint_to_1e4()
    {
        var r = RobustCovarianceTests.R;
        var ci = Intervals();
        Close.All(Doubles(r["confint_lower"]), ci.Lower, 0, 1e-4, "lower");
        Close.All(Doubles(r["confint_upper"]), ci.Upper, 0, 1e-4, "upper");
        Assert.Equal(new[] { "const", "x1", "x2", "d" }, ci.Names);
    }

    [Fact]
    public void Bounds_equal_the_exact_profile_roots_by_uniroot_to_1e8()
    {
        var r = RobustCovarianceTests.R;
        var ci = Intervals();
        Close.All(Doubles(r["profile_root_lower"]), ci.Lower, 0, 1e-8, "lower");
        Close.All(Doubles(r["profile_root_upper"]), ci.Upper, 0, 1e-8, "upper");
    }

    [Fact]
    public void Profile_bounds_are_not_the_wald_bounds()
    {
        var rows = RobustCovarianceTests.Rows();
        var result = LogitInference.Fit(rows).Result;
        var ci = ProfileIntervals.Of(result, rows);
        // The intercept's profile interval is asymmetric about the estimate, unlike the Wald one.
        var t = result.Equations[0];
        Assert.True(Math.Abs(ci.Lower[0] - t.ConfidenceLower[0]) > 1e-4);
        Assert.Contains("Profile-likelihood 95% intervals", ci.Summary());
    }

    [Fact]
    public void Multinomial_models_are_refused_with_one_clear_line()
    {
        var rows = RobustCovarianceTests.Rows(threeClasses: true);
        var error = Assert.Throws<ArgumentException>(() => ProfileIntervals.Of(LogitInference.Fit(rows, multinomial: true).Result, rows));
        Assert.Equal("Profile-likelihood intervals are computed for unpenalised binary models; this one is MNLogit with penalty none.", error.Message);
    }
}
