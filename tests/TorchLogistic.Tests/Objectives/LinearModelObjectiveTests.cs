using TorchLogistic.Models;
using TorchLogistic.Objectives;
using TorchLogistic.Tests.Support;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Objectives;

public class LinearModelObjectiveTests
{
    /// <summary>A random problem: X (m×d), labels in [0, K), θ, weights.</summary>
    private static (double[] X, long[] Y, double[] Theta, double[] W) Problem(int m, int d, int classes, int seed, double scale = 1)
    {
        var r = new Random(seed);
        int k = classes == 2 ? 1 : classes;
        var x = Enumerable.Range(0, m * d).Select(_ => scale * (r.NextDouble() * 2 - 1)).ToArray();
        var y = Enumerable.Range(0, m).Select(i => (long)(i % classes)).ToArray();
        var theta = Enumerable.Range(0, k * d + k).Select(_ => r.NextDouble() * 2 - 1).ToArray();
        var w = Enumerable.Range(0, m).Select(_ => 0.5 + r.NextDouble()).ToArray();
        return (x, y, theta, w);
    }

    [Fact]
    public void Binary_cross_entropy_of_a_hand_computed_example()
    {
        // z = X w + b = [0.1, −0.525, 0.35]; loss = log(1 + e^z) − y z, so with y = [1, 0, 1]
        // the mean is (ln(1+e^−0.1) + ln(1+e^−0.525) + ln(1+e^−0.35)) / 3.
        using var x = tensor(new double[] { 1, 2, -1, 0.5, 0, -1 }, new long[] { 3, 2 });
        using var y = tensor(new long[] { 1, 0, 1 });
        using var f = new LinearModelObjective(x, y, 1, Penalty.None);
        double expected = (Math.Log(1 + Math.Exp(-0.1)) + Math.Log(1 + Math.Exp(-0.525)) + Math.Log(1 + Math.Exp(-0.35))) / 3;
        Close.Equal(expected, f.Value(new[] { 0.5, -0.25, 0.1 }), 1e-15);
    }

    [Fact]
    public void L2_penalty_is_half_squared_norm_over_C_m_and_skips_the_intercept()
    {
        using var x = tensor(new double[] { 1, 2, -1, 0.5, 0, -1 }, new long[] { 3, 2 });
        using var y = tensor(new long[] { 1, 0, 1 });
        using var plain = new LinearModelObjective(x, y, 1, Penalty.None);
        using var ridge = new LinearModelObjective(x, y, 1, Penalty.L2(c: 0.5));
        double[] theta = { 0.5, -0.25, 7.0 };
        Close.Equal(plain.Value(theta) + 0.5 * (0.25 + 0.0625) / (0.5 * 3), ridge.Value(theta), 1e-15);
    }

    [Theory]
    [InlineData(40, 3, 1)]
    [InlineData(100, 7, 2)]
    [InlineData(13, 1, 3)]
    public void Binary_gradient_equals_the_closed_form_Xt_sigma_minus_y_over_m(int m, int d, int seed)
    {
        var (xs, ys, theta, _) = Problem(m, d, 2, seed);
        using var x = tensor(xs, new long[] { m, d });
        using var y = tensor(ys);
        using var f = new LinearModelObjective(x, y, 1, Penalty.None);
        var g = new double[d + 1];
        f.ValueAndGradient(theta, g);
        // Independent reference in plain loops: ∇w = Xᵀ(σ(Xw+b) − y)/m, ∇b = Σ(σ − y)/m.
        var expected = new double[d + 1];
        for (int i = 0; i < m; i++)
        {
            double z = theta[d];
            for (int j = 0; j < d; j++) z += xs[i * d + j] * theta[j];
            double residual = 1 / (1 + Math.Exp(-z)) - ys[i];
            for (int j = 0; j < d; j++) expected[j] += xs[i * d + j] * residual / m;
            expected[d] += residual / m;
        }
        Close.All(expected, g, 1e-12, 1e-15);
    }

