namespace TorchLogistic.Performance;

/// <summary>One performance target (README, section Performance) and whether a benchmark run met it.</summary>
/// <param name="Name">What is required, e.g. "time to target ≥ 20× shorter than scikit-learn lbfgs".</param>
/// <param name="Passed">True (PASS), false (MISS), or null when it was not measured in this run.</param>
/// <param name="Measured">The measured value in words.</param>
public sealed record BenchmarkTarget(string Name, bool? Passed, string Measured)
{
    /// <summary>Times shorter than scikit-learn's lbfgs the time to the target must be: 100 (issue 20; 20 before).</summary>
    public const double PeerSpeedup = 100;

    /// <summary>Largest time to the target in floor-evaluations (time / floor of one evaluation): 300 (issue 20).</summary>
    public const double FloorEvaluations = 300;

    /// <summary>Largest share of one evaluation the solver's own work per pass may take: 0.3 (issue 20).</summary>
    public const double OwnWorkShare = 0.3;

    /// <summary>Largest ratio of milliseconds per evaluation to the machine floor: 2.</summary>
    public const double FloorRatio = 2;

    /// <summary>Times faster than autograd one analytic evaluation must be: 1.5.</summary>
    public const double AutogradSpeedup = 1.5;

    /// <summary><c>PASS</c>, <c>MISS</c> or <c>n/a</c>.</summary>
    public string Verdict => Passed switch { true => "PASS", false => "MISS", null => "n/a" };

    /// <summary>One line: verdict, name, measured value.</summary>
    public override string ToString() => $"{Verdict,-4}  {Name}: {Measured}";
}
