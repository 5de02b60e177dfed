using TorchLogistic.Losses;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace TorchLogistic.Tests.Losses;

/// <summary>Values equal TorchSharp's built-ins (1e-12 in float64) over random shapes, seeds, options and reductions.</summary>
public class LossValueTests
{
    private static readonly nn.Reduction[] Reductions = { nn.Reduction.None, nn.Reduction.Mean, nn.Reduction.Sum };

    public static IEnumerable<object[]> Seeds() => Enumerable.Range(0, 12).Select(s => new object[] { s });

    private static long[] RandomShape(Random r, int minDims, int maxDims)
    {
        int dims = r.Next(minDims, maxDims + 1);
        return Enumerable.Range(0, dims).Select(_ => (long)r.Next(1, 7)).ToArray();
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Binary_cross_entropy_with_logits_equals_the_builtin(int seed)
    {
        using var scope = NewDisposeScope();
        var r = new Random(seed);
        var g = new Generator((ulong)seed);
        var shape = RandomShape(r, 1, 3);
        var z = Numbers.Uniform(g, 8, shape);
        var y = seed % 3 == 0 ? Numbers.Between(g, 0, 1, shape) : Numbers.Labels(g, 2, shape).to_type(ScalarType.Float64);
        var weight = Numbers.Between(g, 0.1, 2, shape.Skip(seed % shape.Length).ToArray());
        var posWeight = Numbers.Between(g, 0.2, 3, shape[^1]);
        foreach (var reduction in Reductions)
        {
            foreach (var (w, p) in new[] { ((Tensor?)null, (Tensor?)null), (weight, null), (null, posWeight), (weight, posWeight) })
            {
                var expected = F.binary_cross_entropy_with_logits(z, y, w, reduction, p);
                var actual = LossFunctions.BinaryCrossEntropyWithLogits(z, y, w, reduction, p);
                Numbers.Close(expected, actual, 1e-12, 1e-14, $"BCE {reduction} weight={w is not null} pos_weight={p is not null}");
                using var module = new BinaryCrossEntropyWithLogits(w, reduction, p);
                Numbers.Close(expected, module.call(z, y), 1e-12, 1e-14, "BCE module");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Cross_entropy_with_class_indices_equals_the_builtin(int seed)
    {
        using var scope = NewDisposeScope();
        var r = new Random(seed);
        var g = new Generator((ulong)seed);
        long n = r.Next(1, 9), k = r.Next(2, 6);
        long[] extra = seed % 4 == 3 ? new long[] { r.Next(1, 4), r.Next(1, 3) } : Array.Empty<long>();
        var inputShape = new[] { n, k }.Concat(extra).ToArray();
        var z = Numbers.Uniform(g, 6, inputShape);
        var y = Numbers.Labels(g, k, new[] { n }.Concat(extra).ToArray());
        // Some rows ignored (never all of them: PyTorch's weighted mean is then 0/0).
        var ignoredY = y.clone();
        if (y.numel() > 1) ignoredY.view(-1).index_put_(tensor(-100L), TensorIndex.Single(0));
        var weight = Numbers.Between(g, 0.2, 3, k);
        foreach (var reduction in Reductions)
        {
            foreach (var target in new[] { y, ignoredY })
            {
                foreach (var w in new[] { null, weight })
                {
                    foreach (double epsilon in new[] { 0.0, 0.15 })
                    {
                        var expected = F.cross_entropy(z, target, w, -100, reduction, epsilon);
                        var actual = LossFunctions.CrossEntropy(z, target, w, -100, reduction, epsilon);
                        Numbers.Close(expected, actual, 1e-12, 1e-14, $"CE {reduction} weight={w is not null} ε={epsilon} input [{string.Join(", ", inputShape)}]");
                        using var module = new CategoricalCrossEntropy(w, -100, reduction, epsilon);
                        Numbers.Close(expected, module.call(z, target), 1e-12, 1e-14, "CE module");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Cross_entropy_with_probability_targets_equals_the_builtin(int seed)
    {
        using var scope = NewDisposeScope();
        var r = new Random(seed);
        var g = new Generator((ulong)seed);
        long n = r.Next(1, 9), k = r.Next(2, 6);
        var z = Numbers.Uniform(g, 6, n, k);
        var t = Numbers.Probabilities(g, n, k);
        var weight = Numbers.Between(g, 0.2, 3, k);
        foreach (var reduction in Reductions)
        {
            foreach (var w in new[] { null, weight })
            {
                foreach (double epsilon in new[] { 0.0, 0.3 })
                {
                    var expected = F.cross_entropy(z, t, w, -100, reduction, epsilon);
                    var actual = LossFunctions.CrossEntropy(z, t, w, -100, reduction, epsilon);
                    Numbers.Close(expected, actual, 1e-12, 1e-14, $"CE probabilities {reduction} weight={w is not null} ε={epsilon}");
                }
            }
        }
    }

    [Fact]
    public void Unbatched_cross_entropy_equals_the_batched_row()
    {
        using var scope = NewDisposeScope();
        var z = tensor(new[] { 0.5, -1, 2 });
        var expected = F.cross_entropy(z.unsqueeze(0), tensor(new long[] { 2 }));
        Numbers.Close(expected, LossFunctions.CrossEntropy(z, tensor(2L)), 1e-15, 0, "unbatched");
        Assert.Empty(LossFunctions.CrossEntropy(z, tensor(2L), reduction: nn.Reduction.None).shape);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Soft_margin_and_multilabel_soft_margin_equal_the_builtins(int seed)
    {
        using var scope = NewDisposeScope();
        var r = new Random(seed);
        var g = new Generator((ulong)seed);
        var shape = RandomShape(r, 1, 3);
        var z = Numbers.Uniform(g, 8, shape);
        var pm = Numbers.Labels(g, 2, shape).to_type(ScalarType.Float64) * 2 - 1;
        long n = r.Next(1, 9), c = r.Next(1, 6);
        var zm = Numbers.Uniform(g, 8, n, c);
        var ym = Numbers.Labels(g, 2, n, c).to_type(ScalarType.Float64);
        var weight = Numbers.Between(g, 0.2, 3, c);
        foreach (var reduction in Reductions)
        {
            Numbers.Close(F.soft_margin_loss(z, pm, reduction), LossFunctions.SoftMarginLoss(z, pm, reduction), 1e-12, 1e-14, $"soft margin {reduction}");
            using var soft = new SoftMargin(reduction);
            Numbers.Close(F.soft_margin_loss(z, pm, reduction), soft.call(z, pm), 1e-12, 1e-14, "soft margin module");
            foreach (var w in new[] { null, weight })
            {
                var expected = F.multilabel_soft_margin_loss(zm, ym, w, reduction);
                Numbers.Close(expected, LossFunctions.MultiLabelSoftMarginLoss(zm, ym, w, reduction), 1e-12, 1e-14, $"multilabel {reduction} weight={w is not null}");
                using var module = new MultiLabelSoftMargin(w, reduction);
                Numbers.Close(expected, module.call(zm, ym), 1e-12, 1e-14, "multilabel module");
            }
        }
    }

    public static TheoryData<ScalarType> Dtypes => new() { ScalarType.Float32, ScalarType.Float64 };

    [Theory]
    [MemberData(nameof(Dtypes))]
    public void Logits_of_plus_minus_1e4_give_finite_exact_losses(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        double relativeTolerance = dtype == ScalarType.Float32 ? 1e-6 : 1e-15;
        var z = tensor(new double[] { 1e4, -1e4, 1e4, -1e4 }).to_type(dtype);
        var y = tensor(new double[] { 1, 0, 0, 1 }).to_type(dtype);
        // Right with certainty: 0; wrong with certainty: 1e4 each. Mean = 2e4 / 4.
        var bce = LossFunctions.BinaryCrossEntropyWithLogits(z, y, reduction: nn.Reduction.None);
        Numbers.Close(tensor(new double[] { 0, 0, 1e4, 1e4 }), bce.to_type(ScalarType.Float64), relativeTolerance, 0, "BCE per entry");
        Numbers.Close(F.binary_cross_entropy_with_logits(z, y), LossFunctions.BinaryCrossEntropyWithLogits(z, y), relativeTolerance, 0, "BCE = built-in");

        var rows = tensor(new double[] { 1e4, -1e4, 0, -1e4, 1e4, -1e4 }, new long[] { 2, 3 }).to_type(dtype);
        var labels = tensor(new long[] { 0, 2 });
        var ce = LossFunctions.CrossEntropy(rows, labels, reduction: nn.Reduction.None);
        Numbers.Close(tensor(new double[] { 0, 2e4 }), ce.to_type(ScalarType.Float64), relativeTolerance, 0, "CE per row");
        Numbers.Close(F.cross_entropy(rows, labels), LossFunctions.CrossEntropy(rows, labels), relativeTolerance, 0, "CE = built-in");
        Numbers.Close(F.cross_entropy(rows, labels, label_smoothing: 0.1), LossFunctions.CrossEntropy(rows, labels, labelSmoothing: 0.1), relativeTolerance, 0, "CE smoothed");

        var ml = LossFunctions.MultiLabelSoftMarginLoss(rows, tensor(new double[] { 1, 0, 1, 0, 1, 1 }, new long[] { 2, 3 }).to_type(dtype), reduction: nn.Reduction.None);
        // Row 2: (0 + 0 + 1e4) / 3 — only z = −1e4 with label 1 is wrong.
        Numbers.Close(tensor(new[] { Math.Log(2) / 3, 1e4 / 3 }), ml.to_type(ScalarType.Float64), relativeTolerance, 0, "multilabel per row");

        // PyTorch's soft margin is log1p(exp(−y·z)), which overflows here; ours stays exact.
        var pm = y * 2 - 1;
        var soft = LossFunctions.SoftMarginLoss(z, pm, nn.Reduction.None);
        Numbers.Close(tensor(new double[] { 0, 0, 1e4, 1e4 }), soft.to_type(ScalarType.Float64), relativeTolerance, 0, "soft margin per entry");
        Assert.True(double.IsPositiveInfinity(Numbers.Value(F.soft_margin_loss(z, pm))), "the built-in was expected to overflow; if it no longer does, compare with it here");
    }

    [Fact]
    public void Class_weights_with_hard_labels_equal_per_sample_weights_and_balanced_is_n_over_2_counts()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(7);
        var z = Numbers.Uniform(g, 5, 10);
        var y = tensor(new double[] { 1, 1, 1, 0, 1, 0, 1, 1, 0, 1 });   // 7 positives, 3 negatives
        var explicitWeights = new BinaryClassWeights(0.4, 2.5);
        var perSample = where(y > 0.5, full_like(y, 2.5), full_like(y, 0.4));
        Numbers.Close(F.binary_cross_entropy_with_logits(z, y, perSample),
            LossFunctions.BinaryCrossEntropyWithLogits(z, y, classWeight: explicitWeights), 1e-14, 0, "explicit α");
        var balancedWeights = where(y > 0.5, full_like(y, 10 / (2 * 7.0)), full_like(y, 10 / (2 * 3.0)));
        Numbers.Close(F.binary_cross_entropy_with_logits(z, y, balancedWeights),
            LossFunctions.BinaryCrossEntropyWithLogits(z, y, classWeight: BinaryClassWeights.Balanced), 1e-14, 0, "balanced α");
        // Same numbers as the trainer's class weights.
        var sk = TorchLogistic.Data.SampleWeights.Balanced(new[] { 1, 1, 1, 0, 1, 0, 1, 1, 0, 1 }, 2);
        Assert.Equal(new[] { 10 / 6.0, 10 / 14.0 }, sk);
    }

    [Fact]
    public void Log_base_2_divides_by_ln_2_and_reproduces_log2_bits()
    {
        using var scope = NewDisposeScope();
        var p = tensor(new[] { 0.9, 0.2, 0.6, 0.5 });
        var y = tensor(new double[] { 1, 0, 0, 1 });
        var z = (p / (1 - p)).log();
        // −[y log₂ p + (1 − y) log₂(1 − p)], by hand.
        double expected = new[] { -Math.Log2(0.9), -Math.Log2(0.8), -Math.Log2(0.4), -Math.Log2(0.5) }.Average();
        Assert.Equal(expected, Numbers.Value(LossFunctions.BinaryCrossEntropyWithLogits(z, y, logBase: 2)), 14);
        Assert.Equal(Numbers.Value(LossFunctions.BinaryCrossEntropyWithLogits(z, y)) / Math.Log(2),
            Numbers.Value(LossFunctions.BinaryCrossEntropyWithLogits(z, y, logBase: 2)), 15);
    }

    [Fact]
    public void Effective_targets_combine_class_weights_smoothing_and_ignore_index()
    {
        using var scope = NewDisposeScope();
        var ce = new PointwiseCrossEntropy(tensor(new[] { 1.0, 2, 4 }), ignoreIndex: -1, labelSmoothing: 0.3);
        var q = ce.EffectiveTargets(tensor(new long[] { 1, -1 }), zeros(2, 3, dtype: ScalarType.Float64));
        // Row 0: (1 − 0.3)·w₁·e₁ + (0.3/3)·w = [0.1, 1.4 + 0.2, 0.4]; row 1 is ignored.
        Numbers.Close(tensor(new[] { 0.1, 1.6, 0.4, 0, 0, 0 }, new long[] { 2, 3 }), q, 1e-15, 1e-16, "q");
        var loss = ce.Loss(tensor(new long[] { 1, -1 }), tensor(new[] { 0.2, -0.1, 0.7, 5, 5, 5 }, new long[] { 2, 3 }));
        var logp = tensor(new[] { 0.2, -0.1, 0.7 }).log_softmax(0);
        Numbers.Close(tensor(new[] { -(q[0] * logp).sum().item<double>(), 0 }), loss, 1e-14, 0, "loss = −Σ q log p");
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_messages_that_name_the_fix()
    {
        using var scope = NewDisposeScope();
        var z = zeros(3, 4, dtype: ScalarType.Float64);
        var e = Assert.Throws<ArgumentException>(() => LossFunctions.CrossEntropy(z, tensor(new long[] { 0, 4, 1 })));
        Assert.Contains("Class index 4 is outside [0, 4)", e.Message);
        e = Assert.Throws<ArgumentException>(() => LossFunctions.CrossEntropy(z, tensor(new long[] { 0, 1 })));
        Assert.Contains("expected [3]", e.Message.Replace("must be [3]", "expected [3]"));
        e = Assert.Throws<ArgumentException>(() => LossFunctions.BinaryCrossEntropyWithLogits(z, zeros(4, 3, dtype: ScalarType.Float64)));
        Assert.Contains("must match", e.Message);
        e = Assert.Throws<ArgumentException>(() => LossFunctions.BinaryCrossEntropyWithLogits(z, zeros_like(z), weight: ones(5, dtype: ScalarType.Float64)));
        Assert.Contains("does not broadcast", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CategoricalCrossEntropy(labelSmoothing: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BinaryCrossEntropyWithLogits(logBase: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BinaryClassWeights(-1, 1));
        e = Assert.Throws<ArgumentException>(() => LossFunctions.CrossEntropy(z, zeros(3, dtype: ScalarType.Int64), weight: ones(3, dtype: ScalarType.Float64)));
        Assert.Contains("one weight per class", e.Message);
    }
}
