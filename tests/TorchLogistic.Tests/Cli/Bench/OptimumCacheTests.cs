using System.Text.Json.Nodes;
using TorchLogistic.Data;
using TorchLogistic.Optim;
using TorchLogistic.Performance;
using TorchLogistic.Tests.Optim;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Performance;

public class OptimumCacheTests
{
    [Fact]
    public void A_computed_optimum_is_scikit_learns_and_is_found_again_without_recomputing()
    {
        using var folder = new TempFolder();
        var cache = new OptimumCache(folder.File("optima.json"));
        var problem = BenchmarkProblem.Load("breast-cancer");
        Assert.Null(cache.Find(problem));

        var (optimum, computed) = cache.GetOrCompute(problem);
        Assert.True(computed);
        // scikit-learn 1.2.1 newton-cholesky at tol 1e-12 (Fixtures/solver_references.json, case l2_C1).
        Close.Equal(SolverReferences.Get("l2_C1").Objective, optimum.Objective, relativeTolerance: 1e-12, what: "F*");
        Assert.True(optimum.GradientInfNorm <= problem.OptimumTolerance, $"‖∇F‖∞ = {optimum.GradientInfNorm}");
        Assert.Equal(SolverKind.NewtonCg, optimum.Solver);

        // A second cache on the same file: a hit, bit for bit, θ* included.
        var (again, recomputed) = new OptimumCache(cache.Path).GetOrCompute(problem);
        Assert.False(recomputed);
        Assert.Equal(optimum.Objective, again.Objective);
        Assert.Equal(optimum.Theta, again.Theta);
        var check = OptimumCache.Reevaluate(problem, again);
        Close.Equal(optimum.Objective, check.Objective, relativeTolerance: 1e-15);
    }

    [Fact]
    public void Changed_data_or_C_misses_and_replaces_only_its_own_entry()
    {
        using var folder = new TempFolder();
        var cache = new OptimumCache(folder.File("optima.json"));
        var problem = BenchmarkProblem.Load("breast-cancer");
        var original = cache.GetOrCompute(problem).Optimum;

        var otherC = BenchmarkProblem.Load("breast-cancer", c: 0.1);
        Assert.Null(cache.Find(otherC));
        var atC01 = cache.GetOrCompute(otherC).Optimum;
        Close.Equal(SolverReferences.Get("l2_C0.1").Objective, atC01.Objective, relativeTolerance: 1e-12, what: "F* at C = 0.1");

        // The same name and C on data differing in one value: same key, other hash.
        var rows = problem.Data;
        var features = (double[])rows.Features.Clone();
        features[0] += 0.5;
        var changed = problem.WithData(new Dataset(rows.Name, features, rows.SampleCount, rows.FeatureCount, rows.Labels, rows.Classes, rows.FeatureNames));
        Assert.NotEqual(problem.DataSha256, changed.DataSha256);
        Assert.Null(cache.Find(changed));
        var (moved, computed) = cache.GetOrCompute(changed);
        Assert.True(computed);
        Assert.StartsWith("warm", moved.Start);
        Assert.NotEqual(original.Objective, moved.Objective);
        Assert.True(OptimumCache.Reevaluate(changed, moved).GradientInfNorm <= changed.OptimumTolerance);

        // The file now has two entries: C = 0.1 kept, C = 1 replaced (the original data misses again).
        var entries = JsonNode.Parse(File.ReadAllText(cache.Path))!["optima"]!.AsObject();
        Assert.Equal(new[] { OptimumCache.Key("breast-cancer", 1), OptimumCache.Key("breast-cancer", 0.1) }.Order(), entries.Select(e => e.Key).Order());
        Assert.Null(cache.Find(problem));
        Assert.NotNull(cache.Find(otherC));
    }

    [Fact]
    public void A_given_warm_start_is_used_when_nothing_is_cached_and_must_fit_the_problem()
    {
        using var folder = new TempFolder();
        var cache = new OptimumCache(folder.File("optima.json"));
        var problem = BenchmarkProblem.Load("breast-cancer");
        Assert.Throws<ArgumentException>(() => cache.GetOrCompute(problem, warmStart: new double[3]));

        var near = SolverReferences.Get("l2_C1").Theta;
        var (optimum, computed) = cache.GetOrCompute(problem, warmStart: near, warmStartName: "scikit-learn's θ*");
        Assert.True(computed);
        Assert.Equal("warm: scikit-learn's θ*", optimum.Start);
        Assert.True(optimum.Iterations <= 3, $"{optimum.Iterations} iterations from scikit-learn's optimum");
        Close.Equal(SolverReferences.Get("l2_C1").Objective, optimum.Objective, relativeTolerance: 1e-12, what: "F*");
    }

    [Fact]
    public void The_file_is_replaced_atomically_not_rewritten_in_place()
    {
        using var folder = new TempFolder();
        var cache = new OptimumCache(folder.File("optima.json"));
        var problem = BenchmarkProblem.Load("breast-cancer");
        var optimum = cache.GetOrCompute(problem).Optimum;
        string before = File.ReadAllText(cache.Path);

        // A reader that opened the file before the store keeps reading the complete old file: the new content went to
        // a temporary file that was renamed over it (AtomicFile). Written in place, this reader would see the new bytes.
        using var reader = new FileStream(cache.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        cache.Store(optimum with { Problem = "digits", C = 2 });
        using (var text = new StreamReader(reader)) Assert.Equal(before, text.ReadToEnd());
        Assert.NotEqual(before, File.ReadAllText(cache.Path));
        Assert.Equal(new[] { "optima.json" }, Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_damaged_file_is_refused_with_the_fix()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("optima.json"), "{ not json");
        var e = Assert.Throws<IOException>(() => new OptimumCache(folder.File("optima.json")).Find(BenchmarkProblem.Load("breast-cancer")));
        Assert.Contains("Delete it", e.Message);
    }
}
