using TorchLogistic.Losses;
using TorchLogistic.Objectives;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Objectives;

/// <summary>
/// The objective checks its targets once and evaluates trusted targets with fewer operations (binary: u = 1 − 2y;
/// softmax: the factored targets cached, the ×Σq = ×1 skipped). The shortcut must give the same bits as the loss
/// layer's general path, which a fresh copy of the targets (another tensor object, so not trusted) takes.
/// </summary>
public class TrustedTargetsTests
{
    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(4, 0.0)]
    [InlineData(1, 0.1)]
    [InlineData(4, 0.1)]
    public void The_trusted_path_gives_the_bits_of_the_general_path(int k, double labelSmoothing)
    {
        const int m = 60, d = 4;
        var generator = new Generator(11);
        var x = randn(new long[] { m, d }, dtype: ScalarType.Float64, generator: generator) * 3;
        var y = randint(0, Math.Max(k, 2), new long[] { m }, generator: generator);
        using var objective = new LinearModelObjective(x, y, k, new Penalty(PenaltyKind.L2, 0.5), labelSmoothing: labelSmoothing);
        // The loss layer's trusted path, not the managed float64 softmax kernel (DenseSoftmaxKernelTests checks that one).
        objective.UseLossLayer();
        Assert.False(objective.IsManagedSoftmax);
        var theta = Enumerable.Range(0, objective.ParameterCount).Select(i => Math.Sin(1.7 * i) * 2).ToArray();
        var direction = Enumerable.Range(0, objective.ParameterCount).Select(i => Math.Cos(0.3 * i)).ToArray();
        var gradient = new double[objective.ParameterCount];
        double value = objective.ValueAndGradient(theta, gradient);
        var hv = new double[objective.ParameterCount];
        objective.HessianVectorProduct(theta, direction, hv);
        var hessian = objective.Hessian(theta);

        // The general path: the same loss layer with copies of the targets, which are not the trusted tensor.
        using var scope = NewDisposeScope();
        PointwiseLoss pointwise = k == 1 ? new PointwiseBinaryCrossEntropy() : new PointwiseCrossEntropy(labelSmoothing: labelSmoothing);
        var loss = new LinearModelLoss(pointwise, d, k);
        var target = k == 1 ? y.to_type(ScalarType.Float64) * (1 - labelSmoothing) + labelSmoothing / 2 : y.clone();
        var weights = full(m, 1.0 / m, dtype: ScalarType.Float64);
        double l2 = objective.L2Strength;
        var t = tensor(theta);
        var (v, g) = loss.LossGradient(t, x, target, weights, l2);
        var expectedHv = loss.HessianVectorProduct(t, tensor(direction), x, target, weights, l2).data<double>().ToArray();
        var expectedHessian = loss.Hessian(t, x, target, weights, l2).data<double>().ToArray();

        Assert.Equal(BitConverter.DoubleToInt64Bits(v.item<double>()), BitConverter.DoubleToInt64Bits(value));
        Assert.Equal(g.data<double>().ToArray(), gradient);
        Assert.Equal(expectedHv, hv);
        Assert.Equal(expectedHessian, hessian);
        Assert.Equal(loss.Loss(t, x, target, weights, l2).item<double>(), objective.Value(theta));
    }

    [Fact]
    public void Only_the_trusted_tensor_skips_the_check()
    {
        using var scope = NewDisposeScope();
        var logits = zeros(3, 3, dtype: ScalarType.Float64);
        var loss = new PointwiseCrossEntropy();
        var trusted = tensor(new long[] { 0, 1, 2 });
        loss.TrustTargets(trusted, logits);
        Assert.Equal(3 * Math.Log(3), loss.Loss(trusted, logits).sum().item<double>(), 12);
        var error = Assert.Throws<ArgumentException>(() => loss.Loss(tensor(new long[] { 0, 1, 3 }), logits));
        Assert.Contains("Class index 3 is outside [0, 3)", error.Message);
        Assert.Throws<ArgumentException>(() => loss.TrustTargets(tensor(new long[] { 0, -1, 2 }), logits));
        loss.ReleaseTrustedTargets();
        Assert.Equal(3 * Math.Log(3), loss.Loss(trusted, logits).sum().item<double>(), 12);
    }
}
