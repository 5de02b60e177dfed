using TorchLogistic.Models;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Tests.Support;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Objectives;

/// <summary>What the solvers need from the objectives beyond f, ∇f and ∇²f: mini-batches, flat directions, the L1 prox.</summary>
public class SolverSupportTests
{
    private static (Tensor X, Tensor Y, Tensor W, double[] Theta) Problem(int m, int d, int classes, int seed)
    {
        var r = new Random(seed);
        int k = classes == 2 ? 1 : classes;
        var x = tensor(Enumerable.Range(0, m * d).Select(_ => r.NextDouble() * 4 - 2).ToArray(), new long[] { m, d });
        var y = tensor(Enumerable.Range(0, m).Select(i => (long)(i % classes)).ToArray());
        var w = tensor(Enumerable.Range(0, m).Select(_ => 0.5 + r.NextDouble()).ToArray());
        var theta = Enumerable.Range(0, k * d + k).Select(_ => r.NextDouble() - 0.5).ToArray();
        return (x, y, w, theta);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Mini_batch_gradients_average_to_the_full_gradient_in_both_gradient_paths(int classes)
    {
        int m = 48, d = 5, k = classes == 2 ? 1 : classes;
        var (x, y, w, theta) = Problem(m, d, classes, 7);
        using var xOwned = x; using var yOwned = y; using var wOwned = w;
        using var analytic = new LinearModelObjective(x, y, k, Penalty.L2(0.3), w);
        using LinearClassifier module = k == 1 ? new LogisticRegression(d) : new SoftmaxRegression(d, classes);
        using var auto = new AutogradObjective(module, x, y, Penalty.L2(0.3), w);
        int n = analytic.ParameterCount;
        var full = new double[n];
        double fullValue = analytic.ValueAndGradient(theta, full);
        // Four batches of 12 (a permutation): their mean is the full objective and gradient.
        var order = Enumerable.Range(0, m).Select(i => (long)((i * 7) % m)).ToArray();
        var sum = new double[n];
        double sumValue = 0;
        var g = new double[n];
        var gAuto = new double[n];
        for (int b = 0; b < 4; b++)
        {
            var rows = order.Skip(12 * b).Take(12).ToArray();
            double v = analytic.ValueAndGradient(theta, g, rows);
            Close.Equal(v, auto.ValueAndGradient(theta, gAuto, rows), 1e-12);
            Close.All(g, gAuto, 1e-10, 1e-14);
            sumValue += v / 4;
            for (int j = 0; j < n; j++) sum[j] += g[j] / 4;
        }
        Close.Equal(fullValue, sumValue, 1e-13);
        Close.All(full, sum, 1e-11, 1e-15);
        var all = new double[n];
        Close.Equal(fullValue, analytic.ValueAndGradient(theta, all, Enumerable.Range(0, m).Select(i => (long)i).ToArray()), 1e-14);
        Close.All(full, all, 1e-13, 1e-16);
    }

    [Theory]
    [InlineData(PenaltyKind.L2, 1)]
    [InlineData(PenaltyKind.None, 6)]
    public void Softmax_is_flat_along_its_null_directions(PenaltyKind penalty, int expected)
    {
        int m = 30, d = 5, classes = 3;
        var (x, y, w, theta) = Problem(m, d, classes, 8);
        using var xOwned = x; using var yOwned = y; using var wOwned = w;
        using var f = new LinearModelObjective(x, y, classes, new Penalty(penalty, 0.7), w);
        Assert.Equal(expected, f.NullDirections.Count);
        int n = f.ParameterCount;
        var g = new double[n];
        double value = f.ValueAndGradient(theta, g);
        var hu = new double[n];
        foreach (var u in f.NullDirections)
        {
            Close.Equal(1, Math.Sqrt(u.Sum(v => v * v)), 1e-15);
            var moved = theta.Select((t, i) => t + 3 * u[i]).ToArray();
            Close.Equal(value, f.Value(moved), 1e-13);
            Assert.True(Math.Abs(g.Select((v, i) => v * u[i]).Sum()) < 1e-15);
            f.HessianVectorProduct(theta, u, hu);
            Assert.True(hu.Max(Math.Abs) < 1e-15);
        }
        using var binary = new LinearModelObjective(x, y.remainder(2), 1, Penalty.None);
        Assert.Empty(binary.NullDirections);
    }

    [Fact]
    public void The_prox_gradient_mapping_is_the_gradient_without_L1_and_zero_at_an_L1_optimum()
    {
        double[] g = { 0.3, -0.05, 0.02, -0.4 };
        Assert.Equal(0.4, Proximal.GradientMappingNorm(new[] { 1.0, 0, 0, 2 }, g, 0, 3));
        // θ = (0.5, 0, 0, b) with λ₁ = 0.1: optimal iff g₀ = −0.1 (θ₀ > 0), |g₁|, |g₂| ≤ 0.1, g₃ = 0.
        Assert.Equal(0, Proximal.GradientMappingNorm(new[] { 0.5, 0, 0, 1 }, new[] { -0.1, 0.05, -0.02, 0 }, 0.1, 3), 15);
        Assert.Equal(0.1, Proximal.GradientMappingNorm(new[] { 0.5, 0, 0, 1 }, new[] { -0.1, 0.2, -0.02, 0 }, 0.1, 3), 15);
        Assert.Equal(0.0, Proximal.SoftThreshold(0.05, 0.1));
        Assert.Equal(-0.2, Proximal.SoftThreshold(-0.3, 0.1), 15);
        var pseudo = new double[4];
        Proximal.PseudoGradient(new[] { 0.5, 0, 0, 1 }, new[] { -0.1, 0.2, -0.02, 0.3 }, 0.1, 3, pseudo);
        Close.All(new[] { 0.0, 0.1, 0, 0.3 }, pseudo, 1e-15, 1e-16);
    }
}
