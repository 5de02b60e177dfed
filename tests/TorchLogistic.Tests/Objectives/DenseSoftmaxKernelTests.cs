using TorchLogistic.Models;
using TorchLogistic.Objectives;
using TorchLogistic.Tests.Support;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Objectives;

/// <summary>
/// The managed float64 softmax kernel behind <see cref="LinearModelObjective"/> (<see cref="LinearModelObjective.IsManagedSoftmax"/>)
/// against <see cref="AutogradObjective"/> — TorchSharp's own <c>cross_entropy</c> and autograd (double backward for the
/// Hessian) on the same module and rows, sharing no formula with the kernel.
/// </summary>
public class DenseSoftmaxKernelTests
{
    [Theory]
    [InlineData(53, 5, 3, true, true, 0.0)]
    [InlineData(40, 7, 4, false, true, 0.1)]
    [InlineData(31, 4, 5, true, false, 0.0)]
    [InlineData(64, 8, 2, false, false, 0.2)]
    public void Value_gradient_Hessian_and_products_equal_autograd(int m, int d, int k, bool weighted, bool intercept, double smoothing)
    {
        var r = new Random(m + d + k);
        using var x = tensor(Enumerable.Range(0, m * d).Select(_ => 3 * (r.NextDouble() * 2 - 1)).ToArray(), new long[] { m, d });
        using var y = tensor(Enumerable.Range(0, m).Select(i => (long)(i % k)).ToArray());
        using var w = weighted ? tensor(Enumerable.Range(0, m).Select(_ => 0.5 + r.NextDouble()).ToArray()) : null;
        var penalty = Penalty.L2(0.7);
        using var managed = new LinearModelObjective(x, y, k, penalty, w, smoothing, fitIntercept: intercept);
        using var module = new SoftmaxRegression(d, k, fitIntercept: intercept);
        using var auto = new AutogradObjective(module, x, y, penalty, w, smoothing);
        Assert.True(managed.IsManagedSoftmax);
        int n = managed.ParameterCount;
        Assert.Equal(auto.ParameterCount, n);
        var theta = Enumerable.Range(0, n).Select(_ => r.NextDouble() - 0.5).ToArray();
        var other = Enumerable.Range(0, n).Select(_ => r.NextDouble() - 0.5).ToArray();
        var v = Enumerable.Range(0, n).Select(i => Math.Sin(i + 1.0)).ToArray();

        var expectedGradient = new double[n];
        double expected = auto.ValueAndGradient(theta, expectedGradient);
        double[] expectedHessian = auto.Hessian(theta);
        var expectedHv = new double[n];
        auto.HessianVectorProduct(theta, v, expectedHv);

        // A product or Hessian at a θ other than the last gradient's first evaluates there; a value alone keeps the probabilities.
        var gradient = new double[n];
        managed.ValueAndGradient(other, gradient);
        var hv = new double[n];
        managed.HessianVectorProduct(theta, v, hv);
        Assert.True(Close.RelativeError(hv, expectedHv) <= 1e-11, $"Hv relative error {Close.RelativeError(hv, expectedHv):E2}");
        managed.ValueAndGradient(other, gradient);
        double[] hessian = managed.Hessian(theta);
        Assert.True(Close.RelativeError(hessian, expectedHessian) <= 1e-11, $"Hessian relative error {Close.RelativeError(hessian, expectedHessian):E2}");
        Close.Equal(expected, managed.Value(theta), 1e-12);
        double value = managed.ValueAndGradient(theta, gradient);
        Close.Equal(expected, value, 1e-12);
        Assert.True(Close.RelativeError(gradient, expectedGradient) <= 1e-11, $"gradient relative error {Close.RelativeError(gradient, expectedGradient):E2}");
        managed.Value(other);
        managed.HessianVectorProduct(theta, v, hv);
        Assert.True(Close.RelativeError(hv, expectedHv) <= 1e-11, $"Hv after a value elsewhere: relative error {Close.RelativeError(hv, expectedHv):E2}");
    }

    [Fact]
    public void Binary_float32_and_large_problems_keep_their_paths()
    {
        using var y = tensor(new long[] { 0, 1, 2, 1 });
        using var x64 = tensor(new double[] { 1, 2, 3, 4, 5, 6, 7, 8 }, new long[] { 4, 2 });
        using var binary = new LinearModelObjective(x64, tensor(new long[] { 0, 1, 0, 1 }), 1, Penalty.L2());
        Assert.False(binary.IsManagedSoftmax);
        using var x32 = x64.to_type(ScalarType.Float32);
        using var single = new LinearModelObjective(x32, y, 3, Penalty.L2());
        Assert.False(single.IsManagedSoftmax);
        using var pytorch = new LinearModelObjective(x64, y, 3, Penalty.L2(), classWeight: new[] { 1.0, 2.0, 3.0 }, convention: WeightConvention.PyTorch);
        Assert.False(pytorch.IsManagedSoftmax);
        using var small = new LinearModelObjective(x64, y, 3, Penalty.L2());
        Assert.True(small.IsManagedSoftmax);
    }
}
