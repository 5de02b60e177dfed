using System.Globalization;

namespace TorchLogistic.Checking;

/// <summary>
/// One comparison of a derivative against a reference, entry by entry: the worst absolute error, the worst
/// relative error and where each occurs, the entry that decides pass or fail, and the verdict.
/// The relative error of an entry is <c>|actual − expected| / max(|expected|, atol)</c>: relative where the
/// reference is larger than atol, and scaled absolute below it, so that entries that are zero up to rounding do
/// not report 100 %.
/// </summary>
public sealed record Comparison
{
    /// <summary>What was compared, e.g. <c>analytic vs autograd</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Shape of the compared tensors (for locating entries).</summary>
    public required long[] Shape { get; init; }

    /// <summary>max |actual − expected| (NaN if either has a NaN).</summary>
    public required double MaxAbsError { get; init; }

    /// <summary>Flat index of <see cref="MaxAbsError"/>.</summary>
    public required long MaxAbsIndex { get; init; }

    /// <summary>max |actual − expected| / max(|expected|, atol).</summary>
    public required double MaxRelError { get; init; }

    /// <summary>Flat index of <see cref="MaxRelError"/>.</summary>
    public required long MaxRelIndex { get; init; }

    /// <summary>Flat index of the entry furthest outside (or closest to) the tolerance, <c>|Δ| / (atol + rtol·|expected|)</c>.</summary>
    public required long WorstIndex { get; init; }

    /// <summary>The actual value at <see cref="WorstIndex"/>.</summary>
    public required double ActualAtWorst { get; init; }

    /// <summary>The expected value at <see cref="WorstIndex"/>.</summary>
    public required double ExpectedAtWorst { get; init; }

    /// <summary>Absolute tolerance used.</summary>
    public required double AbsoluteTolerance { get; init; }

    /// <summary>Relative tolerance used.</summary>
    public required double RelativeTolerance { get; init; }

    /// <summary>Whether every entry is within tolerance and none is NaN.</summary>
    public required bool Passed { get; init; }

    /// <summary>A flat index as a multi-index of <see cref="Shape"/>, e.g. <c>[3, 1]</c>.</summary>
    /// <param name="flat">Row-major flat index.</param>
    public string Location(long flat)
    {
        if (Shape.Length == 0) return "[]";
        var index = new long[Shape.Length];
        for (int i = Shape.Length - 1; i >= 0; i--)
        {
            long size = Math.Max(Shape[i], 1);
            index[i] = flat % size;
            flat /= size;
        }
        return $"[{string.Join(", ", index)}]";
    }

    /// <summary>One line: verdict, name, worst errors with their locations, and the tolerance.</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        string line = string.Format(c, "{0,-4} {1}: max |Δ| {2:E2} at {3}, max rel {4:E2} at {5} (atol {6:G3}, rtol {7:G3})",
            Passed ? "ok" : "FAIL", Name, MaxAbsError, Location(MaxAbsIndex), MaxRelError, Location(MaxRelIndex), AbsoluteTolerance, RelativeTolerance);
        return Passed ? line : line + string.Format(c, "; worst entry {0}: {1:R} vs {2:R}", Location(WorstIndex), ActualAtWorst, ExpectedAtWorst);
    }
}
