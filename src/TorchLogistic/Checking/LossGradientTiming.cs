using System.Diagnostics;
using TorchLogistic.Losses;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace TorchLogistic.Checking;

/// <summary>The cost of one loss-and-gradient evaluation of a softmax regression, closed form against autograd.</summary>
/// <param name="dtype">float32 or float64.</param>
/// <param name="n_samples">m.</param>
/// <param name="n_features">d.</param>
/// <param name="n_classes">K.</param>
/// <param name="repeats">Timed evaluations of each (after one warm-up).</param>
/// <param name="analytic_ms">Median milliseconds of <see cref="LinearModelLoss.loss_gradient"/> (cross-entropy, mean).</param>
/// <param name="autograd_ms">Median milliseconds of TorchSharp's <c>cross_entropy(linear(X, W, b), y)</c> plus <c>autograd.grad</c>.</param>
/// <param name="analytic_min_ms">Fastest analytic evaluation: the least disturbed by other work on the machine.</param>
/// <param name="autograd_min_ms">Fastest autograd evaluation.</param>
/// <param name="max_relative_difference">max |g_analytic − g_autograd| / max |g_autograd| of the two gradients.</param>
/// <param name="threads">Intra-op threads libtorch used.</param>
public sealed record LossGradientTiming(ScalarType dtype, long n_samples, long n_features, long n_classes, int repeats,
    double analytic_ms, double autograd_ms, double analytic_min_ms, double autograd_min_ms, double max_relative_difference, int threads)
{
    /// <summary>
    /// Times both paths on random data (standard-normal X, uniform labels, W ~ 0.01·N(0, 1), b = 0): one warm-up each,
    /// then <paramref name="repeats"/> alternating evaluations; reports the medians and the minima (on a shared machine the
    /// minimum is the better estimate of the cost itself).
    /// </summary>
    /// <param name="dtype">float32 or float64.</param>
    /// <param name="n_samples">m (default 60 000, MNIST's training set).</param>
    /// <param name="n_features">d (default 784).</param>
    /// <param name="n_classes">K (default 10).</param>
    /// <param name="repeats">Timed evaluations of each path (default 5).</param>
    /// <param name="seed">Seed of the random data (default 0).</param>
    public static LossGradientTiming measure(ScalarType dtype, long n_samples = 60_000, long n_features = 784, long n_classes = 10, int repeats = 5, int seed = 0)
    {
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64)) throw new ArgumentException($"dtype {dtype} is not supported; use float32 or float64.", nameof(dtype));
        if (repeats < 1) throw new ArgumentOutOfRangeException(nameof(repeats), repeats, "repeats must be ≥ 1.");
        using var scope = NewDisposeScope();
        var g = new Generator((ulong)seed + 1);
        var x = randn(new[] { n_samples, n_features }, dtype: dtype, generator: g);
        var y = randint(0, n_classes, new[] { n_samples }, generator: g);
        var w = (randn(new[] { n_classes, n_features }, dtype: dtype, generator: g) * 0.01).requires_grad_(true);
        var b = zeros(n_classes, dtype: dtype).requires_grad_(true);
        var loss = new LinearModelLoss(new PointwiseCrossEntropy(), n_features, n_classes);
        var sampleWeight = full(n_samples, 1.0 / n_samples, dtype: dtype);
        var theta = LinearModelLoss.pack(w, b).detach();

        Tensor Analytic()
        {
            using var inner = NewDisposeScope();
            return loss.loss_gradient(theta, x, y, sampleWeight).gradient.MoveToOuterDisposeScope();
        }
        Tensor Autograd()
        {
            using var inner = NewDisposeScope();
            var value = F.cross_entropy(F.linear(x, w, b), y);
            var grads = autograd.grad(new[] { value }, new[] { w, b });
            return LinearModelLoss.pack(grads[0], grads[1]).MoveToOuterDisposeScope();
        }

        var ga = Analytic();
        var gb = Autograd();
        double difference = (ga - gb).abs().max().to_type(ScalarType.Float64).item<double>() / gb.abs().max().to_type(ScalarType.Float64).item<double>();
        var analyticTimes = new List<double>();
        var autogradTimes = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            analyticTimes.Add(time(() => Analytic().Dispose()));
            autogradTimes.Add(time(() => Autograd().Dispose()));
        }
        return new LossGradientTiming(dtype, n_samples, n_features, n_classes, repeats, median(analyticTimes), median(autogradTimes),
            analyticTimes.Min(), autogradTimes.Min(), difference, get_num_threads());
    }

    /// <summary>One line: shape, dtype, minima and medians of both paths, the ratio of the minima, and the gradients' agreement.</summary>
    public override string ToString() => FormattableString.Invariant(
        $"{n_samples}×{n_features}×{n_classes} {dtype.ToString().ToLowerInvariant(),-7}: analytic {analytic_min_ms,7:F1} ms (median {analytic_ms,7:F1}), autograd {autograd_min_ms,7:F1} ms (median {autograd_ms,7:F1}); autograd/analytic {autograd_min_ms / analytic_min_ms:F2} (min of {repeats}, {threads} threads); gradients differ by {max_relative_difference:E1} relative");

    private static double time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