    [Theory]
    [InlineData(2, 50, 4, 11, PenaltyKind.None)]
    [InlineData(2, 80, 6, 12, PenaltyKind.L2)]
    [InlineData(3, 60, 5, 13, PenaltyKind.L2)]
    [InlineData(10, 120, 8, 14, PenaltyKind.None)]
    public void Analytic_and_autograd_objectives_agree_in_value_gradient_and_Hessian(int classes, int m, int d, int seed, PenaltyKind penalty)
    {
        var (xs, ys, theta, ws) = Problem(m, d, classes, seed, scale: 3);
        int k = classes == 2 ? 1 : classes;
        using var x = tensor(xs, new long[] { m, d });
        using var y = tensor(ys);
        using var w = tensor(ws);
        var p = new Penalty(penalty, c: 0.7);
        using LinearClassifier module = k == 1 ? new LogisticRegression(d) : new SoftmaxRegression(d, classes);
        using var analytic = new LinearModelObjective(x, y, k, p, w);
        using var auto = new AutogradObjective(module, x, y, p, w);
        int n = analytic.ParameterCount;
        var ga = new double[n];
        var gb = new double[n];
        Close.Equal(auto.ValueAndGradient(theta, gb), analytic.ValueAndGradient(theta, ga), 1e-12);
        Assert.True(Close.RelativeError(ga, gb) <= 1e-10, $"gradient relative error {Close.RelativeError(ga, gb):E2}");
        double[] ha = analytic.Hessian(theta);
        double[] hb = auto.Hessian(theta);
        Assert.True(Close.RelativeError(ha, hb) <= 1e-10, $"Hessian relative error {Close.RelativeError(ha, hb):E2}");
        var v = Enumerable.Range(0, n).Select(i => Math.Sin(i + 1.0)).ToArray();
        var hv = new double[n];
        analytic.HessianVectorProduct(theta, v, hv);
        var expectedHv = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Sum(j => ha[i * n + j] * v[j])).ToArray();
        Assert.True(Close.RelativeError(hv, expectedHv) <= 1e-12, $"Hv relative error {Close.RelativeError(hv, expectedHv):E2}");
    }

    [Theory]
    [InlineData(2, 30, 3, 21)]
    [InlineData(4, 40, 3, 22)]
    public void Gradient_and_Hessian_match_central_finite_differences(int classes, int m, int d, int seed)
    {
        var (xs, ys, theta, ws) = Problem(m, d, classes, seed);
        int k = classes == 2 ? 1 : classes;
        using var x = tensor(xs, new long[] { m, d });
        using var y = tensor(ys);
        using var w = tensor(ws);
        using var f = new LinearModelObjective(x, y, k, Penalty.L2(2.0), w);
        int n = f.ParameterCount;
        var g = new double[n];
        f.ValueAndGradient(theta, g);
        double[] h = f.Hessian(theta);
        const double epsilon = 1e-6;
        var gp = new double[n];
        var gm = new double[n];
        for (int j = 0; j < n; j++)
        {
            var plus = (double[])theta.Clone();
            var minus = (double[])theta.Clone();
            plus[j] += epsilon;
            minus[j] -= epsilon;
            Close.Equal((f.Value(plus) - f.Value(minus)) / (2 * epsilon), g[j], 1e-6, 1e-9, $"∂f/∂θ{j}");
            f.ValueAndGradient(plus, gp);
            f.ValueAndGradient(minus, gm);
            for (int i = 0; i < n; i++) Close.Equal((gp[i] - gm[i]) / (2 * epsilon), h[i * n + j], 1e-5, 1e-8, $"H[{i},{j}]");
        }
    }

    [Fact]
    public void Extreme_logits_give_finite_loss_and_gradient()
    {
        using var x = tensor(new double[] { 1, -1 }, new long[] { 2, 1 });
        using var y = tensor(new long[] { 0, 0 });
        using var f = new LinearModelObjective(x, y, 1, Penalty.None);
        var g = new double[2];
        // z = ±1e4: the first row is confidently wrong (loss 1e4), the second confidently right (loss ~0).
        double value = f.ValueAndGradient(new[] { 1e4, 0.0 }, g);
        Close.Equal(1e4 / 2, value, 1e-12);
        Close.All(new[] { 0.5, 0.5 }, g, 1e-12);
    }
}
