using TorchLogistic.Performance;
using TorchLogistic.Tests.Support;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Performance;

/// <summary>A test that needs scikit-learn in /usr/bin/python3: skipped, saying why, where it is missing (CI installs python3-sklearn).</summary>
public sealed class ScikitLearnFactAttribute : FactAttribute
{
    public ScikitLearnFactAttribute()
    {
        if (ScikitLearnPeer.unavailable_reason() is string why) Skip = $"scikit-learn peer unavailable: {why}";
    }
}

public class ScikitLearnPeerTests
{
    private static string script => Path.Combine(AppContext.BaseDirectory, "peers", "sklearn_time_to_target.py");

    [ScikitLearnFact]
    public void Scikit_learn_lbfgs_reaches_the_target_and_minimises_our_objective_times_m_on_breast_cancer() => check("breast-cancer", Math.Log(2));

    [ScikitLearnFact]
    public void Scikit_learn_lbfgs_reaches_the_target_and_minimises_our_objective_times_m_on_digits() => check("digits", Math.Log(10));

    private static void check(string name, double at_zero)
    {
        var problem = BenchmarkProblem.load(name);
        var optimum = OptimumCache.compute(problem);
        double target = optimum.target(1e-6);

        var result = ScikitLearnPeer.run(problem, target, script, cap_seconds: 120);
        Assert.True(result.reached, result.stop);
        Assert.Equal("1.2.1", result.sklearn_version);
        Assert.True(result.objective <= target && result.objective >= optimum.objective * (1 - 1e-12),
            $"scikit-learn stopped at {result.objective:R}; target {target:R}, F* {optimum.objective:R}");
        Assert.True(result.seconds_to_target > 0 && result.evaluations > 0 && result.iterations > 0);

        using var objective = problem.objective(ScalarType.Float64);
        // Its objective at its own point is ours there (the script's docstring derives why: sum vs mean, same penalty).
        Close.Equal(objective.value(result.theta), result.objective, rtol: 1e-9, what: "F at scikit-learn's point");
        Close.Equal(problem.exact_value(result.theta), result.objective, rtol: 1e-9, what: "F by blocks at scikit-learn's point");
        Close.Equal(result.objective, result.objective_numpy, rtol: 1e-12, what: "numpy's recomputation");
        Close.Equal(objective.value(new double[problem.n_parameters]), result.objective_at_zero, rtol: 1e-12, what: "F(0)");
        Close.Equal(at_zero, result.objective_at_zero, rtol: 1e-12, what: "F(0) = log K");
    }
}
