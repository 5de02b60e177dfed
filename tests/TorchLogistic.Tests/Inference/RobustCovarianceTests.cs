using System.Text.Json.Nodes;
using TorchLogistic.Data;
using TorchLogistic.Inference;
using TorchLogistic.Tests.Support;
using static TorchLogistic.Tests.Metrics.FixtureFile;

namespace TorchLogistic.Tests.Inference;

/// <summary>
/// Robust covariances against R 4.2's sandwich 3.0.2 (Fixtures/robust_inference_r.json, made by
/// Fixtures/scripts/robust_inference_r.R) and statsmodels 0.13.5 (robust_inference_statsmodels.json, made by
/// Fixtures/scripts/robust_inference_statsmodels.py): 400 synthetic rows in 13 clusters.
/// </summary>
public class RobustCovarianceTests
{
    internal static readonly JsonNode Sm = Read("robust_inference_statsmodels.json");
    internal static readonly JsonNode R = Read("robust_inference_r.json");

    /// <summary>The fixture's rows: x1, x2 and the 0/1 column d; binary labels, or three classes with <paramref name="threeClasses"/>.</summary>
    internal static Dataset Rows(bool threeClasses = false, bool weighted = false)
    {
        int[] y = Ints(Sm[threeClasses ? "labels3" : "labels"]);
        return new Dataset("robust", Doubles(Sm["features"]), y.Length, 3, y, threeClasses ? new[] { "a", "b", "c" } : new[] { "no", "yes" },
            new[] { "x1", "x2", "d" }, weighted ? Doubles(Sm["weights"]) : null);
    }

    internal static long[] Groups => Ints(Sm["groups"]).Select(g => (long)g).ToArray();

    internal static double[] Flat(double[,] m) => m.Cast<double>().ToArray();

    /// <summary>Every entry within 1e-8 of the largest entry, and every standard error within 1e-8 relative.</summary>
    private static void CovarianceEquals(double[] expected, InferenceResult actual, string what)
    {
        double[] got = Flat(actual.Covariance);
        double scale = expected.Max(Math.Abs);
        Close.All(expected, got, 0, 1e-8 * scale, what);
        int n = (int)Math.Sqrt(expected.Length);
        var se = actual.Equations.SelectMany(e => e.StandardErrors).ToArray();
        Close.All(Enumerable.Range(0, n).Select(i => Math.Sqrt(expected[i * n + i])).ToArray(), se, 1e-8, 0, what + " std err");
    }

    [Theory]
    [InlineData(CovarianceKind.HC0)]
    [InlineData(CovarianceKind.HC1)]
    [InlineData(CovarianceKind.HC2)]
    [InlineData(CovarianceKind.HC3)]
    public void Logit_hc_equals_sandwich_vcovHC(CovarianceKind kind)
    {
        var r = LogitInference.Fit(Rows(), covariance: new CovarianceOptions(kind)).Result;
        Close.All(Doubles(R["logit_coef"]), r.Equations[0].Coefficients, 1e-9, 0, "coef");
        CovarianceEquals(Doubles(R[$"vcovHC_{kind}"]), r, $"vcovHC {kind}");
        Assert.Equal(kind, r.CovarianceKind);
        string line = r.Summary().Split('\n').Single(l => l.StartsWith("Covariance Type:", StringComparison.Ordinal));
        Assert.Contains(kind.ToString(), line);
    }

    [Fact]
    public void Logit_hc0_and_cluster_equal_statsmodels_and_vcovCL()
    {
        var hc0 = LogitInference.Fit(Rows(), covariance: new CovarianceOptions(CovarianceKind.HC0)).Result;
        CovarianceEquals(Doubles(Sm["logit_cov"]!["HC0"]), hc0, "statsmodels HC0");
        var cluster = LogitInference.Fit(Rows(), covariance: new CovarianceOptions(CovarianceKind.Cluster, Groups)).Result;
        CovarianceEquals(Doubles(R["vcovCL"]), cluster, "vcovCL(type = HC1)");
        CovarianceEquals(Doubles(Sm["logit_cov"]!["cluster"]), cluster, "statsmodels cluster");
        var nonrobust = LogitInference.Fit(Rows()).Result;
        CovarianceEquals(Doubles(Sm["logit_cov"]!["nonrobust"]), nonrobust, "nonrobust");
        // The clusters matter here: the cluster standard errors differ from the model-based ones by more than 10 %.
        Assert.True(Math.Abs(cluster.Equations[0].StandardErrors[1] / nonrobust.Equations[0].StandardErrors[1] - 1) > 0.1);
    }

