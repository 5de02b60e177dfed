using static TorchSharp.torch;

namespace TorchLogistic.Tests.Losses;

/// <summary>Random inputs and tensor assertions for the loss tests.</summary>
internal static class Numbers
{
    public static double[] Values(Tensor t) => t.detach().to_type(ScalarType.Float64).cpu().contiguous().flatten().data<double>().ToArray();

    public static double Value(Tensor t) => t.detach().to_type(ScalarType.Float64).cpu().item<double>();

    /// <summary>Uniform in [−scale, scale], float64, with a seeded generator.</summary>
    public static Tensor Uniform(Generator g, double scale, params long[] shape) =>
        (rand(shape, dtype: ScalarType.Float64, generator: g) * 2 - 1) * scale;

    /// <summary>Uniform in [low, high].</summary>
    public static Tensor Between(Generator g, double low, double high, params long[] shape) =>
        rand(shape, dtype: ScalarType.Float64, generator: g) * (high - low) + low;

    public static Tensor Labels(Generator g, long classes, params long[] shape) => randint(0, classes, shape, generator: g);

    /// <summary>Random probability rows along dimension 1.</summary>
    public static Tensor Probabilities(Generator g, params long[] shape) =>
        nn.functional.softmax(Uniform(g, 3, shape), 1);

    /// <summary>Every entry: |a − e| ≤ atol + rtol·|e|, naming the worst entry.</summary>
    public static void Close(Tensor expected, Tensor actual, double relativeTolerance, double absoluteTolerance, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var e = Values(expected);
        var a = Values(actual);
        int worst = -1;
        double worstRatio = 0;
        for (int i = 0; i < e.Length; i++)
        {
            double error = Math.Abs(a[i] - e[i]);
            double ratio = double.IsNaN(error) ? double.PositiveInfinity : error / (absoluteTolerance + relativeTolerance * Math.Abs(e[i]));
            if (ratio > worstRatio) (worstRatio, worst) = (ratio, i);
        }
        Assert.True(worstRatio <= 1, worst < 0 ? what : $"{what}: entry {worst} expected {e[worst]:R}, got {a[worst]:R} (|error| {Math.Abs(a[worst] - e[worst]):E3})");
    }

    public static void AllFinite(Tensor t, string what)
    {
        var v = Values(t);
        Assert.True(v.All(double.IsFinite), $"{what} has non-finite entries: {string.Join(", ", v.Take(12))}");
    }
}
