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
        this.What = what;
        this.Comparisons = comparisons;
    }

    /// <summary>What was checked.</summary>
    public string What { get; }

    /// <summary>The comparisons.</summary>
    public IReadOnlyList<Comparison> Comparisons { get; }

    /// <summary>Whether every comparison passed.</summary>
    public bool Passed => Comparisons.All(c => c.Passed);

    /// <summary>The largest absolute error over the comparisons.</summary>
    public Comparison WorstAbsolute => Comparisons.MaxBy(c => double.IsNaN(c.MaxAbsError) ? double.PositiveInfinity : c.MaxAbsError)!;

    /// <summary>The largest relative error over the comparisons.</summary>
    public Comparison WorstRelative => Comparisons.MaxBy(c => double.IsNaN(c.MaxRelError) ? double.PositiveInfinity : c.MaxRelError)!;

    /// <summary>Throws <see cref="GradientCheckException"/> with this report unless every comparison passed.</summary>
    public GradientCheckResult EnsurePassed() => Passed ? this : throw new GradientCheckException(this);

    /// <summary>A report: a headline, then one line per comparison.</summary>
    public override string ToString() =>
        $"{What} check {(Passed ? "passed" : "FAILED")}{Environment.NewLine}" + string.Join(Environment.NewLine, Comparisons.Select(c => "  " + c));
}
