using TorchLogistic.Native;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Native;

/// <summary>Each explicit-Scalar helper gives the same bits and dtype as the TorchSharp operator it replaces (the reference).</summary>
public class ScalarArithmeticTests
{
    private static void Same(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.dtype, actual.dtype);
        Assert.Equal(expected.shape, actual.shape);
        // Bit for bit: the float64 images of the values (exact for every dtype used here), compared as integers.
        long[] Bits(Tensor t) => t.to_type(ScalarType.Float64).data<double>().ToArray().Select(BitConverter.DoubleToInt64Bits).ToArray();
        Assert.Equal(Bits(expected), Bits(actual));
    }

    [Fact]
    public void Float64_helpers_match_the_operators_bit_for_bit()
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator(7);
        var a = randn(new long[] { 5, 3 }, dtype: ScalarType.Float64, generator: gen);
        var b = randn(new long[] { 5, 3 }, dtype: ScalarType.Float64, generator: gen);
        Same(a + b, a.Plus(b));
        Same(a + b, a.clone().PlusInPlace(b));
        Same(a + 0.3, a.Plus(0.3));
        Same(a - 0.3, a.Minus(0.3));
        Same(1 - a, a.SubtractedFrom(1));
        Same(0.9 - a, a.SubtractedFrom(0.9));
        Same(a * 0.7, a.Times(0.7));
        Same(a * 3, a.Times(3));
        Same(a / 3.0, a.DividedBy(3.0));
        Same(a / 3L, a.DividedBy(3L));
        Same(2.5 / a, a.DividedInto(2.5));
        Same(a.square(), a.Squared());
    }

    [Fact]
    public void Integer_helpers_keep_the_operators_dtypes()
    {
        using var scope = NewDisposeScope();
        var i = tensor(new long[] { 0, 1, 5, -3 });
        Same(1 - i, i.SubtractedFrom(1));
        Assert.Equal(ScalarType.Int64, i.SubtractedFrom(1).dtype);
        Same(i * 2, i.Times(2));
        Assert.Equal(ScalarType.Int64, i.Times(2).dtype);
        Same(i + i, i.Plus(i));
        Same(i / 2, i.DividedBy(2)); // true division: float
        Assert.Equal(new[] { 0.0, 0.5, 2.5, -1.5 }, i.DividedBy(2).to_type(ScalarType.Float64).data<double>().ToArray());
        Same(i.square(), i.Squared());
    }
}
