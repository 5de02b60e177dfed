using TorchLogistic.Losses;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Losses;

public class StableMathTests
{
    public static TheoryData<ScalarType> Dtypes => new() { ScalarType.Float32, ScalarType.Float64 };

    [Theory]
    [MemberData(nameof(Dtypes))]
    public void Logits_of_plus_minus_1e4_give_exact_finite_values(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var z = tensor(new double[] { 1e4, -1e4, 0 }).to_type(dtype);
        Assert.Equal(new[] { 1.0, 0.0, 0.5 }, Numbers.Values(StableMath.Sigmoid(z)));
        // log σ(1e4) = −log1p(e^{−1e4}) underflows to −0; log σ(−1e4) = −1e4 exactly (the naive log(σ) is −∞).
        Assert.Equal(new[] { 0.0, -1e4, -Math.Log(2) }, Numbers.Values(StableMath.LogSigmoid(z)), new Tolerance(dtype));
        Assert.Equal(new[] { 1e4, 0.0, Math.Log(2) }, Numbers.Values(StableMath.Softplus(z)), new Tolerance(dtype));

        var rows = tensor(new double[] { 1e4, -1e4, 0, -1e4, -1e4, -1e4 }, new long[] { 2, 3 }).to_type(dtype);
        Assert.Equal(new[] { 1.0, 0, 0, 1 / 3.0, 1 / 3.0, 1 / 3.0 }, Numbers.Values(StableMath.Softmax(rows, 1)), new Tolerance(dtype));
        Assert.Equal(new[] { 0, -2e4, -1e4, -Math.Log(3), -Math.Log(3), -Math.Log(3) }, Numbers.Values(StableMath.LogSoftmax(rows, 1)), new Tolerance(dtype));
        Assert.Equal(new[] { 1e4, -1e4 + Math.Log(3) }, Numbers.Values(StableMath.LogSumExp(rows, 1)), new Tolerance(dtype));
    }

    [Theory]
    [MemberData(nameof(Dtypes))]
    public void Autograd_through_the_building_blocks_is_finite_and_correct_at_extremes_and_at_zero(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var z = tensor(new double[] { 1e4, -1e4, 0 }).to_type(dtype).requires_grad_(true);
        double Grad(Func<Tensor, Tensor> f, int i)
        {
            var g = autograd.grad(new[] { f(z).sum() }, new[] { z })[0];
            Numbers.AllFinite(g, "gradient");
            return Numbers.Values(g)[i];
        }
        // σ′ = σ(1 − σ): 0 at ±1e4, 1/4 at 0. (log σ)′ = σ(−z): 0, 1, 1/2. softplus′ = σ: 1, 0, 1/2.
        Assert.Equal(new[] { 0, 0, 0.25 }, Enumerable.Range(0, 3).Select(i => Grad(StableMath.Sigmoid, i)));
        Assert.Equal(new[] { 0, 1, 0.5 }, Enumerable.Range(0, 3).Select(i => Grad(StableMath.LogSigmoid, i)));
        Assert.Equal(new[] { 1, 0, 0.5 }, Enumerable.Range(0, 3).Select(i => Grad(StableMath.Softplus, i)));

        var rows = tensor(new double[] { 1e4, -1e4, 0 }, new long[] { 1, 3 }).to_type(dtype).requires_grad_(true);
        var g = autograd.grad(new[] { StableMath.LogSumExp(rows, 1).sum() }, new[] { rows })[0];
        Assert.Equal(new[] { 1.0, 0, 0 }, Numbers.Values(g));
        var h = autograd.grad(new[] { StableMath.LogSoftmax(rows, 1).select(1, 1).sum() }, new[] { rows })[0];
        Assert.Equal(new[] { -1.0, 1, 0 }, Numbers.Values(h));
    }