    [Theory]
    [InlineData("nonrobust")]
    [InlineData("HC0")]
    [InlineData("cluster")]
    public void Mnlogit_equals_statsmodels(string name)
    {
        var kind = CovarianceOptions.ParseKind(name);
        var r = LogitInference.Fit(Rows(threeClasses: true), covariance: new CovarianceOptions(kind, Groups)).Result;
        Close.All(Doubles(Sm["mnlogit_params"]), r.Equations.SelectMany(e => e.Coefficients).ToArray(), 1e-9, 1e-12, "coef");
        CovarianceEquals(Doubles(Sm["mnlogit_cov"]![name]), r, $"MNLogit {name}");
    }

    [Fact]
    public void Mnlogit_hc1_is_hc0_times_n_over_n_minus_k()
    {
        var hc1 = LogitInference.Fit(Rows(threeClasses: true), covariance: new CovarianceOptions(CovarianceKind.HC1)).Result;
        double[] hc0 = Doubles(Sm["mnlogit_cov"]!["HC0"]);
        CovarianceEquals(hc0.Select(v => v * 400.0 / (400 - 8)).ToArray(), hc1, "MNLogit HC1");
    }

    [Theory]
    [InlineData(CovarianceKind.HC0)]
    [InlineData(CovarianceKind.HC1)]
    [InlineData(CovarianceKind.HC2)]
    [InlineData(CovarianceKind.HC3)]
    [InlineData(CovarianceKind.Cluster)]
    public void Frequency_weights_equal_the_rows_repeated(CovarianceKind kind)
    {
        var r = LogitInference.Fit(Rows(weighted: true), covariance: new CovarianceOptions(kind, Groups)).Result;
        Close.All(Doubles(R["weighted_coef"]), r.Equations[0].Coefficients, 1e-9, 0, "weighted coef");
        CovarianceEquals(Doubles(R[kind == CovarianceKind.Cluster ? "weighted_vcovCL" : $"weighted_vcovHC_{kind}"]), r, $"expanded-rows {kind}");
        if (kind == CovarianceKind.HC0) CovarianceEquals(Doubles(Sm["weighted_cov"]!["HC0"]), r, "GLM freq_weights HC0");
        Assert.Contains(r.Notes, n => n.Contains("frequency weights", StringComparison.Ordinal));
    }

    [Fact]
    public void Refusals_and_bad_clusters_say_what_to_do()
    {
        var weighted = LogitInference.Fit(Rows(weighted: true));
        Assert.True(weighted.Refused);
        Assert.Contains("CovarianceOptions.Kind = HC0", weighted.Refusal!.Message);
        var hc3 = LogitInference.Fit(Rows(threeClasses: true), covariance: new CovarianceOptions(CovarianceKind.HC3));
        Assert.Equal(RefusalReason.Unsupported, hc3.Refusal!.Reason);
        Assert.Contains("Use CovarianceKind.HC0, HC1 or Cluster", hc3.Refusal.Message);
        var none = Assert.Throws<ArgumentException>(() => LogitInference.Fit(Rows(), covariance: new CovarianceOptions(CovarianceKind.Cluster)));
        Assert.Equal("CovarianceKind.Cluster needs CovarianceOptions.Groups: one cluster label per training row.", none.Message);
        var one = Assert.Throws<ArgumentException>(() => LogitInference.Fit(Rows(), covariance: new CovarianceOptions(CovarianceKind.Cluster, new long[400])));
        Assert.Contains("at least two clusters", one.Message);
    }
}
