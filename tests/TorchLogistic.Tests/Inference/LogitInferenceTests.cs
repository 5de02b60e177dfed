using System.Text.Json.Nodes;
using TorchLogistic.Data;
using TorchLogistic.Inference;
using TorchLogistic.Objectives;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;
using static TorchLogistic.Tests.Metrics.FixtureFile;

namespace TorchLogistic.Tests.Inference;

/// <summary>
/// Inference against statsmodels 0.13.5 (Fixtures/inference_statsmodels.json, made by
/// Fixtures/scripts/inference_statsmodels.py), and the refusals on separated or collinear data.
/// </summary>
public class LogitInferenceTests
{
    private static readonly JsonNode Reference = Read("inference_statsmodels.json");

    internal static Dataset Columns(Dataset data, int[] columns)
    {
        var x = new double[data.SampleCount * columns.Length];
        for (int i = 0; i < data.SampleCount; i++)
        {
            for (int j = 0; j < columns.Length; j++) x[i * columns.Length + j] = data[i, columns[j]];
        }
        return new Dataset(data.Name, x, data.SampleCount, columns.Length, data.Labels, data.Classes, columns.Select(c => data.FeatureNames[c]).ToArray());
    }

    private static Dataset BreastCancerSubset() =>
        Columns(BuiltinDatasets.Load("breast-cancer"), Ints(Reference["breast_cancer_logit"]!["columns"]));

    [Fact]
    public void Breast_cancer_logit_equals_statsmodels_to_1e6()
    {
        var sm = Reference["breast_cancer_logit"]!;
        var r = LogitInference.Fit(BreastCancerSubset()).Result;
        Assert.Equal("Logit", r.Model);
        var t = Assert.Single(r.Equations);
        Assert.Equal(new[] { "const", "mean radius", "mean texture", "mean smoothness", "mean symmetry" }, t.Names);
        const double tolerance = 1e-6;
        Close.All(Doubles(sm["params"]), t.Coefficients, tolerance, 0, "coef");
        Close.All(Doubles(sm["bse"]), t.StandardErrors, tolerance, 0, "std err");
        Close.All(Doubles(sm["z"]), t.Z, tolerance, 0, "z");
        Close.All(Doubles(sm["pvalues"]), t.PValues, tolerance, 1e-300, "P>|z|");
        Close.All(Doubles(sm["conf_int_lower"]), t.ConfidenceLower, tolerance, 0, "[0.025");
        Close.All(Doubles(sm["conf_int_upper"]), t.ConfidenceUpper, tolerance, 0, "0.975]");
        Close.All(Doubles(sm["odds_ratio"]), t.OddsRatio, tolerance, 1e-300, "odds ratio");
        Close.All(Doubles(sm["odds_ratio_lower"]), t.OddsRatioLower, tolerance, 1e-300, "odds ratio lower");
        Close.All(Doubles(sm["odds_ratio_upper"]), t.OddsRatioUpper, tolerance, 1e-300, "odds ratio upper");
        Close.Equal((double)sm["llf"]!, r.LogLikelihood, 1e-10, 0, "log-likelihood");
        // statsmodels fits the intercept-only model iteratively (to ~1e-10); ours is the closed form Σ nₖ ln(nₖ/m).
        Close.Equal((double)sm["llnull"]!, r.NullLogLikelihood, 1e-9, 0, "LL-Null");
        Close.Equal((double)sm["prsquared"]!, r.PseudoRSquared, 1e-9, 0, "pseudo R²");
        Close.Equal((double)sm["llr"]!, r.LogLikelihoodRatio, 1e-9, 0, "LLR");
        Close.Equal((double)sm["llr_pvalue"]!, r.LogLikelihoodRatioPValue, 1e-6, 0, "LLR p-value");
        Assert.Equal((int)(double)sm["df_model"]!, r.ModelDegreesOfFreedom);
        Assert.Equal((int)(double)sm["df_resid"]!, r.ResidualDegreesOfFreedom);
        Assert.Equal((int)(double)sm["nobs"]!, r.ObservationCount);
    }

    [Fact]
    public void Summary_is_a_table_with_the_feature_names_and_statsmodels_numbers()
    {
        var r = LogitInference.Fit(BreastCancerSubset()).Result;
        string text = r.Summary();
        Assert.Contains("Logit Regression Results", text);
        Assert.Contains("Dep. Variable:", text);
        Assert.Contains("benign", text);
        foreach (string line in new[] { "const", "mean radius", "mean texture", "mean smoothness", "mean symmetry" }) Assert.Contains(line, text);
        // The statsmodels table prints these (Fixtures/inference_statsmodels.json, "summary").
        foreach (string cell in new[] { "44.2881", "4.732", "9.359", "-116.7393", "20.830", "-157.565", "-0.3839", "-89.825", "-375.72", "0.7609", "1.974e-122" })
            Assert.Contains(cell, text);
        Assert.Contains("odds ratio", text);
    }