    [Fact]
    public void Rows_of_minus_infinity_give_minus_infinity_not_NaN()
    {
        using var scope = NewDisposeScope();
        var rows = tensor(new[] { double.NegativeInfinity, double.NegativeInfinity, 1, 2 }, new long[] { 2, 2 });
        var lse = Numbers.Values(StableMath.LogSumExp(rows, 1));
        Assert.Equal(double.NegativeInfinity, lse[0]);
        Assert.Equal(2 + Math.Log(1 + Math.Exp(-1)), lse[1], 15);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Building_blocks_equal_scalar_reference_formulas_on_random_logits(int seed)
    {
        using var scope = NewDisposeScope();
        var r = new Random(seed);
        int rows = 7, k = 5;
        // Moderate logits, where the textbook formulas in double are accurate and serve as the reference.
        var zs = Enumerable.Range(0, rows * k).Select(_ => (r.NextDouble() * 2 - 1) * 30).ToArray();
        var z = tensor(zs, new long[] { rows, k });
        Assert.Equal(zs.Select(v => 1 / (1 + Math.Exp(-v))), Numbers.Values(StableMath.Sigmoid(z)), new Relative(1e-15));
        Assert.Equal(zs.Select(v => v < 0 ? v - Log1p(Math.Exp(v)) : -Log1p(Math.Exp(-v))), Numbers.Values(StableMath.LogSigmoid(z)), new Relative(1e-14));
        Assert.Equal(zs.Select(v => v > 0 ? v + Log1p(Math.Exp(-v)) : Log1p(Math.Exp(v))), Numbers.Values(StableMath.Softplus(z)), new Relative(1e-14));
        var lse = Enumerable.Range(0, rows).Select(i => Math.Log(zs.Skip(i * k).Take(k).Sum(Math.Exp))).ToArray();
        Assert.Equal(lse, Numbers.Values(StableMath.LogSumExp(z, 1)), new Relative(1e-15));
        // z − lse cancels for the largest logit of a row (in any formula), so compare at the scale of the logits.
        Assert.Equal(zs.Select((v, j) => v - lse[j / k]), Numbers.Values(StableMath.LogSoftmax(z, 1)), new Relative(1e-14, absoluteTolerance: 1e-13));
        Assert.Equal(zs.Select((v, j) => Math.Exp(v - lse[j / k])), Numbers.Values(StableMath.Softmax(z, 1)), new Relative(1e-13));
    }

    [Fact]
    public void Softplus_has_no_threshold_error_in_float64()
    {
        using var scope = NewDisposeScope();
        // TorchSharp's softplus returns z itself above 20, off by log1p(e^{−z}) ≈ 1.4e-11 at z = 25.
        var z = tensor(new[] { 21.0, 25, 30 });
        Assert.Equal(new[] { 21 + Math.Exp(-21), 25 + Math.Exp(-25), 30 + Math.Exp(-30) }, Numbers.Values(StableMath.Softplus(z)), new Relative(1e-15));
        Assert.Equal(25.0, Numbers.Values(nn.functional.softplus(z))[1]);
    }

    /// <summary>log(1 + x) accurate for small x (Goldberg: the rounding of 1 + x cancels in the ratio).</summary>
    private static double Log1p(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    /// <summary>|x − y| ≤ atol + rtol·|x| (and y finite).</summary>
    private sealed class Relative(double relativeTolerance, double absoluteTolerance = 0) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => double.IsFinite(y) && Math.Abs(x - y) <= absoluteTolerance + relativeTolerance * Math.Abs(x);

        public int GetHashCode(double obj) => 0;
    }

    /// <summary>Exact in float64; float32 values compared at its precision (relative 1e-6).</summary>
    private sealed class Tolerance(ScalarType dtype) : IEqualityComparer<double>
    {
        private readonly double _relativeTolerance = dtype == ScalarType.Float32 ? 1e-6 : 1e-15;

        public bool Equals(double x, double y) => double.IsFinite(y) && Math.Abs(x - y) <= _relativeTolerance * Math.Max(1, Math.Abs(x));

        public int GetHashCode(double obj) => 0;
    }
}
