namespace TorchLogistic.Checking;

/// <summary>
/// Tolerances of <see cref="GradientChecker"/>. Entries pass when <c>|actual − expected| ≤ atol + rtol·|expected|</c>
/// (and neither is NaN), as in PyTorch's <c>gradcheck</c>. Comparisons against central finite differences use
/// <see cref="AbsoluteTolerance"/>/<see cref="RelativeTolerance"/>; comparisons between two exact methods (closed form against autograd,
/// and symmetry of a Hessian) use the much tighter <see cref="ExactAbsoluteTolerance"/>/<see cref="ExactRelativeTolerance"/>.
/// </summary>
public sealed record GradientCheckOptions
{
    /// <summary>Step of the central differences (default 1e-6, as PyTorch's gradcheck).</summary>
    public double Epsilon { get; init; } = 1e-6;

    /// <summary>Absolute tolerance against finite differences (default 1e-5, as PyTorch's gradcheck).</summary>
    public double AbsoluteTolerance { get; init; } = 1e-5;

    /// <summary>Relative tolerance against finite differences (default 1e-3, as PyTorch's gradcheck).</summary>
    public double RelativeTolerance { get; init; } = 1e-3;

    /// <summary>Absolute tolerance between exact methods in float64 (default 1e-10).</summary>
    public double ExactAbsoluteTolerance { get; init; } = 1e-10;

    /// <summary>Relative tolerance between exact methods in float64 (default 1e-8).</summary>
    public double ExactRelativeTolerance { get; init; } = 1e-8;

    /// <summary>The defaults.</summary>
    public static GradientCheckOptions Defaults { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> when a value is not a finite number of the right sign.</summary>
    public void Validate()
    {
        if (!(Epsilon > 0) || !double.IsFinite(Epsilon)) throw new ArgumentException($"eps = {Epsilon} must be a finite number > 0 (try 1e-6).");
        foreach (var (name, value) in new[] { ("atol", AbsoluteTolerance), ("rtol", RelativeTolerance), ("exact_atol", ExactAbsoluteTolerance), ("exact_rtol", ExactRelativeTolerance) })
        {
            if (!(value >= 0) || !double.IsFinite(value)) throw new ArgumentException($"{name} = {value} must be a finite number ≥ 0.");
        }
    }
}
