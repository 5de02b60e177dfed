using TorchLogistic.Checking;
using TorchLogistic.Losses;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Checking;

public class GradientCheckerTests
{
    /// <summary>f(x) = ½ xᵀAx + cᵀx + Σ sin xᵢ with A symmetric: ∇f = Ax + c + cos x, ∇²f = A − diag(sin x).</summary>
    private static readonly double[,] A = { { 2, -1, 0.5 }, { -1, 3, 0.25 }, { 0.5, 0.25, 1 } };
    private static Tensor ATensor() => tensor(new[] { 2, -1, 0.5, -1, 3, 0.25, 0.5, 0.25, 1 }, new long[] { 3, 3 });
    private static Tensor C() => tensor(new[] { 0.3, -0.7, 1.1 });
    private static Tensor F(Tensor x) => 0.5 * x.dot(ATensor().matmul(x)) + C().dot(x) + x.sin().sum();
    private static Tensor GradientOfF(Tensor x) => ATensor().matmul(x) + C() + x.cos();
    private static Tensor HessianOfF(Tensor x) => ATensor() - x.sin().diag();

    [Fact]
    public void Autograd_Hessian_and_finite_differences_match_closed_forms()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.4, -1.2, 2.0 });
        Support.Close.All(Values(GradientOfF(x)), Values(GradientChecker.Gradient(F, x)), 1e-15, 1e-15);
        var h = Values(GradientChecker.Hessian(F, x));
        var expected = Values(HessianOfF(x));
        for (int i = 0; i < 9; i++) Assert.Equal(expected[i], h[i], 14);
        Assert.Equal(A[0, 1], h[1], 14);
        Support.Close.All(Values(GradientOfF(x)), Values(GradientChecker.FiniteDifferenceGradient(F, x)), 1e-8, 1e-9);
        Support.Close.All(expected, Values(GradientChecker.FiniteDifferenceJacobian(GradientOfF, x)), 1e-7, 1e-8);
        var v = tensor(new[] { 1.0, -2, 0.5 });
        Support.Close.All(Values(HessianOfF(x).matmul(v)), Values(GradientChecker.HessianVectorProduct(F, x, v)), 1e-14, 1e-15);
    }

    [Fact]
    public void Correct_derivatives_pass_every_comparison()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.4, -1.2, 2.0 });
        var g = GradientChecker.CheckGradient(F, x, GradientOfF);
        Assert.True(g.Passed, g.ToString());
        Assert.Equal(3, g.Comparisons.Count);
        var h = GradientChecker.CheckHessian(F, x, HessianOfF);
        Assert.True(h.Passed, h.ToString());
        var hv = GradientChecker.CheckHessianVectorProduct(F, x, tensor(new[] { 1.0, 0, -1 }), (p, v) => HessianOfF(p).matmul(v));
        Assert.True(hv.Passed, hv.ToString());
        Assert.True(GradientChecker.Gradcheck(F, x));
        Assert.True(GradientChecker.Gradcheck(F, x, GradientOfF));
    }

    [Fact]
    public void A_deliberately_wrong_gradient_fails_and_the_report_says_where()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.4, -1.2, 2.0 });
        Tensor Wrong(Tensor p)
        {
            var g = GradientOfF(p).clone();
            g[1] = g[1] + 0.05;
            return g;
        }
        var result = GradientChecker.CheckGradient(F, x, Wrong);
        Assert.False(result.Passed);
        var vsAutograd = result.Comparisons.Single(cmp => cmp.Name == "analytic vs autograd");
        Assert.False(vsAutograd.Passed);
        Assert.Equal(1, vsAutograd.MaxAbsIndex);
        Assert.Equal("[1]", vsAutograd.Location(vsAutograd.WorstIndex));
        Assert.Equal(0.05, vsAutograd.MaxAbsError, 12);
        Assert.False(result.Comparisons.Single(cmp => cmp.Name == "analytic vs finite differences").Passed);
        Assert.True(result.Comparisons.Single(cmp => cmp.Name == "autograd vs finite differences").Passed);
        Assert.Contains("FAIL analytic vs autograd", result.ToString());
        Assert.Contains("worst entry [1]", result.ToString());
        var e = Assert.Throws<GradientCheckException>(() => GradientChecker.Gradcheck(F, x, Wrong));
        Assert.Contains("gradient check FAILED", e.Message);
        Assert.False(GradientChecker.Gradcheck(F, x, Wrong, raiseException: false));
        Assert.Throws<GradientCheckException>(() => result.EnsurePassed());
    }

    [Fact]
    public void A_gradient_off_by_less_than_finite_differences_can_see_is_still_caught_by_autograd()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.4, -1.2, 2.0 });
        var result = GradientChecker.CheckGradient(F, x, p => GradientOfF(p) * (1 + 1e-7));
        Assert.True(result.Comparisons.Single(cmp => cmp.Name == "analytic vs finite differences").Passed);
        Assert.False(result.Comparisons.Single(cmp => cmp.Name == "analytic vs autograd").Passed);
        Assert.False(result.Passed);
    }

    [Fact]
    public void A_wrong_or_asymmetric_Hessian_fails_with_its_location()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.4, -1.2, 2.0 });
        Tensor Asymmetric(Tensor p)
        {
            var h = HessianOfF(p).clone();
            h[2, 0] = h[2, 0] + 0.01;
            return h;
        }
        var result = GradientChecker.CheckHessian(F, x, Asymmetric);
        Assert.False(result.Passed);
        var symmetry = result.Comparisons.Single(cmp => cmp.Name.StartsWith("symmetry", StringComparison.Ordinal));
        Assert.False(symmetry.Passed);
        var vsAutograd = result.Comparisons.Single(cmp => cmp.Name == "analytic vs autograd double backward");
        Assert.Equal("[2, 0]", vsAutograd.Location(vsAutograd.MaxAbsIndex));
        var hv = GradientChecker.CheckHessianVectorProduct(F, x, tensor(new[] { 1.0, 1, 1 }), (p, v) => Asymmetric(p).matmul(v));
        Assert.False(hv.Passed);
    }

    [Fact]
    public void A_wrong_loss_gradient_is_caught_through_a_loss_module()
    {
        using var scope = NewDisposeScope();
        var z = tensor(new[] { 0.3, -2.0, 1.5, 0.1, 0.7, -0.4 }, new long[] { 2, 3 });
        var y = tensor(new long[] { 2, 0 });
        using var ce = new CategoricalCrossEntropy();
        Assert.True(GradientChecker.CheckGradient(t => ce.call(t, y), z, t => ce.Gradient(t, y)).Passed);
        Assert.True(GradientChecker.CheckHessian(t => ce.call(t, y), z, t => ce.Hessian(t, y)).Passed);
        // The classic slip: forgetting to divide by the batch size of the mean.
        var wrong = GradientChecker.CheckGradient(t => ce.call(t, y), z, t => ce.Gradient(t, y) * 2);
        Assert.False(wrong.Passed);
    }

    [Fact]
    public void NaN_fails_and_non_scalar_functions_are_rejected()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.4, -1.2, 2.0 });
        var result = GradientChecker.CheckGradient(F, x, p => full_like(p, double.NaN));
        Assert.False(result.Passed);
        Assert.True(double.IsNaN(result.Comparisons[0].MaxAbsError));
        var e = Assert.Throws<ArgumentException>(() => GradientChecker.CheckGradient(p => p * 2, x));
        Assert.Contains("single value", e.Message);
        Assert.Throws<ArgumentException>(() => GradientChecker.CheckGradient(F, x, options: new GradientCheckOptions { Epsilon = 0 }));
    }

    [Fact]
    public void Relative_errors_use_atol_as_the_floor_of_the_denominator()
    {
        using var scope = NewDisposeScope();
        var cmp = GradientChecker.Compare("t", tensor(new[] { 1e-12, 2.0 }), tensor(new[] { 0.0, 2.002 }), 1e-5, 1e-3);
        Assert.Equal(0.002 / 2.002, cmp.MaxRelError, 12);
        Assert.Equal(1, cmp.MaxRelIndex);
        Assert.True(cmp.Passed);
        Assert.False(GradientChecker.Compare("t", tensor(new[] { 2.0 }), tensor(new[] { 2.01 }), 1e-5, 1e-3).Passed);
    }

    [Fact]
    public void Functions_of_float32_parameters_are_checked_in_float64()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.5f, -0.25f });
        var result = GradientChecker.CheckGradient(p => (p * p).sum() * 3, x, p => 6 * p);
        Assert.True(result.Passed, result.ToString());
        Assert.Equal(ScalarType.Float64, GradientChecker.Gradient(p => p.sum(), x).dtype);
    }

    private static double[] Values(Tensor t) => t.detach().to_type(ScalarType.Float64).contiguous().flatten().data<double>().ToArray();
}
