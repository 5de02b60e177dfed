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
    private sealed record Case(string name, LinearModelLoss loss, PointwiseForm form, Tensor x, Func<Tensor, Tensor> reference_of_logits);

    private static IEnumerable<Case> cases(int seed, double scale = 2)
    {
        var r = new Random(seed);
        var g = new Generator((ulong)seed + 77);
        long m = r.Next(2, 9), d = r.Next(1, 5), k = r.Next(2, 5);
        var x = Numbers.uniform(g, scale, m, d);
        var reduction = seed % 2 == 0 ? nn.Reduction.Mean : nn.Reduction.Sum;

        var yb = Numbers.labels(g, 2, m).to_type(ScalarType.Float64);
        var wb = Numbers.between(g, 0.3, 2, m);
        var pw = tensor(2.5);
        yield return make("logistic (bce, K = 1)", new BinaryCrossEntropyWithLogits(reduction: reduction), x, yb, 1,
            z => F.binary_cross_entropy_with_logits(z, yb, reduction: reduction));
        yield return make("logistic weighted (bce, K = 1)", new BinaryCrossEntropyWithLogits(wb, reduction, pw), x, yb, 1,
            z => F.binary_cross_entropy_with_logits(z, yb, wb, reduction, pw));

        var yc = Numbers.labels(g, k, m);
        var wc = Numbers.between(g, 0.3, 2, k);
        yield return make("softmax (ce)", new CategoricalCrossEntropy(reduction: reduction), x, yc, k, z => F.cross_entropy(z, yc, reduction: reduction));
        yield return make("softmax weighted+smoothing (ce)", new CategoricalCrossEntropy(wc, -100, reduction, 0.1), x, yc, k,
            z => F.cross_entropy(z, yc, wc, -100, reduction, 0.1));

        var ys = Numbers.labels(g, 2, m).to_type(ScalarType.Float64) * 2 - 1;
        yield return make("soft margin (K = 1)", new SoftMargin(reduction), x, ys, 1, z => F.soft_margin_loss(z, ys, reduction));
        var ym = Numbers.labels(g, 2, m, k).to_type(ScalarType.Float64);
        yield return make("multilabel soft margin", new MultiLabelSoftMargin(wc, reduction), x, ym, k, z => F.multilabel_soft_margin_loss(z, ym, wc, reduction));
        var ybk = Numbers.labels(g, 2, m, k).to_type(ScalarType.Float64);
        yield return make("multi-output bce", new BinaryCrossEntropyWithLogits(reduction: reduction, pos_weight: wc), x, ybk, k,
            z => F.binary_cross_entropy_with_logits(z, ybk, reduction: reduction, pos_weights: wc));
    }

    private static Case make(string name, LogitLoss module, Tensor x, Tensor y, long k, Func<Tensor, Tensor> reference)
    {
        long m = x.shape[0], d = x.shape[1];
        var z0 = k == 1 && y.dim() == 1 ? zeros(m, dtype: x.dtype) : zeros(m, k, dtype: x.dtype);
        var form = module.pointwise_form(z0, y);
        return new Case(name, new LinearModelLoss(form.loss, d, k), form, x, reference);
    }

    /// <summary>θ ↦ reference(X Wᵀ + b) + ½λ‖W‖², differentiable by autograd.</summary>
    private static Func<Tensor, Tensor> objective(Case c, double l2) => theta =>
    {
        var (w, b) = c.loss.unpack(theta);
        var z = c.x.matmul(w.t()) + b;
        if (c.loss.n_outputs == 1 && c.form.y_true.dim() == 1) z = z.squeeze(1);
        var value = c.reference_of_logits(z);
        return l2 == 0 ? value : value + 0.5 * l2 * w.square().sum();
    };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Value_gradient_Hessian_and_Hessian_vector_product_equal_autograd(int seed)
    {
        using var scope = NewDisposeScope();
        var g = new Generator((ulong)seed);
        foreach (var c in cases(seed))
        {
            foreach (double l2 in new[] { 0.0, 0.37 })
            {
                var theta = Numbers.uniform(g, 1.5, c.loss.n_parameters);
                var f = objective(c, l2);
                string what = $"{c.name}, λ = {l2}, seed {seed}";
                var (value, gradient) = c.loss.loss_gradient(theta, c.x, c.form.y_true, c.form.sample_weight, l2);
                Numbers.close(f(theta), value, 1e-12, 1e-14, $"{what}: value");
                Numbers.close(f(theta), c.loss.loss(theta, c.x, c.form.y_true, c.form.sample_weight, l2), 1e-12, 1e-14, $"{what}: loss()");
                var autoGradient = GradientChecker.gradient(f, theta);
                Numbers.close(autoGradient, gradient, 1e-10, 1e-12, $"{what}: gradient");
                Numbers.close(autoGradient, c.loss.gradient(theta, c.x, c.form.y_true, c.form.sample_weight, l2), 1e-10, 1e-12, $"{what}: gradient()");

                var h = c.loss.hessian(theta, c.x, c.form.y_true, c.form.sample_weight, l2);
                Numbers.close(GradientChecker.hessian(f, theta), h, 1e-10, 1e-12, $"{what}: Hessian");
                Numbers.close(h.t(), h, 0, 1e-14, $"{what}: symmetry");
                LossDerivativeTests.assert_psd(h, what);

                var v = Numbers.uniform(g, 1, c.loss.n_parameters);
                var hv = c.loss.hessian_vector_product(theta, v, c.x, c.form.y_true, c.form.sample_weight, l2);
                Numbers.close(GradientChecker.hessian_vector_product(f, theta, v), hv, 1e-10, 1e-12, $"{what}: Hessian-vector product");
                Numbers.close(h.matmul(v), hv, 1e-10, 1e-12, $"{what}: H·v");
            }
        }
    }

    [Fact]
    public void Extreme_logits_from_a_linear_model_give_finite_derivatives_equal_to_autograd()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(5);
        foreach (var c in cases(3, scale: 5e3))
        {
            var theta = Numbers.uniform(g, 2, c.loss.n_parameters);
            var f = objective(c, 0);
            if (c.name.StartsWith("soft margin", StringComparison.Ordinal)) continue;   // the built-in overflows
            var gradient = c.loss.gradient(theta, c.x, c.form.y_true, c.form.sample_weight);
            Numbers.all_finite(gradient, c.name);
            Numbers.close(GradientChecker.gradient(f, theta), gradient, 1e-10, 1e-9, $"{c.name}: gradient at extreme logits");
            var h = c.loss.hessian(theta, c.x, c.form.y_true, c.form.sample_weight);
            Numbers.all_finite(h, c.name);
        }
    }

    [Fact]
    public void Pack_and_unpack_follow_the_theta_layout_of_the_models()
    {
        using var scope = NewDisposeScope();
        using var model = new TorchLogistic.Models.SoftmaxRegression(3, 2);
        var theta = new double[] { 1, 2, 3, 4, 5, 6, 7, 8 };
        model.vector_to_parameters(theta);
        var loss = new LinearModelLoss(new PointwiseCrossEntropy(), 3, 2);
        Assert.Equal(theta, Numbers.values(LinearModelLoss.pack(model.weight, model.bias)));
        var (w, b) = loss.unpack(tensor(theta));
        Numbers.close(model.weight, w, 0, 0, "W");
        Numbers.close(model.bias, b, 0, 0, "b");
        Assert.Throws<ArgumentException>(() => loss.unpack(zeros(7, dtype: ScalarType.Float64)));
    }
}
