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
    public required string name { get; init; }

    /// <summary>Shape of the compared tensors (for locating entries).</summary>
    public required long[] shape { get; init; }

    /// <summary>max |actual − expected| (NaN if either has a NaN).</summary>
    public required double max_abs_error { get; init; }

    /// <summary>Flat index of <see cref="max_abs_error"/>.</summary>
    public required long max_abs_index { get; init; }

    /// <summary>max |actual − expected| / max(|expected|, atol).</summary>
    public required double max_rel_error { get; init; }

    /// <summary>Flat index of <see cref="max_rel_error"/>.</summary>
    public required long max_rel_index { get; init; }

    /// <summary>Flat index of the entry furthest outside (or closest to) the tolerance, <c>|Δ| / (atol + rtol·|expected|)</c>.</summary>
    public required long worst_index { get; init; }

    /// <summary>The actual value at <see cref="worst_index"/>.</summary>
    public required double actual_at_worst { get; init; }

    /// <summary>The expected value at <see cref="worst_index"/>.</summary>
    public required double expected_at_worst { get; init; }

    /// <summary>Absolute tolerance used.</summary>
    public required double atol { get; init; }

    /// <summary>Relative tolerance used.</summary>
    public required double rtol { get; init; }

    /// <summary>Whether every entry is within tolerance and none is NaN.</summary>
    public required bool passed { get; init; }

    /// <summary>A flat index as a multi-index of <see cref="shape"/>, e.g. <c>[3, 1]</c>.</summary>
    /// <param name="flat">Row-major flat index.</param>
    public string location(long flat)
    {
        if (shape.Length == 0) return "[]";
        var index = new long[shape.Length];
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            long size = Math.Max(shape[i], 1);
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
            passed ? "ok" : "FAIL", name, max_abs_error, location(max_abs_index), max_rel_error, location(max_rel_index), atol, rtol);
        return passed ? line : line + string.Format(c, "; worst entry {0}: {1:R} vs {2:R}", location(worst_index), actual_at_worst, expected_at_worst);
    }
}
