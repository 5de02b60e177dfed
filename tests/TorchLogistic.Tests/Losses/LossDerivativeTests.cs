using TorchLogistic.Checking;
using TorchLogistic.Losses;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Losses;

/// <summary>
/// Closed-form derivatives with respect to the logits equal autograd (through TorchSharp's built-in losses) to
/// 1e-10 in float64; Hessians are symmetric, positive semi-definite, and equal autograd's double backward.
/// </summary>
public class LossDerivativeTests
{
    public static IEnumerable<object[]> Seeds() => Enumerable.Range(0, 9).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Gradient_with_respect_to_the_logits_equals_autograd(int seed)
    {
        using var scope = NewDisposeScope();
        foreach (var c in LossCase.All(seed))
        {
            var expected = GradientChecker.Gradient(c.ScalarReference, c.Input);
            Numbers.Close(expected, c.Module.Gradient(c.Input, c.Target), 1e-10, 1e-12, $"{c} gradient (seed {seed})");
            var (loss, gradient) = c.Module.LossGradient(c.Input, c.Target);
            Numbers.Close(c.Reference(c.Input), loss, 1e-12, 1e-14, $"{c} loss of loss_gradient");
            Numbers.Close(expected, gradient, 1e-10, 1e-12, $"{c} gradient of loss_gradient");
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Hessian_with_respect_to_the_logits_is_symmetric_PSD_and_equals_double_backward(int seed)
    {
        using var scope = NewDisposeScope();
        var g = new Generator((ulong)seed);
        foreach (var c in LossCase.All(seed))
        {
            var expected = GradientChecker.Hessian(c.ScalarReference, c.Input);
            var h = c.Module.Hessian(c.Input, c.Target);
            Numbers.Close(expected, h, 1e-10, 1e-12, $"{c} Hessian (seed {seed})");
            Numbers.Close(h.t(), h, 0, 1e-15, $"{c} Hessian symmetry");
            AssertPsd(h, $"{c} (seed {seed})");
            var v = Numbers.Uniform(g, 1, c.Input.shape);
            var hv = c.Module.HessianVectorProduct(c.Input, c.Target, v);
            Numbers.Close(h.matmul(v.flatten()).reshape(c.Input.shape), hv, 1e-12, 1e-14, $"{c} Hessian-vector product");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Derivatives_at_logits_of_plus_minus_1e4_are_finite_and_equal_autograd(int seed)
    {
        using var scope = NewDisposeScope();
        foreach (var c in LossCase.All(seed, scale: 1e4))
        {
            if (c.Name.StartsWith("soft margin", StringComparison.Ordinal)) continue;   // the built-in overflows there; see below
            var expected = GradientChecker.Gradient(c.ScalarReference, c.Input);
            var actual = c.Module.Gradient(c.Input, c.Target);
            Numbers.AllFinite(actual, $"{c} gradient");
            Numbers.Close(expected, actual, 1e-10, 1e-12, $"{c} gradient at ±1e4");
            var h = c.Module.Hessian(c.Input, c.Target);
            Numbers.AllFinite(h, $"{c} Hessian");
            Numbers.Close(GradientChecker.Hessian(c.ScalarReference, c.Input), h, 1e-10, 1e-12, $"{c} Hessian at ±1e4");
        }
        // Soft margin at ±1e4: compare with autograd through our stable forward.
        using var soft = new SoftMargin();
        var z = tensor(new double[] { 1e4, -1e4, 1e4, -1e4, 0 });
        var y = tensor(new double[] { 1, 1, -1, -1, 1 });
        var gradient = soft.Gradient(z, y);
        Numbers.Close(tensor(new[] { 0, -1 / 5.0, 1 / 5.0, 0, -0.5 / 5 }), gradient, 1e-15, 0, "soft margin gradient at ±1e4");
        Numbers.Close(GradientChecker.Gradient(t => soft.call(t, y), z), gradient, 1e-15, 0, "soft margin gradient = autograd");
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Gradients_keep_the_input_dtype_and_stay_finite_in_float32(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var z = tensor(new double[] { 1e4, -1e4, 3, -1e4, 1e4, 0 }, new long[] { 2, 3 }).to_type(dtype);
        var y = tensor(new long[] { 2, 1 });
        using var ce = new CategoricalCrossEntropy();
        var gradient = ce.Gradient(z, y);
        Assert.Equal(dtype, gradient.dtype);
        Numbers.AllFinite(gradient, "float32 gradient");
        // Row 1: p = e₀, so (p − e₂)/2 = [½, 0, −½]; row 2: p = e₁ = target, so 0.
        Numbers.Close(tensor(new double[] { 0.5, 0, -0.5, 0, 0, 0 }, new long[] { 2, 3 }), gradient.to_type(ScalarType.Float64), 0, 1e-7, "gradient");
    }

    [Fact]
    public void Cross_entropy_Hessian_keeps_its_null_direction_for_nearly_certain_rows()
    {
        using var scope = NewDisposeScope();
        // p₀ = 1 − 2.1e-9: computing 1 − p₀ by subtraction would leave a relative error of ~1e-7 in p₀(1 − p₀).
        var z = tensor(new[] { 20.0, 0, -3, 1, 25, 24 }, new long[] { 2, 3 });
        var y = tensor(new long[] { 0, 2 });
        using var ce = new CategoricalCrossEntropy(reduction: nn.Reduction.Sum);
        var h = ce.Hessian(z, y);
        var rowSums = Numbers.Values(h.sum(1));
        var diagonal = Numbers.Values(h.diagonal());
        for (int i = 0; i < 6; i++)
            Assert.True(Math.Abs(rowSums[i]) <= 1e-14 * diagonal[i], $"row {i}: Σ_c H = {rowSums[i]:E3} vs H_ii = {diagonal[i]:E3}");
        // p₀(1 − p₀) by the exact formula σ(z₀ − lse of the rest)·σ(−…), independent of the Hessian code.
        double rest = Math.Log(Math.Exp(0) + Math.Exp(-3 - 0.0)) - 20;   // log Σ_{c≠0} e^{z_c − z₀}
        double p0 = 1 / (1 + Math.Exp(rest)), q0 = 1 / (1 + Math.Exp(-rest));
        Support.Close.Equal(p0 * q0, diagonal[0], 1e-14);
        var hv = ce.HessianVectorProduct(z, y, full_like(z, 3.0));
        Assert.True(Numbers.Values(hv).All(v => Math.Abs(v) <= 1e-14 * diagonal.Min()), "H·1 should vanish");
    }

    internal static void AssertPsd(Tensor h, string what)
    {
        var eigenvalues = Numbers.Values(linalg.eigvalsh(h));
        double scale = Math.Max(1e-300, eigenvalues.Max(Math.Abs));
        Assert.True(eigenvalues.Min() >= -1e-12 * Math.Max(scale, 1), $"{what}: Hessian has eigenvalue {eigenvalues.Min():E3} < 0 (largest |λ| {scale:E3})");
    }
}
