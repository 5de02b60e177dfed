using TorchLogistic.Checking;
using TorchLogistic.Losses;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace TorchLogistic.Tests.Losses;

/// <summary>
/// Gradients, Hessians and Hessian-vector products with respect to θ = [vec(W); b] of a linear model equal autograd
/// through TorchSharp's built-in losses (1e-10, float64), for every loss, with and without weights and an L2 penalty.
/// </summary>
public class LinearModelLossTests
{
    public static IEnumerable<object[]> Seeds() => Enumerable.Range(0, 8).Select(s => new object[] { s });

    /// <summary>A linear-model case: the module's reduced loss of Z = X Wᵀ + b, through the built-in (reference) and through <see cref="LinearModelLoss"/>.</summary>
    private sealed record Case(string Name, LinearModelLoss Loss, PointwiseForm Form, Tensor X, Func<Tensor, Tensor> ReferenceOfLogits);

    private static IEnumerable<Case> Cases(int seed, double scale = 2)
    {
        var r = new Random(seed);
        var g = new Generator((ulong)seed + 77);
        long m = r.Next(2, 9), d = r.Next(1, 5), k = r.Next(2, 5);
        var x = Numbers.Uniform(g, scale, m, d);
        var reduction = seed % 2 == 0 ? nn.Reduction.Mean : nn.Reduction.Sum;

        var yb = Numbers.Labels(g, 2, m).to_type(ScalarType.Float64);
        var wb = Numbers.Between(g, 0.3, 2, m);
        var pw = tensor(2.5);
        yield return Make("logistic (bce, K = 1)", new BinaryCrossEntropyWithLogits(reduction: reduction), x, yb, 1,
            z => F.binary_cross_entropy_with_logits(z, yb, reduction: reduction));
        yield return Make("logistic weighted (bce, K = 1)", new BinaryCrossEntropyWithLogits(wb, reduction, pw), x, yb, 1,
            z => F.binary_cross_entropy_with_logits(z, yb, wb, reduction, pw));

        var yc = Numbers.Labels(g, k, m);
        var wc = Numbers.Between(g, 0.3, 2, k);
        yield return Make("softmax (ce)", new CategoricalCrossEntropy(reduction: reduction), x, yc, k, z => F.cross_entropy(z, yc, reduction: reduction));
        yield return Make("softmax weighted+smoothing (ce)", new CategoricalCrossEntropy(wc, -100, reduction, 0.1), x, yc, k,
            z => F.cross_entropy(z, yc, wc, -100, reduction, 0.1));

        var ys = Numbers.Labels(g, 2, m).to_type(ScalarType.Float64) * 2 - 1;
        yield return Make("soft margin (K = 1)", new SoftMargin(reduction), x, ys, 1, z => F.soft_margin_loss(z, ys, reduction));
        var ym = Numbers.Labels(g, 2, m, k).to_type(ScalarType.Float64);
        yield return Make("multilabel soft margin", new MultiLabelSoftMargin(wc, reduction), x, ym, k, z => F.multilabel_soft_margin_loss(z, ym, wc, reduction));
        var ybk = Numbers.Labels(g, 2, m, k).to_type(ScalarType.Float64);
        yield return Make("multi-output bce", new BinaryCrossEntropyWithLogits(reduction: reduction, positiveWeight: wc), x, ybk, k,
            z => F.binary_cross_entropy_with_logits(z, ybk, reduction: reduction, pos_weights: wc));
    }

    private static Case Make(string name, LogitLoss module, Tensor x, Tensor y, long k, Func<Tensor, Tensor> reference)
    {
        long m = x.shape[0], d = x.shape[1];
        var z0 = k == 1 && y.dim() == 1 ? zeros(m, dtype: x.dtype) : zeros(m, k, dtype: x.dtype);
        var form = module.PointwiseForm(z0, y);
        return new Case(name, new LinearModelLoss(form.Loss, d, k), form, x, reference);
    }