    [Fact]
    public void L2_standard_errors_are_the_inverse_of_the_penalised_hessian()
    {
        var reference = Reference["breast_cancer_l2"]!;
        double c = (double)reference["C"]!;
        var r = LogitInference.Fit(BreastCancerSubset(), PenaltyKind.L2, c).Result;
        var t = Assert.Single(r.Equations);
        Close.All(Doubles(reference["params"]), t.Coefficients, 1e-7, 0, "penalised coef");
        Close.All(Doubles(reference["bse"]), t.StandardErrors, 1e-7, 0, "penalised std err");
        Close.Equal((double)reference["llf"]!, r.LogLikelihood, 1e-10, 0, "unpenalised log-likelihood at the penalised estimate");
        Assert.Equal("l2", r.Penalty);
        Assert.Contains(r.Notes, n => n.Contains("penalised Hessian", StringComparison.Ordinal));
    }

    [Fact]
    public void Multinomial_equals_statsmodels_mnlogit_with_class_0_as_reference()
    {
        var sm = Reference["mnlogit"]!;
        int[] y = Ints(sm["labels"]);
        var data = new Dataset("mnlogit", Doubles(sm["features"]), y.Length, 2, y, new[] { "a", "b", "c" }, new[] { "x1", "x2" });
        var r = LogitInference.Fit(data).Result;
        Assert.Equal("MNLogit", r.Model);
        Assert.Equal(2, r.Equations.Count);
        Assert.Equal("b vs a", r.Equations[0].Label);
        double[] All(Func<CoefficientTable, double[]> f) => r.Equations.SelectMany(f).ToArray();
        Close.All(Doubles(sm["params"]), All(e => e.Coefficients), 1e-6, 0, "coef");
        Close.All(Doubles(sm["bse"]), All(e => e.StandardErrors), 1e-6, 0, "std err");
        Close.All(Doubles(sm["z"]), All(e => e.Z), 1e-6, 0, "z");
        Close.All(Doubles(sm["pvalues"]), All(e => e.PValues), 1e-6, 1e-300, "P>|z|");
        Close.All(Doubles(sm["conf_int_lower"]), All(e => e.ConfidenceLower), 1e-6, 0, "[0.025");
        Close.All(Doubles(sm["conf_int_upper"]), All(e => e.ConfidenceUpper), 1e-6, 0, "0.975]");
        Close.Equal((double)sm["llf"]!, r.LogLikelihood, 1e-10);
        Close.Equal((double)sm["llnull"]!, r.NullLogLikelihood, 1e-9);
        Close.Equal((double)sm["llr_pvalue"]!, r.LogLikelihoodRatioPValue, 1e-6);
        Assert.Equal((int)(double)sm["df_model"]!, r.ModelDegreesOfFreedom);
        Assert.Equal((int)(double)sm["df_resid"]!, r.ResidualDegreesOfFreedom);
        Assert.Contains("b vs a", r.Summary());
    }

    [Fact]
    public void Multinomial_l2_reports_contrasts_with_finite_standard_errors()
    {
        var sm = Reference["mnlogit"]!;
        int[] y = Ints(sm["labels"]);
        var data = new Dataset("mnlogit", Doubles(sm["features"]), y.Length, 2, y, new[] { "a", "b", "c" }, new[] { "x1", "x2" });
        var unpenalised = LogitInference.Fit(data).Result;
        // A very weak penalty must give (nearly) the unpenalised answer.
        var weak = LogitInference.Fit(data, PenaltyKind.L2, 1e8).Result;
        Close.All(unpenalised.Equations.SelectMany(e => e.Coefficients).ToArray(), weak.Equations.SelectMany(e => e.Coefficients).ToArray(), 1e-5, 1e-7, "coef");
        Close.All(unpenalised.Equations.SelectMany(e => e.StandardErrors).ToArray(), weak.Equations.SelectMany(e => e.StandardErrors).ToArray(), 1e-5, 0, "std err");
        var strong = LogitInference.Fit(data, PenaltyKind.L2, 0.01).Result;
        Assert.True(strong.Equations.SelectMany(e => e.StandardErrors).All(double.IsFinite));
        Assert.True(Math.Abs(strong.Equations[0].Coefficients[1]) < Math.Abs(unpenalised.Equations[0].Coefficients[1]), "the penalty shrinks the slope");
    }

