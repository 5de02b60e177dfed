using System.Text.Json.Nodes;
using TorchLogistic.Data;
using TorchLogistic.IO;
using TorchLogistic.Losses;
using TorchLogistic.Optim;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Training;

/// <summary>
/// <see cref="TrainingOptions.FitIntercept"/> = false against scikit-learn's <c>LogisticRegression(fit_intercept=False)</c>
/// (Fixtures/no_intercept_sklearn.json, made by Fixtures/scripts/no_intercept_sklearn.py).
/// </summary>
public class NoInterceptTests
{
    private static readonly Lazy<JsonObject> Fixture = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "no_intercept_sklearn.json")))!.AsObject());

    private static JsonObject Reference(string data, int index) => Fixture.Value[data]![index]!.AsObject();

    private static double[] Coefficients(JsonObject reference) =>
        reference["coef"]!.AsArray().SelectMany(row => row!.AsArray().Select(v => (double)v!)).ToArray();

    private static double[] Numbers(JsonNode node) => node.AsArray().Select(v => (double)v!).ToArray();

    [Theory]
    [InlineData("breast-cancer", "breast_cancer", 0, SolverKind.Lbfgs)]
    [InlineData("breast-cancer", "breast_cancer", 0, SolverKind.Newton)]
    [InlineData("breast-cancer", "breast_cancer", 1, SolverKind.NewtonCg)]
    [InlineData("breast-cancer", "breast_cancer", 1, SolverKind.LbfgsPrecond)]
    [InlineData("iris", "iris", 0, SolverKind.Lbfgs)]
    [InlineData("iris", "iris", 0, SolverKind.Newton)]
    [InlineData("iris", "iris", 1, SolverKind.NewtonCg)]
    [InlineData("iris", "iris", 1, SolverKind.LbfgsPrecond)]
    [InlineData("iris", "iris", 1, SolverKind.GdLipschitz)]
    public void Coefficients_equal_scikit_learns_fit_intercept_false(string name, string key, int index, SolverKind solver)
    {
        var reference = Reference(key, index);
        var data = BuiltinDatasets.Load(name);
        var options = new TrainingOptions
        {
            Model = data.ClassCount == 2 ? ModelKind.Logistic : ModelKind.Softmax, Standardize = true, C = (double)reference["C"]!,
            Solver = solver, Tolerance = 1e-12, MaxIterations = 200_000, FitIntercept = false,
        };
        using var model = Trainer.Fit(data, options);
        Assert.True(model.Result!.Converged, model.Result.StopDescription);
        Assert.False(model.Module.FitIntercept);
        Assert.Null(model.Module.Bias);
        double[] expected = Coefficients(reference);
        // θ = vec(W): K·d entries, no intercepts.
        Assert.Equal(expected.Length, model.Result.Theta.Length);
        Close.All(expected, model.Result.Theta, 0, 1e-8, what: $"{name} {solver} coefficients against scikit-learn");
        Close.All(Numbers(reference["proba"]!), model.PredictProbabilities(data).Values, 0, 1e-9, what: "predict_proba");
    }

    [Fact]
    public void Autograd_and_one_vs_rest_paths_fit_without_an_intercept()
    {
        var reference = Reference("breast_cancer", 0);
        var data = BuiltinDatasets.Load("breast-cancer");
        var options = new TrainingOptions { Standardize = true, Solver = SolverKind.Lbfgs, Tolerance = 1e-12, MaxIterations = 20_000, FitIntercept = false, Gradients = GradientMode.Autograd };
        using var model = Trainer.Fit(data, options);
        Close.All(Coefficients(reference), model.Result!.Theta, 0, 1e-8, what: "autograd coefficients");
        // One-vs-rest's member for class 1 of a two-class problem is the binary model itself.
        using var ovr = Trainer.Fit(data, options with { Model = ModelKind.OneVsRest, Gradients = GradientMode.Analytic });
        Assert.Equal(2 * data.FeatureCount, ovr.Module.ParameterCount);
        using var member = ((global::TorchLogistic.Models.OneVsRest)ovr.Module).Member(1);
        Close.All(Coefficients(reference), member.ParametersToVector(), 0, 1e-8, what: "one-vs-rest member 1");
    }

    [Fact]
    public void Loss_layer_without_intercept_is_the_with_intercept_loss_at_b_zero()
    {
        // An independent route: the no-intercept θ is the with-intercept θ with b = 0, so value, gradient and Hessian
        // are the restrictions of the full ones.
        using var scope = NewDisposeScope();
        var g = new Generator(7);
        long m = 40, d = 3, k = 4;
        var x = randn(m, d, dtype: ScalarType.Float64, generator: g);
        var y = randint(0, k, m, generator: g);
        var w = randn(k * d, dtype: ScalarType.Float64, generator: g);
        var full = new LinearModelLoss(new PointwiseCrossEntropy(), d, k);
        var none = new LinearModelLoss(new PointwiseCrossEntropy(), d, k, fitIntercept: false);
        var padded = cat(new[] { w, zeros(k, dtype: ScalarType.Float64) });
        Assert.Equal(k * d, none.ParameterCount);
        Close.Equal(full.Loss(padded, x, y, l2RegStrength: 0.3).item<double>(), none.Loss(w, x, y, l2RegStrength: 0.3).item<double>(), 1e-14);
        Close.All(Values(full.Gradient(padded, x, y, l2RegStrength: 0.3).narrow(0, 0, k * d)), Values(none.Gradient(w, x, y, l2RegStrength: 0.3)), 1e-13, 1e-15);
        var h = full.Hessian(padded, x, y, l2RegStrength: 0.3).narrow(0, 0, k * d).narrow(1, 0, k * d);
        Close.All(Values(h), Values(none.Hessian(w, x, y, l2RegStrength: 0.3)), 1e-13, 1e-15, "Hessian");
        var v = randn(k * d, dtype: ScalarType.Float64, generator: g);
        Close.All(Values(h.matmul(v)), Values(none.HessianVectorProduct(w, v, x, y, l2RegStrength: 0.3)), 1e-12, 1e-14, "Hessian-vector product");
    }

    [Fact]
    public void Model_file_keeps_the_missing_intercept()
    {
        var data = BuiltinDatasets.Load("iris");
        var options = new TrainingOptions { Model = ModelKind.Softmax, Standardize = true, MaxIterations = 50, FitIntercept = false };
        using var model = Trainer.Fit(data, options);
        byte[] bytes = ModelFile.ToBytes(model);
        using var loaded = ModelFile.FromBytes(bytes, "memory");
        Assert.False(loaded.Module.FitIntercept);
        Assert.False(loaded.Options.FitIntercept);
        Assert.Equal(model.Module.ParametersToVector(), loaded.Module.ParametersToVector());
        Assert.Equal(model.PredictProbabilities(data).Values, loaded.PredictProbabilities(data).Values);
    }

    [Fact]
    public void Warm_start_from_a_model_with_an_intercept_is_refused()
    {
        var data = BuiltinDatasets.Load("breast-cancer");
        using var start = Trainer.Fit(data, new TrainingOptions { Standardize = true, MaxIterations = 5 });
        var e = Assert.Throws<ArgumentException>(() => Trainer.Fit(data, new TrainingOptions { Standardize = true, FitIntercept = false }, warmStart: start));
        Assert.Contains("has an intercept but this run fits none (TrainingOptions.FitIntercept)", e.Message);
    }

    [Fact]
    public void Inference_without_intercept_equals_statsmodels_logit_without_a_constant()
    {
        var sm = Fixture.Value["logit_no_constant"]!;
        int[] columns = sm["columns"]!.AsArray().Select(v => (int)v!).ToArray();
        var data = Inference.LogitInferenceTests.Columns(BuiltinDatasets.Load("breast-cancer"), columns);
        var r = global::TorchLogistic.Inference.LogitInference.Fit(data, fitIntercept: false).Result;
        var t = Assert.Single(r.Equations);
        Assert.Equal(new[] { "mean radius", "mean texture", "mean smoothness", "mean symmetry" }, t.Names);
        Close.All(Numbers(sm["params"]!), t.Coefficients, 1e-6, 0, "coef");
        Close.All(Numbers(sm["bse"]!), t.StandardErrors, 1e-6, 0, "std err");
        Close.All(Numbers(sm["z"]!), t.Z, 1e-6, 0, "z");
        Close.All(Numbers(sm["pvalues"]!), t.PValues, 1e-6, 1e-300, "P>|z|");
        Close.All(Numbers(sm["conf_int_lower"]!), t.ConfidenceLower, 1e-6, 0, "[0.025");
        Close.All(Numbers(sm["conf_int_upper"]!), t.ConfidenceUpper, 1e-6, 0, "0.975]");
        Close.Equal((double)sm["llf"]!, r.LogLikelihood, 1e-10, 0, "log-likelihood");
        Close.Equal((double)sm["llnull"]!, r.NullLogLikelihood, 1e-9, 0, "LL-Null");
        Assert.Equal((int)(double)sm["df_model"]!, r.ModelDegreesOfFreedom);
        Assert.Equal((int)(double)sm["df_resid"]!, r.ResidualDegreesOfFreedom);
    }

    private static double[] Values(Tensor t) => t.to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
}