    /// <summary>θ ↦ reference(X Wᵀ + b) + ½λ‖W‖², differentiable by autograd.</summary>
    private static Func<Tensor, Tensor> Objective(Case c, double l2) => theta =>
    {
        var (w, b) = c.Loss.Unpack(theta);
        var z = c.X.matmul(w.t()) + b!;
        if (c.Loss.OutputCount == 1 && c.Form.YTrue.dim() == 1) z = z.squeeze(1);
        var value = c.ReferenceOfLogits(z);
        return l2 == 0 ? value : value + 0.5 * l2 * w.square().sum();
    };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Value_gradient_Hessian_and_Hessian_vector_product_equal_autograd(int seed)
    {
        using var scope = NewDisposeScope();
        var g = new Generator((ulong)seed);
        foreach (var c in Cases(seed))
        {
            foreach (double l2 in new[] { 0.0, 0.37 })
            {
                var theta = Numbers.Uniform(g, 1.5, c.Loss.ParameterCount);
                var f = Objective(c, l2);
                string what = $"{c.Name}, λ = {l2}, seed {seed}";
                var (value, gradient) = c.Loss.LossGradient(theta, c.X, c.Form.YTrue, c.Form.SampleWeight, l2);
                Numbers.Close(f(theta), value, 1e-12, 1e-14, $"{what}: value");
                Numbers.Close(f(theta), c.Loss.Loss(theta, c.X, c.Form.YTrue, c.Form.SampleWeight, l2), 1e-12, 1e-14, $"{what}: loss()");
                var autoGradient = GradientChecker.Gradient(f, theta);
                Numbers.Close(autoGradient, gradient, 1e-10, 1e-12, $"{what}: gradient");
                Numbers.Close(autoGradient, c.Loss.Gradient(theta, c.X, c.Form.YTrue, c.Form.SampleWeight, l2), 1e-10, 1e-12, $"{what}: gradient()");

                var h = c.Loss.Hessian(theta, c.X, c.Form.YTrue, c.Form.SampleWeight, l2);
                Numbers.Close(GradientChecker.Hessian(f, theta), h, 1e-10, 1e-12, $"{what}: Hessian");
                Numbers.Close(h.t(), h, 0, 1e-14, $"{what}: symmetry");
                LossDerivativeTests.AssertPsd(h, what);

                var v = Numbers.Uniform(g, 1, c.Loss.ParameterCount);
                var hv = c.Loss.HessianVectorProduct(theta, v, c.X, c.Form.YTrue, c.Form.SampleWeight, l2);
                Numbers.Close(GradientChecker.HessianVectorProduct(f, theta, v), hv, 1e-10, 1e-12, $"{what}: Hessian-vector product");
                Numbers.Close(h.matmul(v), hv, 1e-10, 1e-12, $"{what}: H·v");
            }
        }
    }

    [Fact]
    public void Extreme_logits_from_a_linear_model_give_finite_derivatives_equal_to_autograd()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(5);
        foreach (var c in Cases(3, scale: 5e3))
        {
            var theta = Numbers.Uniform(g, 2, c.Loss.ParameterCount);
            var f = Objective(c, 0);
            if (c.Name.StartsWith("soft margin", StringComparison.Ordinal)) continue;   // the built-in overflows
            var gradient = c.Loss.Gradient(theta, c.X, c.Form.YTrue, c.Form.SampleWeight);
            Numbers.AllFinite(gradient, c.Name);
            Numbers.Close(GradientChecker.Gradient(f, theta), gradient, 1e-10, 1e-9, $"{c.Name}: gradient at extreme logits");
            var h = c.Loss.Hessian(theta, c.X, c.Form.YTrue, c.Form.SampleWeight);
            Numbers.AllFinite(h, c.Name);
        }
    }

    [Fact]
    public void Pack_and_unpack_follow_the_theta_layout_of_the_models()
    {
        using var scope = NewDisposeScope();
        using var model = new TorchLogistic.Models.SoftmaxRegression(3, 2);
        var theta = new double[] { 1, 2, 3, 4, 5, 6, 7, 8 };
        model.VectorToParameters(theta);
        var loss = new LinearModelLoss(new PointwiseCrossEntropy(), 3, 2);
        Assert.Equal(theta, Numbers.Values(LinearModelLoss.Pack(model.Weight, model.Bias!)));
        var (w, b) = loss.Unpack(tensor(theta));
        Numbers.Close(model.Weight, w, 0, 0, "W");
        Numbers.Close(model.Bias!, b!, 0, 0, "b");
        Assert.Throws<ArgumentException>(() => loss.Unpack(zeros(7, dtype: ScalarType.Float64)));
    }
}
