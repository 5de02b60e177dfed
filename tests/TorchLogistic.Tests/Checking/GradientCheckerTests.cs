using TorchLogistic.Checking;
using TorchLogistic.Losses;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Checking;

public class GradientCheckerTests
{
    /// <summary>f(x) = ½ xᵀAx + cᵀx + Σ sin xᵢ with A symmetric: ∇f = Ax + c + cos x, ∇²f = A − diag(sin x).</summary>
    private static readonly double[,] A = { { 2, -1, 0.5 }, { -1, 3, 0.25 }, { 0.5, 0.25, 1 } };
    private static Tensor a() => tensor(new[] { 2, -1, 0.5, -1, 3, 0.25, 0.5, 0.25, 1 }, new long[] { 3, 3 });
    private static Tensor c() => tensor(new[] { 0.3, -0.7, 1.1 });
    private static Tensor f(Tensor x) => 0.5 * x.dot(a().matmul(x)) + c().dot(x) + x.sin().sum();
    private static Tensor gradient_of_f(Tensor x) => a().matmul(x) + c() + x.cos();
    private static Tensor hessian_of_f(Tensor x) => a() - x.sin().diag();

    [Fact]
    public void Autograd_Hessian_and_finite_differences_match_closed_forms()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.4, -1.2, 2.0 });
        Support.Close.All(values(gradient_of_f(x)), values(GradientChecker.gradient(f, x)), 1e-15, 1e-15);
        var h = values(GradientChecker.hessian(f, x));
        var expected = values(hessian_of_f(x));
        for (int i = 0; i < 9; i++) Assert.Equal(expected[i], h[i], 14);
        Assert.Equal(A[0, 1], h[1], 14);
        Support.Close.All(values(gradient_of_f(x)), values(GradientChecker.finite_difference_gradient(f, x)), 1e-8, 1e-9);
        Support.Close.All(expected, values(GradientChecker.finite_difference_jacobian(gradient_of_f, x)), 1e-7, 1e-8);
        var v = tensor(new[] { 1.0, -2, 0.5 });
        Support.Close.All(values(hessian_of_f(x).matmul(v)), values(GradientChecker.hessian_vector_product(f, x, v)), 1e-14, 1e-15);
    }

    [Fact]
    public void Correct_derivatives_pass_every_comparison()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.4, -1.2, 2.0 });
        var g = GradientChecker.check_gradient(f, x, gradient_of_f);
        Assert.True(g.passed, g.ToString());
        Assert.Equal(3, g.comparisons.Count);
        var h = GradientChecker.check_hessian(f, x, hessian_of_f);
        Assert.True(h.passed, h.ToString());
        var hv = GradientChecker.check_hessian_vector_product(f, x, tensor(new[] { 1.0, 0, -1 }), (p, v) => hessian_of_f(p).matmul(v));
        Assert.True(hv.passed, hv.ToString());
        Assert.True(GradientChecker.gradcheck(f, x));
        Assert.True(GradientChecker.gradcheck(f, x, gradient_of_f));
    }

    [Fact]
    public void A_deliberately_wrong_gradient_fails_and_the_report_says_where()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.4, -1.2, 2.0 });
        Tensor Wrong(Tensor p)
        {
            var g = gradient_of_f(p).clone();
            g[1] = g[1] + 0.05;
            return g;
        }
        var result = GradientChecker.check_gradient(f, x, Wrong);
        Assert.False(result.passed);
        var vsAutograd = result.comparisons.Single(cmp => cmp.name == "analytic vs autograd");
        Assert.False(vsAutograd.passed);
        Assert.Equal(1, vsAutograd.max_abs_index);
        Assert.Equal("[1]", vsAutograd.location(vsAutograd.worst_index));
        Assert.Equal(0.05, vsAutograd.max_abs_error, 12);
        Assert.False(result.comparisons.Single(cmp => cmp.name == "analytic vs finite differences").passed);
        Assert.True(result.comparisons.Single(cmp => cmp.name == "autograd vs finite differences").passed);
        Assert.Contains("FAIL analytic vs autograd", result.ToString());
        Assert.Contains("worst entry [1]", result.ToString());
        var e = Assert.Throws<GradientCheckException>(() => GradientChecker.gradcheck(f, x, Wrong));
        Assert.Contains("gradient check FAILED", e.Message);
        Assert.False(GradientChecker.gradcheck(f, x, Wrong, raise_exception: false));
        Assert.Throws<GradientCheckException>(() => result.ensure_passed());
    }

    [Fact]
    public void A_gradient_off_by_less_than_finite_differences_can_see_is_still_caught_by_autograd()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.4, -1.2, 2.0 });
        var result = GradientChecker.check_gradient(f, x, p => gradient_of_f(p) * (1 + 1e-7));
        Assert.True(result.comparisons.Single(cmp => cmp.name == "analytic vs finite differences").passed);
        Assert.False(result.comparisons.Single(cmp => cmp.name == "analytic vs autograd").passed);
        Assert.False(result.passed);
    }

    [Fact]
    public void A_wrong_or_asymmetric_Hessian_fails_with_its_location()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.4, -1.2, 2.0 });
        Tensor Asymmetric(Tensor p)
        {
            var h = hessian_of_f(p).clone();
            h[2, 0] = h[2, 0] + 0.01;
            return h;
        }
        var result = GradientChecker.check_hessian(f, x, Asymmetric);
        Assert.False(result.passed);
        var symmetry = result.comparisons.Single(cmp => cmp.name.StartsWith("symmetry", StringComparison.Ordinal));
        Assert.False(symmetry.passed);
        var vsAutograd = result.comparisons.Single(cmp => cmp.name == "analytic vs autograd double backward");
        Assert.Equal("[2, 0]", vsAutograd.location(vsAutograd.max_abs_index));
        var hv = GradientChecker.check_hessian_vector_product(f, x, tensor(new[] { 1.0, 1, 1 }), (p, v) => Asymmetric(p).matmul(v));
        Assert.False(hv.passed);
    }

    [Fact]
    public void A_wrong_loss_gradient_is_caught_through_a_loss_module()
    {
        using var scope = NewDisposeScope();
        var z = tensor(new[] { 0.3, -2.0, 1.5, 0.1, 0.7, -0.4 }, new long[] { 2, 3 });
        var y = tensor(new long[] { 2, 0 });
        using var ce = new CategoricalCrossEntropy();
        Assert.True(GradientChecker.check_gradient(t => ce.call(t, y), z, t => ce.gradient(t, y)).passed);
        Assert.True(GradientChecker.check_hessian(t => ce.call(t, y), z, t => ce.hessian(t, y)).passed);
        // The classic slip: forgetting to divide by the batch size of the mean.
        var wrong = GradientChecker.check_gradient(t => ce.call(t, y), z, t => ce.gradient(t, y) * 2);
        Assert.False(wrong.passed);
    }

    [Fact]
    public void NaN_fails_and_non_scalar_functions_are_rejected()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.4, -1.2, 2.0 });
        var result = GradientChecker.check_gradient(f, x, p => full_like(p, double.NaN));
        Assert.False(result.passed);
        Assert.True(double.IsNaN(result.comparisons[0].max_abs_error));
        var e = Assert.Throws<ArgumentException>(() => GradientChecker.check_gradient(p => p * 2, x));
        Assert.Contains("single value", e.Message);
        Assert.Throws<ArgumentException>(() => GradientChecker.check_gradient(f, x, options: new GradientCheckOptions { eps = 0 }));
    }

    [Fact]
    public void Relative_errors_use_atol_as_the_floor_of_the_denominator()
    {
        using var scope = NewDisposeScope();
        var cmp = GradientChecker.compare("t", tensor(new[] { 1e-12, 2.0 }), tensor(new[] { 0.0, 2.002 }), 1e-5, 1e-3);
        Assert.Equal(0.002 / 2.002, cmp.max_rel_error, 12);
        Assert.Equal(1, cmp.max_rel_index);
        Assert.True(cmp.passed);
        Assert.False(GradientChecker.compare("t", tensor(new[] { 2.0 }), tensor(new[] { 2.01 }), 1e-5, 1e-3).passed);
    }

    [Fact]
    public void Functions_of_float32_parameters_are_checked_in_float64()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.5f, -0.25f });
        var result = GradientChecker.check_gradient(p => (p * p).sum() * 3, x, p => 6 * p);
        Assert.True(result.passed, result.ToString());
        Assert.Equal(ScalarType.Float64, GradientChecker.gradient(p => p.sum(), x).dtype);
    }

    private static double[] values(Tensor t) => t.detach().to_type(ScalarType.Float64).contiguous().flatten().data<double>().ToArray();
}
