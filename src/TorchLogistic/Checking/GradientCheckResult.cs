namespace TorchLogistic.Checking;

/// <summary>The comparisons one check made (e.g. analytic vs autograd, analytic vs finite differences) and the verdict.</summary>
public sealed class GradientCheckResult
{
    /// <summary>Creates a result from its comparisons.</summary>
    /// <param name="what">What was checked, e.g. <c>gradient</c> or <c>Hessian</c>.</param>
    /// <param name="comparisons">The comparisons, at least one.</param>
    public GradientCheckResult(string what, IReadOnlyList<Comparison> comparisons)
    {
        if (comparisons.Count == 0) throw new ArgumentException("A check needs at least one comparison.", nameof(comparisons));
        this.what = what;
        this.comparisons = comparisons;
    }

    /// <summary>What was checked.</summary>
    public string what { get; }

    /// <summary>The comparisons.</summary>
    public IReadOnlyList<Comparison> comparisons { get; }

    /// <summary>Whether every comparison passed.</summary>
    public bool passed => comparisons.All(c => c.passed);

    /// <summary>The largest absolute error over the comparisons.</summary>
    public Comparison worst_absolute => comparisons.MaxBy(c => double.IsNaN(c.max_abs_error) ? double.PositiveInfinity : c.max_abs_error)!;

    /// <summary>The largest relative error over the comparisons.</summary>
    public Comparison worst_relative => comparisons.MaxBy(c => double.IsNaN(c.max_rel_error) ? double.PositiveInfinity : c.max_rel_error)!;

    /// <summary>Throws <see cref="GradientCheckException"/> with this report unless every comparison passed.</summary>
    public GradientCheckResult ensure_passed() => passed ? this : throw new GradientCheckException(this);

    /// <summary>A report: a headline, then one line per comparison.</summary>
    public override string ToString() =>
        $"{what} check {(passed ? "passed" : "FAILED")}{Environment.NewLine}" + string.Join(Environment.NewLine, comparisons.Select(c => "  " + c));
}
