using TorchLogistic.Losses;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace TorchLogistic.Tests.Losses;

/// <summary>
/// A loss configuration on random data: our module, and the independent reference it must match — TorchSharp's
/// built-in where one exists for the options, otherwise the module's own forward (whose values are checked against
/// the built-ins elsewhere). Used by the derivative tests.
/// </summary>
internal sealed record LossCase(string Name, LogitLoss Module, Tensor Input, Tensor Target, Func<Tensor, Tensor> Reference, bool Convex = true)
{
    public override string ToString() => Name;

    /// <summary>A scalar reference: the built-in's value (summed for reduction none, whose derivative is that of the sum).</summary>
    public Tensor ScalarReference(Tensor z) => Reference(z).sum();

    public static IEnumerable<LossCase> All(int seed, double scale = 6)
    {
        var r = new Random(seed);
        var g = new Generator((ulong)seed + 1000);
        long n = r.Next(1, 7), k = r.Next(2, 5);
        var reduction = (nn.Reduction)(seed % 3);    // None, Mean, Sum

        // Binary cross-entropy: (n) or (n, k), soft or hard targets, weights on and off.
        var z1 = Numbers.Uniform(g, scale, n);
        var y1 = Numbers.Labels(g, 2, n).to_type(ScalarType.Float64);
        yield return new("bce", new BinaryCrossEntropyWithLogits(reduction: reduction), z1, y1, z => F.binary_cross_entropy_with_logits(z, y1, reduction: reduction));
        var z2 = Numbers.Uniform(g, scale, n, k);
        var y2 = Numbers.Between(g, 0, 1, n, k);
        var w2 = Numbers.Between(g, 0.2, 2, n, 1);
        var p2 = Numbers.Between(g, 0.5, 3, k);
        yield return new("bce weight+pos_weight", new BinaryCrossEntropyWithLogits(w2, reduction, p2), z2, y2,
            z => F.binary_cross_entropy_with_logits(z, y2, w2, reduction, p2));
        var bceAlpha = new BinaryCrossEntropyWithLogits(w2, reduction, p2, BinaryClassWeights.Balanced, logBase: 2);
        yield return new("bce balanced+log2", bceAlpha, z2, y2, z => bceAlpha.call(z, y2));

        // Cross-entropy: indices with weights, ignore_index and smoothing; probabilities; extra dimensions.
        var zc = Numbers.Uniform(g, scale, n, k);
        var yc = Numbers.Labels(g, k, n);
        var wc = Numbers.Between(g, 0.2, 3, k);
        yield return new("ce", new CategoricalCrossEntropy(reduction: reduction), zc, yc, z => F.cross_entropy(z, yc, reduction: reduction));
        var ycIgnored = yc.clone();
        if (n > 1) ycIgnored.index_put_(tensor(-100L), TensorIndex.Single(0));
        yield return new("ce weight+ignore+smoothing", new CategoricalCrossEntropy(wc, -100, reduction, 0.2), zc, ycIgnored,
            z => F.cross_entropy(z, ycIgnored, wc, -100, reduction, 0.2));
        var tc = Numbers.Probabilities(g, n, k);
        yield return new("ce probabilities+weight+smoothing", new CategoricalCrossEntropy(wc, -100, reduction, 0.1), zc, tc,
            z => F.cross_entropy(z, tc, wc, -100, reduction, 0.1));
        var zd = Numbers.Uniform(g, scale, n, k, 2);
        var yd = Numbers.Labels(g, k, n, 2);
        yield return new("ce (n, k, d)", new CategoricalCrossEntropy(wc, reduction: reduction), zd, yd, z => F.cross_entropy(z, yd, wc, reduction: reduction));

        // Soft margin (±1) and multi-label soft margin.
        var ys = Numbers.Labels(g, 2, n, k).to_type(ScalarType.Float64) * 2 - 1;
        yield return new("soft margin", new SoftMargin(reduction), z2, ys, z => F.soft_margin_loss(z, ys, reduction));
        var ym = Numbers.Labels(g, 2, n, k).to_type(ScalarType.Float64);
        yield return new("multilabel soft margin", new MultiLabelSoftMargin(wc, reduction), z2, ym, z => F.multilabel_soft_margin_loss(z, ym, wc, reduction));
    }
}
