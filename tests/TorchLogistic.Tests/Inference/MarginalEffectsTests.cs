using TorchLogistic.Inference;
using TorchLogistic.Tests.Support;
using static TorchLogistic.Tests.Metrics.FixtureFile;

namespace TorchLogistic.Tests.Inference;

/// <summary>
/// Marginal effects against statsmodels 0.13.5's <c>get_margeff</c> (Fixtures/robust_inference_statsmodels.json, made by
/// Fixtures/scripts/robust_inference_statsmodels.py) for every at × method, with the 0/1 column continuous and as a
/// discrete change. Where statsmodels 0.13.5's MNLogit fails (eyex, dyex, discrete changes: broadcasting errors) the
/// reference is the script's numpy delta method with a complex-step Jacobian (marked "by_hand").
/// </summary>
public class MarginalEffectsTests
{
    private static readonly Lazy<InferenceResult> Logit = new(() => LogitInference.Fit(RobustCovarianceTests.Rows()).Result);
    private static readonly Lazy<InferenceResult> Mnlogit = new(() => LogitInference.Fit(RobustCovarianceTests.Rows(threeClasses: true)).Result);

    public static TheoryData<string> Keys()
    {
        var data = new TheoryData<string>();
        foreach (var (key, _) in RobustCovarianceTests.Sm["margeff"]!.AsObject()) data.Add(key);
        return data;
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Effects_and_standard_errors_equal_get_margeff_to_1e8(string key)
    {
        string[] parts = key.Split('/');
        bool multinomial = parts[0] == "mnlogit";
        var options = new MarginalEffectsOptions(Enum.Parse<MarginalAt>(parts[1], ignoreCase: true), Enum.Parse<MarginalMethod>(parts[2], ignoreCase: true),
            DiscreteChanges: parts[3] == "dummy");
        var result = MarginalEffects.Of(multinomial ? Mnlogit.Value : Logit.Value, RobustCovarianceTests.Rows(multinomial), options);
        var reference = RobustCovarianceTests.Sm["margeff"]![key]!;
        Assert.Equal(multinomial ? 3 : 1, result.Tables.Count);
        Close.All(Doubles(reference["effect"]), result.Tables.SelectMany(t => t.Effects).ToArray(), 1e-8, 1e-13, key + " effect");
        Close.All(Doubles(reference["se"]), result.Tables.SelectMany(t => t.StandardErrors).ToArray(), 1e-8, 1e-13, key + " se");
        Assert.Equal(parts[3] == "dummy", result.Tables[0].Discrete[2]);
        Assert.False(result.Tables[0].Discrete[0]);
    }

    [Fact]
    public void One_hot_group_changes_from_the_base_level_and_the_table_prints()
    {
        // A 0/1 column is a one-hot group of one level: the group form must equal the dummy form.
        var rows = RobustCovarianceTests.Rows();
        var dummy = MarginalEffects.Of(Logit.Value, rows, new MarginalEffectsOptions(DiscreteChanges: true));
        var group = MarginalEffects.Of(Logit.Value, rows, new MarginalEffectsOptions(OneHotGroups: new[] { new[] { 2 } }));
        Close.All(dummy.Tables[0].Effects, group.Tables[0].Effects, 1e-15, 0, "effect");
        Close.All(dummy.Tables[0].StandardErrors, group.Tables[0].StandardErrors, 1e-15, 0, "se");
        string text = dummy.Summary();
        Assert.Contains("P(yes)", text);
        Assert.Contains("d *", text);
        Assert.Contains(dummy.Tables[0].Effects[0].ToString("F4", System.Globalization.CultureInfo.InvariantCulture), text);
        var bad = Assert.Throws<ArgumentException>(() => MarginalEffects.Of(Logit.Value, rows, new MarginalEffectsOptions(MarginalAt.Median, DiscreteChanges: true)));
        Assert.Contains("Method Dydx or Eydx at Overall or Mean", bad.Message);
    }
}
