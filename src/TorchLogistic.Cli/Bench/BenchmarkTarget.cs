namespace TorchLogistic.Performance;

/// <summary>One performance target (README, section Performance) and whether a benchmark run met it.</summary>
/// <param name="name">What is required, e.g. "time to target ≥ 20× shorter than scikit-learn lbfgs".</param>
/// <param name="passed">True (PASS), false (MISS), or null when it was not measured in this run.</param>
/// <param name="measured">The measured value in words.</param>
public sealed record BenchmarkTarget(string name, bool? passed, string measured)
{
    /// <summary>Times shorter than scikit-learn's lbfgs the time to the target must be: 20.</summary>
    public const double peer_speedup = 20;

    /// <summary>Largest ratio of milliseconds per evaluation to the machine floor: 2.</summary>
    public const double floor_ratio = 2;

    /// <summary>Times faster than autograd one analytic evaluation must be: 1.5.</summary>
    public const double autograd_speedup = 1.5;

    /// <summary><c>PASS</c>, <c>MISS</c> or <c>n/a</c>.</summary>
    public string verdict => passed switch { true => "PASS", false => "MISS", null => "n/a" };

    /// <summary>One line: verdict, name, measured value.</summary>
    public override string ToString() => $"{verdict,-4}  {name}: {measured}";
}
