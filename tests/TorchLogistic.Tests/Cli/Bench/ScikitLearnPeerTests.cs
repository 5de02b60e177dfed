using TorchLogistic.Performance;
using TorchLogistic.Tests.Support;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Performance;

/// <summary>A test that needs scikit-learn in /usr/bin/python3: skipped, saying why, where it is missing (CI installs python3-sklearn).</summary>
public sealed class ScikitLearnFactAttribute : FactAttribute
{
    public ScikitLearnFactAttribute()
    {
        if (ScikitLearnPeer.UnavailableReason() is string why) Skip = $"scikit-learn peer unavailable: {why}";
    }
}

public class ScikitLearnPeerTests
{
    private static string Script => Path.Combine(AppContext.BaseDirectory, "peers", "sklearn_time_to_target.py");

    [ScikitLearnFact]
    public void ScikitLearnLbfgsReachesTheTargetAndMinimisesOurObjectiveTimesMOnBreastCancer() => Check("breast-cancer", Math.Log(2));

    [ScikitLearnFact]
    public void ScikitLearnLbfgsReachesTheTargetAndMinimisesOurObjectiveTimesMOnDigits() => Check("digits", Math.Log(10));

    private static void Check(string name, double atZero)
    {
        var problem = BenchmarkProblem.Load(name);
        var optimum = OptimumCache.Compute(problem);
        double target = optimum.Target(1e-6);

        var result = ScikitLearnPeer.Run(problem, target, Script, capSeconds: 120);
        Assert.True(result.Reached, result.Stop);
        Assert.Equal("1.2.1", result.SklearnVersion);
        Assert.True(result.Objective <= target && result.Objective >= optimum.Objective * (1 - 1e-12),
            $"scikit-learn stopped at {result.Objective:R}; target {target:R}, F* {optimum.Objective:R}");
        Assert.True(result.SecondsToTarget > 0 && result.Evaluations > 0 && result.Iterations > 0);

        using var objective = problem.Objective(ScalarType.Float64);
        // Its objective at its own point is ours there (the script's docstring derives why: sum vs mean, same penalty).
        Close.Equal(objective.Value(result.Theta), result.Objective, relativeTolerance: 1e-9, what: "F at scikit-learn's point");
        Close.Equal(problem.ExactValue(result.Theta), result.Objective, relativeTolerance: 1e-9, what: "F by blocks at scikit-learn's point");
        Close.Equal(result.Objective, result.ObjectiveNumpy, relativeTolerance: 1e-12, what: "numpy's recomputation");
        Close.Equal(objective.Value(new double[problem.ParameterCount]), result.ObjectiveAtZero, relativeTolerance: 1e-12, what: "F(0)");
        Close.Equal(atZero, result.ObjectiveAtZero, relativeTolerance: 1e-12, what: "F(0) = log K");
    }
}
