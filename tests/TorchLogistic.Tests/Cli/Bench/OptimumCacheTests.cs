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
        var cache = new OptimumCache(folder.file("optima.json"));
        var problem = BenchmarkProblem.load("breast-cancer");
        Assert.Null(cache.find(problem));

        var (optimum, computed) = cache.get_or_compute(problem);
        Assert.True(computed);
        // scikit-learn 1.2.1 newton-cholesky at tol 1e-12 (Fixtures/solver_references.json, case l2_C1).
        Close.Equal(SolverReferences.get("l2_C1").objective, optimum.objective, rtol: 1e-12, what: "F*");
        Assert.True(optimum.gradient_inf_norm <= problem.optimum_tol, $"‖∇F‖∞ = {optimum.gradient_inf_norm}");
        Assert.Equal(SolverKind.NewtonCg, optimum.solver);

        // A second cache on the same file: a hit, bit for bit, θ* included.
        var (again, recomputed) = new OptimumCache(cache.path).get_or_compute(problem);
        Assert.False(recomputed);
        Assert.Equal(optimum.objective, again.objective);
        Assert.Equal(optimum.theta, again.theta);
        var check = OptimumCache.reevaluate(problem, again);
        Close.Equal(optimum.objective, check.Objective, rtol: 1e-15);
    }

    [Fact]
    public void Changed_data_or_C_misses_and_replaces_only_its_own_entry()
    {
        using var folder = new TempFolder();
        var cache = new OptimumCache(folder.file("optima.json"));
        var problem = BenchmarkProblem.load("breast-cancer");
        var original = cache.get_or_compute(problem).Optimum;

        var otherC = BenchmarkProblem.load("breast-cancer", C: 0.1);
        Assert.Null(cache.find(otherC));
        var atC01 = cache.get_or_compute(otherC).Optimum;
        Close.Equal(SolverReferences.get("l2_C0.1").objective, atC01.objective, rtol: 1e-12, what: "F* at C = 0.1");

        // The same name and C on data differing in one value: same key, other hash.
        var rows = problem.data;
        var features = (double[])rows.features.Clone();
        features[0] += 0.5;
        var changed = problem.with_data(new Dataset(rows.name, features, rows.n_samples, rows.n_features, rows.labels, rows.classes, rows.feature_names));
        Assert.NotEqual(problem.data_sha256, changed.data_sha256);
        Assert.Null(cache.find(changed));
        var (moved, computed) = cache.get_or_compute(changed);
        Assert.True(computed);
        Assert.StartsWith("warm", moved.start);
        Assert.NotEqual(original.objective, moved.objective);
        Assert.True(OptimumCache.reevaluate(changed, moved).GradientInfNorm <= changed.optimum_tol);

        // The file now has two entries: C = 0.1 kept, C = 1 replaced (the original data misses again).
        var entries = JsonNode.Parse(File.ReadAllText(cache.path))!["optima"]!.AsObject();
        Assert.Equal(new[] { OptimumCache.key("breast-cancer", 1), OptimumCache.key("breast-cancer", 0.1) }.Order(), entries.Select(e => e.Key).Order());
        Assert.Null(cache.find(problem));
        Assert.NotNull(cache.find(otherC));
    }

    [Fact]
    public void A_given_warm_start_is_used_when_nothing_is_cached_and_must_fit_the_problem()
    {
        using var folder = new TempFolder();
        var cache = new OptimumCache(folder.file("optima.json"));
        var problem = BenchmarkProblem.load("breast-cancer");
        Assert.Throws<ArgumentException>(() => cache.get_or_compute(problem, warm_start: new double[3]));

        var near = SolverReferences.get("l2_C1").theta;
        var (optimum, computed) = cache.get_or_compute(problem, warm_start: near, warm_start_name: "scikit-learn's θ*");
        Assert.True(computed);
        Assert.Equal("warm: scikit-learn's θ*", optimum.start);
        Assert.True(optimum.iterations <= 3, $"{optimum.iterations} iterations from scikit-learn's optimum");
        Close.Equal(SolverReferences.get("l2_C1").objective, optimum.objective, rtol: 1e-12, what: "F*");
    }

    [Fact]
    public void The_file_is_replaced_atomically_not_rewritten_in_place()
    {
        using var folder = new TempFolder();
        var cache = new OptimumCache(folder.file("optima.json"));
        var problem = BenchmarkProblem.load("breast-cancer");
        var optimum = cache.get_or_compute(problem).Optimum;
        string before = File.ReadAllText(cache.path);

        // A reader that opened the file before the store keeps reading the complete old file: the new content went to
        // a temporary file that was renamed over it (AtomicFile). Written in place, this reader would see the new bytes.
        using var reader = new FileStream(cache.path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        cache.store(optimum with { problem = "digits", C = 2 });
        using (var text = new StreamReader(reader)) Assert.Equal(before, text.ReadToEnd());
        Assert.NotEqual(before, File.ReadAllText(cache.path));
        Assert.Equal(new[] { "optima.json" }, Directory.GetFiles(folder.path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_damaged_file_is_refused_with_the_fix()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.file("optima.json"), "{ not json");
        var e = Assert.Throws<IOException>(() => new OptimumCache(folder.file("optima.json")).find(BenchmarkProblem.load("breast-cancer")));
        Assert.Contains("Delete it", e.Message);
    }
}
