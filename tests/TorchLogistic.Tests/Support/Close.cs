namespace TorchLogistic.Tests.Support;

/// <summary>Tolerance assertions that report the numbers when they fail.</summary>
public static class Close
{
    /// <summary>|actual − expected| ≤ atol + rtol·|expected|.</summary>
    public static void Equal(double expected, double actual, double relativeTolerance = 1e-12, double absoluteTolerance = 0, string? what = null)
    {
        double error = Math.Abs(actual - expected);
        Assert.True(error <= absoluteTolerance + relativeTolerance * Math.Abs(expected) && !double.IsNaN(actual),
            $"{what ?? "value"}: expected {expected:R}, got {actual:R} (|error| {error:E3} > atol {absoluteTolerance:E1} + rtol {relativeTolerance:E1}·|expected|)");
    }

    /// <summary>Element-wise <see cref="Equal(double, double, double, double, string?)"/>, naming the worst entry.</summary>
    public static void All(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double relativeTolerance = 1e-12, double absoluteTolerance = 0, string? what = null)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++) Equal(expected[i], actual[i], relativeTolerance, absoluteTolerance, $"{what ?? "entry"}[{i}]");
    }

    /// <summary>max |a − b| / max(|b|∞, tiny): the relative error of a whole vector.</summary>
    public static double RelativeError(IReadOnlyList<double> actual, IReadOnlyList<double> expected)
    {
        double num = 0, den = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            num = Math.Max(num, Math.Abs(actual[i] - expected[i]));
            den = Math.Max(den, Math.Abs(expected[i]));
        }
        return num / Math.Max(den, 1e-300);
    }
}
