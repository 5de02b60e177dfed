using TorchLogistic.Data;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Sparse;
using TorchLogistic.Tests.Metrics;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Training;

/// <summary>
/// Training on LIBSVM files through sparse products against scikit-learn's LogisticRegression on the same files
/// (newton-cg, tol 1e-12; Fixtures/scripts/libsvm_sklearn.py), and the sparse objective against the dense one.
/// </summary>
public class SparseTrainingTests
{
    private static SparseDataset Load(string name) => LibSvmFile.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "libsvm", name));

    private static TrainingOptions Options(SolverKind solver, double c, ModelKind model = ModelKind.Logistic, bool standardize = false) => new()
    {
        Model = model, Solver = solver, C = c, Tolerance = 1e-10, MaxIterations = 10_000, Standardize = standardize,
    };

    /// <summary>sklearn's [coef; intercept], intercepts centred for softmax (their common shift is not identified).</summary>
    private static double[] Reference(string key, int k, out double[] proba)
    {
        var r = FixtureFile.Read("libsvm_sklearn.json")[key]!;
        proba = FixtureFile.Doubles(r["proba_first_rows"]);
        return FixtureFile.Doubles(r["coef"]).Concat(Centred(FixtureFile.Doubles(r["intercept"]), k)).ToArray();
    }

    private static double[] Centred(double[] b, int k) => k == 1 ? b : b.Select(v => v - b.Average()).ToArray();

    private static double[] Theta(FittedModel model)
    {
        var theta = model.Module.ParametersToVector();
        int k = (int)model.Module.OutputCount, kd = theta.Length - k;
        return theta.Take(kd).Concat(Centred(theta.Skip(kd).ToArray(), k)).ToArray();
    }

    private static void AssertMatches(FittedModel model, SparseDataset data, string key)
    {
        int k = (int)model.Module.OutputCount;
        var expected = Reference(key, k, out var proba);
        Assert.True(model.Result!.Converged, model.Result.StopDescription);
        var actual = Theta(model);
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst < 1e-6, $"{key}: max |Δθ| = {worst:g3} against scikit-learn");
        var first = model.PredictProbabilities(data.Subset(Enumerable.Range(0, 5).ToArray())).Values;
        Close.All(proba, first, 0, 1e-7, $"{key}: predict_proba of the first rows");
    }

    [Theory]
    [InlineData(SolverKind.Lbfgs)]
    [InlineData(SolverKind.NewtonCg)]
    [InlineData(SolverKind.Newton)]
    [InlineData(SolverKind.LbfgsPrecond)]
    public void Binary_coefficients_equal_scikit_learns_for_every_solver_that_multiplies_by_x(SolverKind solver)
    {
        var data = Load("binary.svm");
        Assert.Equal(new[] { "-1", "1" }, data.Classes);
        using var model = Trainer.Fit(data, Options(solver, 1.0));
        AssertMatches(model, data, "binary");
    }

    [Fact]
    public void Standardised_without_centring_equals_scikit_learns_with_mean_false_pipeline()
    {
        var data = Load("binary.svm");
        using var model = Trainer.Fit(data, Options(SolverKind.Lbfgs, 0.5, standardize: true));
        Assert.All(model.Scaler!.Mean, mu => Assert.Equal(0, mu));
        AssertMatches(model, data, "binary_scaled");
    }

    [Theory]
    [InlineData(SolverKind.Lbfgs)]
    [InlineData(SolverKind.NewtonCg)]
    public void Multinomial_coefficients_equal_scikit_learns(SolverKind solver)
    {
        var data = Load("multiclass.svm");
        Assert.Equal(new[] { "1", "2", "10" }, data.Classes);
        using var model = Trainer.Fit(data, Options(solver, 0.5, ModelKind.Softmax));
        AssertMatches(model, data, "multiclass");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_sparse_objective_equals_the_dense_one_in_value_gradient_hessian_and_mini_batches(bool fitIntercept)
    {
        var data = Load("multiclass.svm");
        int k = 3, n = k * data.FeatureCount + (fitIntercept ? k : 0);
        using var scope = NewDisposeScope();
        var y = tensor(data.Labels.Select(l => (long)l).ToArray());
        var penalty = new Penalty(PenaltyKind.L2, 0.7);
        using var sparse = new LinearModelObjective(new SparseFeatureMatrix(data.Features), y, k, penalty, fitIntercept: fitIntercept);
        using var dense = new LinearModelObjective(data.ToDense().FeaturesTensor(), y, k, penalty, fitIntercept: fitIntercept);
        var random = new Random(5);
        var theta = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var v = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] gs = new double[n], gd = new double[n], hs = new double[n], hd = new double[n], bs = new double[n], bd = new double[n];
        Close.Equal(dense.ValueAndGradient(theta, gd), sparse.ValueAndGradient(theta, gs), 1e-13);
        Close.All(gd, gs, 1e-11, 1e-14, "gradient");
        dense.HessianVectorProduct(theta, v, hd);
        sparse.HessianVectorProduct(theta, v, hs);
        Close.All(hd, hs, 1e-11, 1e-14, "Hessian-vector product");
        Close.All(dense.Hessian(theta), sparse.Hessian(theta), 1e-11, 1e-14, "Hessian");
        var rows = new long[] { 3, 17, 17, 250, 0 };
        Close.Equal(dense.ValueAndGradient(theta, bd, rows), sparse.ValueAndGradient(theta, bs, rows), 1e-13);
        Close.All(bd, bs, 1e-11, 1e-14, "mini-batch gradient");
        Close.Equal(dense.LipschitzBound(), sparse.LipschitzBound(), 1e-8);
    }

    [Fact]
    public void Newton_on_a_sparse_problem_whose_hessian_cannot_fit_is_refused_with_the_alternative()
    {
        // 2,000,000 columns: the dense Hessian would be 2,000,001² doubles (32 TB), the data 3 non-zeros.
        var x = new CsrMatrix(3, 2_000_000, new[] { 0, 1, 2, 3 }, new[] { 0, 5, 1_999_999 }, new[] { 1.0, 2.0, 3.0 });
        var data = new SparseDataset("wide", x, new[] { 0, 1, 0 }, new[] { "0", "1" });
        var error = Assert.Throws<InsufficientMemoryException>(() => Trainer.Fit(data, Options(SolverKind.Newton, 1.0)));
        Assert.Contains("Solver 'newton' needs a dense Hessian even for sparse features", error.Message);
        Assert.Contains("newton-cg", error.Message);
    }

    [Fact]
    public void Options_that_need_dense_features_are_refused_with_what_to_use()
    {
        var data = Load("binary.svm");
        var error = Assert.Throws<ArgumentException>(() => Trainer.Fit(data, Options(SolverKind.Lbfgs, 1) with { PolynomialDegree = 2 }));
        Assert.Contains("TrainingOptions.PolynomialDegree = 1", error.Message);
        error = Assert.Throws<ArgumentException>(() => Trainer.Fit(data, Options(SolverKind.Lbfgs, 1) with { DType = ScalarType.Float32 }));
        Assert.Contains("TrainingOptions.DType = Float64", error.Message);
    }
}
