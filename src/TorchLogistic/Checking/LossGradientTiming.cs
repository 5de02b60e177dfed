using System.Diagnostics;
using TorchLogistic.Losses;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using TorchLogistic.Native;

namespace TorchLogistic.Checking;

/// <summary>The cost of one loss-and-gradient evaluation of a softmax regression, closed form against autograd.</summary>
/// <param name="DType">float32 or float64.</param>
/// <param name="SampleCount">m.</param>
/// <param name="FeatureCount">d.</param>
/// <param name="ClassCount">K.</param>
/// <param name="Repeats">Timed evaluations of each (after one warm-up).</param>
/// <param name="AnalyticMs">Median milliseconds of <see cref="LinearModelLoss.LossGradient"/> (cross-entropy, mean).</param>
/// <param name="AutogradMs">Median milliseconds of TorchSharp's <c>cross_entropy(linear(X, W, b), y)</c> plus <c>autograd.grad</c>.</param>
/// <param name="AnalyticMinMs">Fastest analytic evaluation: the least disturbed by other work on the machine.</param>
/// <param name="AutogradMinMs">Fastest autograd evaluation.</param>
/// <param name="MaxRelativeDifference">max |g_analytic − g_autograd| / max |g_autograd| of the two gradients.</param>
/// <param name="Threads">Intra-op threads libtorch used.</param>
public sealed record LossGradientTiming(ScalarType DType, long SampleCount, long FeatureCount, long ClassCount, int Repeats,
    double AnalyticMs, double AutogradMs, double AnalyticMinMs, double AutogradMinMs, double MaxRelativeDifference, int Threads)
{
    /// <summary>
    /// Times both paths on random data (standard-normal X, uniform labels, W ~ 0.01·N(0, 1), b = 0): one warm-up each,
    /// then <paramref name="repeats"/> alternating evaluations; reports the medians and the minima (on a shared machine the
    /// minimum is the better estimate of the cost itself).
    /// </summary>
    /// <param name="dtype">float32 or float64.</param>
    /// <param name="sampleCount">m (default 60 000, MNIST's training set).</param>
    /// <param name="featureCount">d (default 784).</param>
    /// <param name="classCount">K (default 10).</param>
    /// <param name="repeats">Timed evaluations of each path (default 5).</param>
    /// <param name="seed">Seed of the random data (default 0).</param>
    public static LossGradientTiming Measure(ScalarType dtype, long sampleCount = 60_000, long featureCount = 784, long classCount = 10, int repeats = 5, int seed = 0)
    {
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64)) throw new ArgumentException($"dtype {dtype} is not supported; use float32 or float64.", nameof(dtype));
        if (repeats < 1) throw new ArgumentOutOfRangeException(nameof(repeats), repeats, "repeats must be ≥ 1.");
        using var scope = NewDisposeScope();
        var g = new Generator((ulong)seed + 1);
        var x = randn(new[] { sampleCount, featureCount }, dtype: dtype, generator: g);
        var y = randint(0, classCount, new[] { sampleCount }, generator: g);
        var w = randn(new[] { classCount, featureCount }, dtype: dtype, generator: g).Times(0.01).requires_grad_(true);
        var b = zeros(classCount, dtype: dtype).requires_grad_(true);
        var loss = new LinearModelLoss(new PointwiseCrossEntropy(), featureCount, classCount);
        using var share = Scalars.Of(1.0 / sampleCount);
        var sampleWeight = full(sampleCount, share, dtype: dtype);
        var theta = LinearModelLoss.Pack(w, b).detach();

        Tensor Analytic()
        {
            using var inner = NewDisposeScope();
            return loss.LossGradient(theta, x, y, sampleWeight).gradient.MoveToOuterDisposeScope();
        }
        Tensor Autograd()
        {
            using var inner = NewDisposeScope();
            var value = F.cross_entropy(F.linear(x, w, b), y);
            var grads = autograd.grad(new[] { value }, new[] { w, b });
            return LinearModelLoss.Pack(grads[0], grads[1]).MoveToOuterDisposeScope();
        }

        var ga = Analytic();
        var gb = Autograd();
        double difference = (ga - gb).abs().max().to_type(ScalarType.Float64).item<double>() / gb.abs().max().to_type(ScalarType.Float64).item<double>();
        var analyticTimes = new List<double>();
        var autogradTimes = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            analyticTimes.Add(Time(() => Analytic().Dispose()));
            autogradTimes.Add(Time(() => Autograd().Dispose()));
        }
        return new LossGradientTiming(dtype, sampleCount, featureCount, classCount, repeats, Median(analyticTimes), Median(autogradTimes),
            analyticTimes.Min(), autogradTimes.Min(), difference, get_num_threads());
    }

    /// <summary>One line: shape, dtype, minima and medians of both paths, the ratio of the minima, and the gradients' agreement.</summary>
    public override string ToString() => FormattableString.Invariant(
        $"{SampleCount}×{FeatureCount}×{ClassCount} {DType.ToString().ToLowerInvariant(),-7}: analytic {AnalyticMinMs,7:F1} ms (median {AnalyticMs,7:F1}), autograd {AutogradMinMs,7:F1} ms (median {AutogradMs,7:F1}); autograd/analytic {AutogradMinMs / AnalyticMinMs:F2} (min of {Repeats}, {Threads} threads); gradients differ by {MaxRelativeDifference:E1} relative");

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
