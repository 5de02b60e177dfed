using TorchLogistic.Data;
using TorchLogistic.Metrics;
using TorchLogistic.Models;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Models;

public class SoftmaxRegressionTests
{
    internal static TrainingOptions Tight(ModelKind model) => new()
    {
        Model = model, Standardize = true, C = 1, Solver = SolverKind.Lbfgs, Tolerance = 1e-12, MaxIterations = 20_000,
    };

    [Theory]
    [InlineData("iris")]
    [InlineData("digits")]
    public void Softmax_matches_scikit_learns_multinomial_coefficients(string name)
    {
        // scikit-learn: all rows, StandardScaler, L2, C = 1, newton-cg at tol 1e-12 (see the fixture script).
        var data = BuiltinDatasets.Load(name);
        using var model = Trainer.Fit(data, Tight(ModelKind.Softmax));
        var result = model.Result!;
        Assert.True(result.Criterion < 1e-10, result.StopDescription);
        double[] expected = MulticlassFixture.Theta($"{name}.softmax");
        Assert.Equal(expected.Length, result.Theta.Length);
        double error = Close.RelativeError(result.Theta, expected);
        Assert.True(error < 1e-7, $"relative error {error:E2} of θ against scikit-learn");
        // Both are at the same optimum: the objectives agree to rounding, and ours is not above theirs.
        double theirs = (double)MulticlassFixture.Get($"{name}.softmax.objective");
        Close.Equal(theirs, result.Objective, 1e-12);
        var evaluation = Evaluation.Of(model, data);
        Close.Equal((double)MulticlassFixture.Get($"{name}.softmax.log_loss"), evaluation.LogLoss, 1e-9, what: "log loss (scikit-learn's log_loss)");
        Assert.Equal((double)MulticlassFixture.Get($"{name}.softmax.accuracy"), evaluation.Accuracy);
    }

    [Theory]
    [InlineData("iris")]
    [InlineData("digits")]
    public void Newton_subspace_reaches_the_scikit_learn_softmax_optimum(string name)
    {
        // The same optimum as scikit-learn's newton-cg at tol 1e-12 (and as lbfgs above): θ to 1e-7, F to 1e-12 relative.
        var data = BuiltinDatasets.Load(name);
        using var model = Trainer.Fit(data, Tight(ModelKind.Softmax) with { Solver = SolverKind.NewtonSubspace, MaxIterations = 200 });
        var result = model.Result!;
        Assert.True(result.Criterion < 1e-10, result.StopDescription);
        double error = Close.RelativeError(result.Theta, MulticlassFixture.Theta($"{name}.softmax"));
        Assert.True(error < 1e-7, $"relative error {error:E2} of θ against scikit-learn");
        Close.Equal((double)MulticlassFixture.Get($"{name}.softmax.objective"), result.Objective, 1e-12);
    }

    [Fact]
    public void Softmax_intercepts_and_coefficients_sum_to_zero_over_classes()
    {
        // The softmax is unchanged by adding a constant to every class's logit; from θ₀ = 0 every gradient step
        // keeps Σₖ bₖ = 0, and the L2 optimum has Σₖ Wₖ = 0: the representative scikit-learn reports too.
        var data = BuiltinDatasets.Load("iris");
        using var model = Trainer.Fit(data, Tight(ModelKind.Softmax));
        double[] theta = model.Result!.Theta;
        int d = data.FeatureCount, k = data.ClassCount;
        Assert.True(Math.Abs(theta.Skip(k * d).Sum()) < 1e-12);
        for (int j = 0; j < d; j++) Assert.True(Math.Abs(Enumerable.Range(0, k).Sum(c => theta[c * d + j])) < 1e-9);
    }

