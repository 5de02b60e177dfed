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
        Assert.Equal(new[] { 1.0, 0.0, 0.5 }, Numbers.values(StableMath.sigmoid(z)));
        // log σ(1e4) = −log1p(e^{−1e4}) underflows to −0; log σ(−1e4) = −1e4 exactly (the naive log(σ) is −∞).
        Assert.Equal(new[] { 0.0, -1e4, -Math.Log(2) }, Numbers.values(StableMath.log_sigmoid(z)), new Tolerance(dtype));
        Assert.Equal(new[] { 1e4, 0.0, Math.Log(2) }, Numbers.values(StableMath.softplus(z)), new Tolerance(dtype));

        var rows = tensor(new double[] { 1e4, -1e4, 0, -1e4, -1e4, -1e4 }, new long[] { 2, 3 }).to_type(dtype);
        Assert.Equal(new[] { 1.0, 0, 0, 1 / 3.0, 1 / 3.0, 1 / 3.0 }, Numbers.values(StableMath.softmax(rows, 1)), new Tolerance(dtype));
        Assert.Equal(new[] { 0, -2e4, -1e4, -Math.Log(3), -Math.Log(3), -Math.Log(3) }, Numbers.values(StableMath.log_softmax(rows, 1)), new Tolerance(dtype));
        Assert.Equal(new[] { 1e4, -1e4 + Math.Log(3) }, Numbers.values(StableMath.logsumexp(rows, 1)), new Tolerance(dtype));
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
            Numbers.all_finite(g, "gradient");
            return Numbers.values(g)[i];
        }
        // σ′ = σ(1 − σ): 0 at ±1e4, 1/4 at 0. (log σ)′ = σ(−z): 0, 1, 1/2. softplus′ = σ: 1, 0, 1/2.
        Assert.Equal(new[] { 0, 0, 0.25 }, Enumerable.Range(0, 3).Select(i => Grad(StableMath.sigmoid, i)));
        Assert.Equal(new[] { 0, 1, 0.5 }, Enumerable.Range(0, 3).Select(i => Grad(StableMath.log_sigmoid, i)));
        Assert.Equal(new[] { 1, 0, 0.5 }, Enumerable.Range(0, 3).Select(i => Grad(StableMath.softplus, i)));

        var rows = tensor(new double[] { 1e4, -1e4, 0 }, new long[] { 1, 3 }).to_type(dtype).requires_grad_(true);
        var g = autograd.grad(new[] { StableMath.logsumexp(rows, 1).sum() }, new[] { rows })[0];
        Assert.Equal(new[] { 1.0, 0, 0 }, Numbers.values(g));
        var h = autograd.grad(new[] { StableMath.log_softmax(rows, 1).select(1, 1).sum() }, new[] { rows })[0];
        Assert.Equal(new[] { -1.0, 1, 0 }, Numbers.values(h));
    }

    [Fact]
    public void Rows_of_minus_infinity_give_minus_infinity_not_NaN()
    {
        using var scope = NewDisposeScope();
        var rows = tensor(new[] { double.NegativeInfinity, double.NegativeInfinity, 1, 2 }, new long[] { 2, 2 });
        var lse = Numbers.values(StableMath.logsumexp(rows, 1));
        Assert.Equal(double.NegativeInfinity, lse[0]);
        Assert.Equal(2 + Math.Log(1 + Math.Exp(-1)), lse[1], 15);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Building_blocks_equal_TorchSharps_on_random_logits(int seed)
    {
        using var scope = NewDisposeScope();
        var g = new Generator((ulong)seed);
        var z = Numbers.uniform(g, 40, 7, 5);
        Numbers.close(z.sigmoid(), StableMath.sigmoid(z), 1e-15, 0, "sigmoid");
        Numbers.close(nn.functional.logsigmoid(z), StableMath.log_sigmoid(z), 1e-15, 1e-300, "log_sigmoid");
        Numbers.close(z.exp().log1p(), StableMath.softplus(z), 1e-14, 1e-300, "softplus");
        Numbers.close(z.softmax(1), StableMath.softmax(z, 1), 1e-14, 1e-300, "softmax");
        Numbers.close(z.log_softmax(1), StableMath.log_softmax(z, 1), 1e-15, 1e-13, "log_softmax");
        Numbers.close(z.logsumexp(1), StableMath.logsumexp(z, 1), 1e-15, 0, "logsumexp");
        Numbers.close(z.logsumexp(0, keepdim: true), StableMath.logsumexp(z, 0, keepdim: true), 1e-15, 0, "logsumexp over dim 0");
    }

    /// <summary>Exact in float64; float32 values compared at its precision (relative 1e-6).</summary>
    private sealed class Tolerance(ScalarType dtype) : IEqualityComparer<double>
    {
        private readonly double rtol = dtype == ScalarType.Float32 ? 1e-6 : 1e-15;

        public bool Equals(double x, double y) => double.IsFinite(y) && Math.Abs(x - y) <= rtol * Math.Max(1, Math.Abs(x));

        public int GetHashCode(double obj) => 0;
    }
}
