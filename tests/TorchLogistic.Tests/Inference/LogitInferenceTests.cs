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
    private static readonly JsonNode Reference = read("inference_statsmodels.json");

    internal static Dataset columns(Dataset data, int[] columns)
    {
        var x = new double[data.n_samples * columns.Length];
        for (int i = 0; i < data.n_samples; i++)
        {
            for (int j = 0; j < columns.Length; j++) x[i * columns.Length + j] = data[i, columns[j]];
        }
        return new Dataset(data.name, x, data.n_samples, columns.Length, data.labels, data.classes, columns.Select(c => data.feature_names[c]).ToArray());
    }

    private static Dataset breast_cancer_subset() =>
        columns(BuiltinDatasets.load("breast-cancer"), ints(Reference["breast_cancer_logit"]!["columns"]));

    [Fact]
    public void Breast_cancer_logit_equals_statsmodels_to_1e6()
    {
        var sm = Reference["breast_cancer_logit"]!;
        var r = LogitInference.fit(breast_cancer_subset()).result;
        Assert.Equal("Logit", r.model);
        var t = Assert.Single(r.equations);
        Assert.Equal(new[] { "const", "mean radius", "mean texture", "mean smoothness", "mean symmetry" }, t.names);
        const double tol = 1e-6;
        Close.All(doubles(sm["params"]), t.coef, tol, 0, "coef");
        Close.All(doubles(sm["bse"]), t.std_err, tol, 0, "std err");
        Close.All(doubles(sm["z"]), t.z, tol, 0, "z");
        Close.All(doubles(sm["pvalues"]), t.p_values, tol, 1e-300, "P>|z|");
        Close.All(doubles(sm["conf_int_lower"]), t.conf_lower, tol, 0, "[0.025");
        Close.All(doubles(sm["conf_int_upper"]), t.conf_upper, tol, 0, "0.975]");
        Close.All(doubles(sm["odds_ratio"]), t.odds_ratio, tol, 1e-300, "odds ratio");
        Close.All(doubles(sm["odds_ratio_lower"]), t.odds_ratio_lower, tol, 1e-300, "odds ratio lower");
        Close.All(doubles(sm["odds_ratio_upper"]), t.odds_ratio_upper, tol, 1e-300, "odds ratio upper");
        Close.Equal((double)sm["llf"]!, r.log_likelihood, 1e-10, 0, "log-likelihood");
        // statsmodels fits the intercept-only model iteratively (to ~1e-10); ours is the closed form Σ nₖ ln(nₖ/m).
        Close.Equal((double)sm["llnull"]!, r.null_log_likelihood, 1e-9, 0, "LL-Null");
        Close.Equal((double)sm["prsquared"]!, r.pseudo_r_squared, 1e-9, 0, "pseudo R²");
        Close.Equal((double)sm["llr"]!, r.llr, 1e-9, 0, "LLR");
        Close.Equal((double)sm["llr_pvalue"]!, r.llr_p_value, 1e-6, 0, "LLR p-value");
        Assert.Equal((int)(double)sm["df_model"]!, r.df_model);
        Assert.Equal((int)(double)sm["df_resid"]!, r.df_resid);
        Assert.Equal((int)(double)sm["nobs"]!, r.n_obs);
    }

    [Fact]
    public void Summary_is_a_table_with_the_feature_names_and_statsmodels_numbers()
    {
        var r = LogitInference.fit(breast_cancer_subset()).result;
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
        var r = LogitInference.fit(breast_cancer_subset(), PenaltyKind.L2, c).result;
        var t = Assert.Single(r.equations);
        Close.All(doubles(reference["params"]), t.coef, 1e-7, 0, "penalised coef");
        Close.All(doubles(reference["bse"]), t.std_err, 1e-7, 0, "penalised std err");
        Close.Equal((double)reference["llf"]!, r.log_likelihood, 1e-10, 0, "unpenalised log-likelihood at the penalised estimate");
        Assert.Equal("l2", r.penalty);
        Assert.Contains(r.notes, n => n.Contains("penalised Hessian", StringComparison.Ordinal));
    }

    [Fact]
    public void Multinomial_equals_statsmodels_mnlogit_with_class_0_as_reference()
    {
        var sm = Reference["mnlogit"]!;
        int[] y = ints(sm["labels"]);
        var data = new Dataset("mnlogit", doubles(sm["features"]), y.Length, 2, y, new[] { "a", "b", "c" }, new[] { "x1", "x2" });
        var r = LogitInference.fit(data).result;
        Assert.Equal("MNLogit", r.model);
        Assert.Equal(2, r.equations.Count);
        Assert.Equal("b vs a", r.equations[0].label);
        double[] all(Func<CoefficientTable, double[]> f) => r.equations.SelectMany(f).ToArray();
        Close.All(doubles(sm["params"]), all(e => e.coef), 1e-6, 0, "coef");
        Close.All(doubles(sm["bse"]), all(e => e.std_err), 1e-6, 0, "std err");
        Close.All(doubles(sm["z"]), all(e => e.z), 1e-6, 0, "z");
        Close.All(doubles(sm["pvalues"]), all(e => e.p_values), 1e-6, 1e-300, "P>|z|");
        Close.All(doubles(sm["conf_int_lower"]), all(e => e.conf_lower), 1e-6, 0, "[0.025");
        Close.All(doubles(sm["conf_int_upper"]), all(e => e.conf_upper), 1e-6, 0, "0.975]");
        Close.Equal((double)sm["llf"]!, r.log_likelihood, 1e-10);
        Close.Equal((double)sm["llnull"]!, r.null_log_likelihood, 1e-9);
        Close.Equal((double)sm["llr_pvalue"]!, r.llr_p_value, 1e-6);
        Assert.Equal((int)(double)sm["df_model"]!, r.df_model);
        Assert.Equal((int)(double)sm["df_resid"]!, r.df_resid);
        Assert.Contains("b vs a", r.Summary());
    }

    [Fact]
    public void Multinomial_l2_reports_contrasts_with_finite_standard_errors()
    {
        var sm = Reference["mnlogit"]!;
        int[] y = ints(sm["labels"]);
        var data = new Dataset("mnlogit", doubles(sm["features"]), y.Length, 2, y, new[] { "a", "b", "c" }, new[] { "x1", "x2" });
        var unpenalised = LogitInference.fit(data).result;
        // A very weak penalty must give (nearly) the unpenalised answer.
        var weak = LogitInference.fit(data, PenaltyKind.L2, 1e8).result;
        Close.All(unpenalised.equations.SelectMany(e => e.coef).ToArray(), weak.equations.SelectMany(e => e.coef).ToArray(), 1e-5, 1e-7, "coef");
        Close.All(unpenalised.equations.SelectMany(e => e.std_err).ToArray(), weak.equations.SelectMany(e => e.std_err).ToArray(), 1e-5, 0, "std err");
        var strong = LogitInference.fit(data, PenaltyKind.L2, 0.01).result;
        Assert.True(strong.equations.SelectMany(e => e.std_err).All(double.IsFinite));
        Assert.True(Math.Abs(strong.equations[0].coef[1]) < Math.Abs(unpenalised.equations[0].coef[1]), "the penalty shrinks the slope");
    }

    private static Dataset separable(bool quasi)
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
    private static InferenceRefusal refusal_of(InferenceOutcome outcome)
    {
        Assert.True(outcome.refused);
        var refusal = Assert.IsType<InferenceRefusal>(outcome.refusal);
        // Reading the result of a refused outcome is a mistake, and says why.
        Assert.Equal(refusal.message, Assert.Throws<InvalidOperationException>(() => outcome.result).Message);
        return refusal;
    }

    [Fact]
    public void Complete_separation_is_refused_with_the_feature_and_the_fix()
    {
        var e = refusal_of(LogitInference.fit(separable(quasi: false)));
        Assert.Equal(RefusalReason.CompleteSeparation, e.reason);
        Assert.Equal(new[] { "dose" }, e.features);
        Assert.Contains("complete separation", e.message);
        Assert.Contains("'dose'", e.message);
        Assert.Contains("TrainingOptions.penalty = L2", e.message);
        // The fix works: an L2 fit of the same rows has a finite optimum and a table.
        var r = LogitInference.fit(separable(quasi: false), PenaltyKind.L2, 1.0).result;
        Assert.True(r.equations[0].std_err.All(double.IsFinite));
    }

    [Fact]
    public void Quasi_complete_separation_is_refused()
    {
        var e = refusal_of(LogitInference.fit(separable(quasi: true)));
        Assert.Equal(RefusalReason.QuasiCompleteSeparation, e.reason);
        Assert.Contains("'dose'", e.message);
        Assert.Contains("quasi-complete separation", e.message);
    }

    [Fact]
    public void Multinomial_separation_is_refused_on_iris_petals()
    {
        // Setosa's petals are shorter than every other iris's: the classes are separable.
        var iris = columns(BuiltinDatasets.load("iris"), new[] { 2, 3 });
        var e = refusal_of(LogitInference.fit(iris));
        Assert.True(e.reason is RefusalReason.CompleteSeparation or RefusalReason.QuasiCompleteSeparation, e.reason.ToString());
        Assert.Contains("petal", e.message);
    }

    [Fact]
    public void Collinear_features_are_refused_as_a_singular_information_matrix()
    {
        var data = breast_cancer_subset();
        // Append twice the first feature as a fifth column.
        var x = new double[data.n_samples * 5];
        for (int i = 0; i < data.n_samples; i++)
        {
            for (int j = 0; j < 4; j++) x[i * 5 + j] = data[i, j];
            x[i * 5 + 4] = 2 * data[i, 0];
        }
        var doubled = new Dataset("doubled", x, data.n_samples, 5, data.labels, data.classes, data.feature_names.Append("twice radius").ToArray());
        var e = refusal_of(LogitInference.fit(doubled));
        Assert.Equal(RefusalReason.SingularInformation, e.reason);
        Assert.Contains("mean radius", e.features);
        Assert.Contains("twice radius", e.features);
    }

    [Fact]
    public void Unsupported_fits_are_refused_with_the_reason_and_no_features()
    {
        var data = breast_cancer_subset();
        var l1 = refusal_of(LogitInference.of(data.features, data.labels, data.n_samples, data.n_features, new double[data.n_features + 1], 1,
            new Penalty(PenaltyKind.L1), data.feature_names, data.classes));
        Assert.Equal(RefusalReason.Unsupported, l1.reason);
        Assert.Empty(l1.features);
        Assert.Equal("Inference refused: penalty 'l1' sets coefficients exactly to zero, and Wald standard errors do not apply. Use penalty none or l2.", l1.message);

        using var weighted = Trainer.fit(data, new TrainingOptions { class_weight = ClassWeightMode.Balanced });
        var w = refusal_of(LogitInference.of(weighted, data));
        Assert.Equal(RefusalReason.Unsupported, w.reason);
        Assert.StartsWith("Inference refused: the model was trained with sample or class weights", w.message);
    }
}