    [Theory]
    [InlineData(3, 0.1)]
    [InlineData(5, 0.35)]
    [InlineData(1, 0.2)]
    public void Label_smoothing_analytic_and_autograd_objectives_agree_with_pytorchs_cross_entropy(int k, double epsilon)
    {
        // The autograd path uses TorchSharp's cross_entropy(label_smoothing: ε) — PyTorch's definition — and the
        // analytic path the soft targets (1 − ε)·onehot + ε/K; same value, gradient and Hessian-vector product.
        int m = 30, d = 4;
        var r = new Random(k);
        var xs = Enumerable.Range(0, m * d).Select(_ => r.NextDouble() * 4 - 2).ToArray();
        int classes = k == 1 ? 2 : k;
        var ys = Enumerable.Range(0, m).Select(i => (long)(i % classes)).ToArray();
        var theta = Enumerable.Range(0, k * d + k).Select(_ => r.NextDouble() - 0.5).ToArray();
        var v = Enumerable.Range(0, k * d + k).Select(_ => r.NextDouble() - 0.5).ToArray();
        using var x = tensor(xs, new long[] { m, d });
        using var y = tensor(ys);
        using var sw = tensor(Enumerable.Range(0, m).Select(i => 0.5 + (i % 3)).ToArray());
        using LinearClassifier module = k == 1 ? new LogisticRegression(d) : new SoftmaxRegression(d, k);
        using var analytic = new LinearModelObjective(x, y, k, Penalty.L2(0.7), sw, epsilon);
        using var autograd = new AutogradObjective(module, x, y, Penalty.L2(0.7), sw, epsilon);
        var ga = new double[theta.Length];
        var gb = new double[theta.Length];
        Close.Equal(autograd.ValueAndGradient(theta, gb), analytic.ValueAndGradient(theta, ga), 1e-13);
        Close.All(gb, ga, 1e-11, 1e-15);
        var ha = new double[theta.Length];
        var hb = new double[theta.Length];
        analytic.HessianVectorProduct(theta, v, ha);
        autograd.HessianVectorProduct(theta, v, hb);
        Close.All(hb, ha, 1e-11, 1e-15);

        // And the value by hand: (1/m) Σ sᵢ [logsumexp(zᵢ) − Σₖ tᵢₖ zᵢₖ] + ½‖W‖²/(C·m).
        double expected = 0;
        for (int i = 0; i < m; i++)
        {
            var z = new double[classes];
            for (int c = 0; c < k; c++)
            {
                z[k == 1 ? 1 : c] = theta[k * d + c];
                for (int j = 0; j < d; j++) z[k == 1 ? 1 : c] += theta[c * d + j] * xs[i * d + j];
            }
            double max = z.Max();
            double lse = max + Math.Log(z.Sum(zc => Math.Exp(zc - max)));
            double targetDotZ = Enumerable.Range(0, classes).Sum(c => ((c == ys[i] ? 1 - epsilon : 0) + epsilon / classes) * z[c]);
            expected += (0.5 + (i % 3)) * (lse - targetDotZ);
        }
        expected = expected / m + 0.5 * theta.Take(k * d).Sum(t => t * t) / (0.7 * m);
        Close.Equal(expected, analytic.Value(theta), 1e-13);
    }

    [Fact]
    public void Label_smoothing_trains_to_a_stationary_point_with_softer_probabilities()
    {
        // Iris without its first 30 setosas: classes of 20, 50 and 50 rows.
        var data = BuiltinDatasets.Load("iris").Subset(Enumerable.Range(30, 120).ToArray());
        using var plain = Trainer.Fit(data, Tight(ModelKind.Softmax) with { Tolerance = 1e-9 });
        using var smoothed = Trainer.Fit(data, Tight(ModelKind.Softmax) with { Tolerance = 1e-9, LabelSmoothing = 0.2 });
        Assert.True(smoothed.Result!.Converged, smoothed.Result.StopDescription);
        double maxPlain = plain.PredictProbabilities(data).Values.Max(), maxSmoothed = smoothed.PredictProbabilities(data).Values.Max();
        Assert.True(maxSmoothed < maxPlain, $"smoothed max probability {maxSmoothed} not below plain {maxPlain}");
        Assert.True(maxSmoothed < 0.95, $"smoothed max probability {maxSmoothed}");
        // Stationarity in the intercepts: Σᵢ (pᵢₖ − tᵢₖ) = 0, so the mean probability of class k is the mean
        // smoothed target (1 − ε)·mₖ/m + ε/K: 0.8·20/120 + 0.2/3 = 0.2 and 0.8·50/120 + 0.2/3 = 0.4.
        double[] proba = smoothed.PredictProbabilities(data).Values;
        double[] expected = { 0.2, 0.4, 0.4 };
        for (int k = 0; k < 3; k++)
            Close.Equal(expected[k], Enumerable.Range(0, data.SampleCount).Average(i => proba[i * 3 + k]), 1e-8, what: $"mean probability of class {k}");
        double accuracy = Evaluation.Of(smoothed, data).Accuracy;
        Assert.True(accuracy >= 0.9, $"accuracy {accuracy}");
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    public void Label_smoothing_outside_zero_to_one_is_refused(double epsilon)
    {
        var e = Assert.Throws<ArgumentException>(() => new TrainingOptions { LabelSmoothing = epsilon }.Validate());
        Assert.Contains("TrainingOptions.LabelSmoothing", e.Message);
    }

    [Fact]
    public void Digits_softmax_reaches_95_percent_on_a_seeded_80_20_split()
    {
        var (train, test) = TrainTestSplit.Split(BuiltinDatasets.Load("digits"), 0.2, seed: 0);
        using var model = Trainer.Fit(train, new TrainingOptions { Model = ModelKind.Softmax, Standardize = true, Tolerance = 1e-8 }, test);
        Assert.True(Evaluation.Of(model, test!).Accuracy >= 0.95);
    }
}
