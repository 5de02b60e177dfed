namespace TorchLogistic.Checking;

/// <summary>
/// Tolerances of <see cref="GradientChecker"/>. Entries pass when <c>|actual − expected| ≤ atol + rtol·|expected|</c>
/// (and neither is NaN), as in PyTorch's <c>gradcheck</c>. Comparisons against central finite differences use
/// <see cref="atol"/>/<see cref="rtol"/>; comparisons between two exact methods (closed form against autograd,
/// and symmetry of a Hessian) use the much tighter <see cref="exact_atol"/>/<see cref="exact_rtol"/>.
/// </summary>
public sealed record GradientCheckOptions
{
    /// <summary>Step of the central differences (default 1e-6, as PyTorch's gradcheck).</summary>
    public double eps { get; init; } = 1e-6;

    /// <summary>Absolute tolerance against finite differences (default 1e-5, as PyTorch's gradcheck).</summary>
    public double atol { get; init; } = 1e-5;

    /// <summary>Relative tolerance against finite differences (default 1e-3, as PyTorch's gradcheck).</summary>
    public double rtol { get; init; } = 1e-3;

    /// <summary>Absolute tolerance between exact methods in float64 (default 1e-10).</summary>
    public double exact_atol { get; init; } = 1e-10;

    /// <summary>Relative tolerance between exact methods in float64 (default 1e-8).</summary>
    public double exact_rtol { get; init; } = 1e-8;

    /// <summary>The defaults.</summary>
    public static GradientCheckOptions defaults { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> when a value is not a finite number of the right sign.</summary>
    public void validate()
    {
        if (!(eps > 0) || !double.IsFinite(eps)) throw new ArgumentException($"eps = {eps} must be a finite number > 0 (try 1e-6).");
        foreach (var (name, value) in new[] { ("atol", atol), ("rtol", rtol), ("exact_atol", exact_atol), ("exact_rtol", exact_rtol) })
        {
            if (!(value >= 0) || !double.IsFinite(value)) throw new ArgumentException($"{name} = {value} must be a finite number ≥ 0.");
        }
    }
}