    private static Dataset Separable(bool quasi)
    {
        // x1 alone separates: class 1 iff x1 > 0 (quasi: two rows of each class sit exactly at x1 = 0). x2 is noise.
        var rng = new Random(5);
        var rows = new List<(double, double, int)>();
        for (int i = 0; i < 60; i++)
        {
            double x1 = 0.2 + rng.NextDouble() * 2;
            rows.Add((x1, rng.NextDouble() * 2 - 1, 1));
            rows.Add((-x1, rng.NextDouble() * 2 - 1, 0));
        }
        if (quasi)
        {
            for (int i = 0; i < 2; i++)
            {
                rows.Add((0, rng.NextDouble() * 2 - 1, 1));
                rows.Add((0, rng.NextDouble() * 2 - 1, 0));
            }
        }
        return new Dataset("separable", rows.SelectMany(r => new[] { r.Item1, r.Item2 }).ToArray(), rows.Count, 2,
            rows.Select(r => r.Item3).ToArray(), new[] { "no", "yes" }, new[] { "dose", "noise" });
    }

    /// <summary>The refusal <paramref name="outcome"/> carries; fails the test when it holds an inference.</summary>
    private static InferenceRefusal RefusalOf(InferenceOutcome outcome)
    {
        Assert.True(outcome.Refused);
        var refusal = Assert.IsType<InferenceRefusal>(outcome.Refusal);
        // Reading the result of a refused outcome is a mistake, and says why.
        Assert.Equal(refusal.Message, Assert.Throws<InvalidOperationException>(() => outcome.Result).Message);
        return refusal;
    }

    [Fact]
    public void Complete_separation_is_refused_with_the_feature_and_the_fix()
    {
        var e = RefusalOf(LogitInference.Fit(Separable(quasi: false)));
        Assert.Equal(RefusalReason.CompleteSeparation, e.Reason);
        Assert.Equal(new[] { "dose" }, e.Features);
        Assert.Contains("complete separation", e.Message);
        Assert.Contains("'dose'", e.Message);
        Assert.Contains("TrainingOptions.Penalty = L2", e.Message);
        // The fix works: an L2 fit of the same rows has a finite optimum and a table.
        var r = LogitInference.Fit(Separable(quasi: false), PenaltyKind.L2, 1.0).Result;
        Assert.True(r.Equations[0].StandardErrors.All(double.IsFinite));
    }

    [Fact]
    public void Quasi_complete_separation_is_refused()
    {
        var e = RefusalOf(LogitInference.Fit(Separable(quasi: true)));
        Assert.Equal(RefusalReason.QuasiCompleteSeparation, e.Reason);
        Assert.Contains("'dose'", e.Message);
        Assert.Contains("quasi-complete separation", e.Message);
    }

    [Fact]
    public void Multinomial_separation_is_refused_on_iris_petals()
    {
        // Setosa's petals are shorter than every other iris's: the classes are separable.
        var iris = Columns(BuiltinDatasets.Load("iris"), new[] { 2, 3 });
        var e = RefusalOf(LogitInference.Fit(iris));
        Assert.True(e.Reason is RefusalReason.CompleteSeparation or RefusalReason.QuasiCompleteSeparation, e.Reason.ToString());
        Assert.Contains("petal", e.Message);
    }

    [Fact]
    public void Collinear_features_are_refused_as_a_singular_information_matrix()
    {
        var data = BreastCancerSubset();
        // Append twice the first feature as a fifth column.
        var x = new double[data.SampleCount * 5];
        for (int i = 0; i < data.SampleCount; i++)
        {
            for (int j = 0; j < 4; j++) x[i * 5 + j] = data[i, j];
            x[i * 5 + 4] = 2 * data[i, 0];
        }
        var doubled = new Dataset("doubled", x, data.SampleCount, 5, data.Labels, data.Classes, data.FeatureNames.Append("twice radius").ToArray());
        var e = RefusalOf(LogitInference.Fit(doubled));
        Assert.Equal(RefusalReason.SingularInformation, e.Reason);
        Assert.Contains("mean radius", e.Features);
        Assert.Contains("twice radius", e.Features);
    }

    [Fact]
    public void Unsupported_fits_are_refused_with_the_reason_and_no_features()
    {
        var data = BreastCancerSubset();
        var l1 = RefusalOf(LogitInference.Of(data.Features, data.Labels, data.SampleCount, data.FeatureCount, new double[data.FeatureCount + 1], 1,
            new Penalty(PenaltyKind.L1), data.FeatureNames, data.Classes));
        Assert.Equal(RefusalReason.Unsupported, l1.Reason);
        Assert.Empty(l1.Features);
        Assert.Equal("Inference refused: penalty 'l1' sets coefficients exactly to zero, and Wald standard errors do not apply. Use penalty none or l2.", l1.Message);

        using var weighted = Trainer.Fit(data, new TrainingOptions { ClassWeight = ClassWeightMode.Balanced });
        var w = RefusalOf(LogitInference.Of(weighted, data));
        Assert.Equal(RefusalReason.Unsupported, w.Reason);
        Assert.StartsWith("Inference refused: the model was trained with class weights", w.Message);
    }
}
