using TorchLogistic.Native;
using TorchLogistic.Optim;

namespace TorchLogistic.Tests.Native;

/// <summary>
/// The vector loops that replaced scalar loops of a pass's O(d) work (<see cref="SpanMath"/>, <see cref="VectorMath"/>)
/// give the scalar loops' bits — the reference — at lengths around the lane width, with NaN, ±0 and ±∞ where they matter.
/// </summary>
public class LaneLoopTests
{
    public static TheoryData<int> Lengths => new() { 1, 3, 4, 5, 8, 13, 47_236 };

    private static double[] Values(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (random.NextDouble() - 0.4) * Math.Pow(10, random.Next(-8, 8))).ToArray();
    }

    private static long[] Bits(double[] x) => x.Select(BitConverter.DoubleToInt64Bits).ToArray();

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Entrywise_loops_give_the_scalar_loops_bits(int n)
    {
        var a = Values(n, 1);
        var b = Values(n, 2);

        var product = new double[n];
        SpanMath.Multiply(a, b, product);
        Assert.Equal(Bits(a.Zip(b, (x, y) => x * y).ToArray()), Bits(product));

        var shifted = (double[])a.Clone();
        SpanMath.Add(shifted, 0.3);
        Assert.Equal(Bits(a.Select(x => x + 0.3).ToArray()), Bits(shifted));

        var scaled = (double[])b.Clone();
        VectorMath.AddScaled(a, 0.7, scaled);
        Assert.Equal(Bits(a.Zip(b, (x, y) => x + 0.7 * y).ToArray()), Bits(scaled));

        var point = new double[n];
        VectorMath.PointAlong(a, 0.25, b, point);
        Assert.Equal(Bits(a.Zip(b, (x, y) => x + 0.25 * y).ToArray()), Bits(point));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Floored_reciprocal_is_the_scalar_loops_with_NaN_kept(int n)
    {
        var x = Values(n, 3).Select(Math.Abs).ToArray();
        x[0] = 0;
        if (n > 2) x[2] = double.NaN;
        if (n > 3) x[^1] = -0.0;
        if (n > 4) x[^2] = double.PositiveInfinity;
        const double floor = 1e-6;
        var expected = x.Select(v => 1 / Math.Max(v, floor)).ToArray();
        SpanMath.ReciprocalAtLeast(x, floor);
        Assert.Equal(Bits(expected), Bits(x));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Max_is_Enumerable_Max_NaNs_ignored_unless_all(int n)
    {
        var x = Values(n, 4);
        Assert.Equal(x.Max(), SpanMath.Max(x));
        x[n / 2] = double.NaN;
        Assert.Equal(x.Max(), SpanMath.Max(x));
        x[n - 1] = double.PositiveInfinity;
        Assert.Equal(double.PositiveInfinity, SpanMath.Max(x));
        Assert.True(double.IsNaN(SpanMath.Max(Enumerable.Repeat(double.NaN, n).ToArray())));
        Assert.Equal(double.NegativeInfinity, SpanMath.Max(Enumerable.Repeat(double.NegativeInfinity, n).ToArray()));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void MaxAbs_is_the_scalar_loop_with_NaN_propagated(int n)
    {
        var x = Values(n, 5);
        double Reference(double[] v, int length)
        {
            double max = 0;
            for (int j = 0; j < length; j++) max = Math.Max(max, Math.Abs(v[j]));
            return max;
        }
        Assert.Equal(Reference(x, n), VectorMath.MaxAbs(x, n));
        Assert.Equal(Reference(x, n - 1), VectorMath.MaxAbs(x, n - 1));
        x[n / 2] = double.NaN;
        Assert.True(double.IsNaN(VectorMath.MaxAbs(x, n)));
        Assert.Equal(Reference(x, n), VectorMath.MaxAbs(x, n));
    }

    [Fact]
    public void SameBits_compares_bits_not_values()
    {
        var a = Values(47_236, 6);
        var b = (double[])a.Clone();
        Assert.True(SpanMath.SameBits(a, b));
        b[47_000] = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(b[47_000]) + 1);
        Assert.False(SpanMath.SameBits(a, b));
        Assert.False(SpanMath.SameBits(new[] { 0.0 }, new[] { -0.0 }));
        Assert.True(SpanMath.SameBits(new[] { double.NaN }, new[] { double.NaN }));
        Assert.False(SpanMath.SameBits(a, a.AsSpan(1)));
    }
}
