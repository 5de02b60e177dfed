using TorchLogistic.Performance;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Cli.Bench;

/// <summary>A test that needs /usr/bin/liblinear-train: skipped, saying why, where it is missing (CI installs liblinear-tools).</summary>
public sealed class LiblinearFactAttribute : FactAttribute
{
    public LiblinearFactAttribute()
    {
        if (LiblinearPeer.UnavailableReason() is string why) Skip = $"LIBLINEAR peer unavailable: {why}";
    }
}

/// <summary>The rcv1-like generator's shape and statistics, LIBLINEAR's model file read back as θ, and a real LIBLINEAR run on our objective.</summary>
public class Rcv1LikeProblemTests
{
    [LiblinearFact]
    public void Liblinear_minimises_our_objective_times_c_m_on_a_small_rcv1_like_problem()
    {
        // C = 0.5 and m = 400: a wrong C·m scaling (or a bias column) would move LIBLINEAR's optimum off ours.
        var problem = BenchmarkProblem.FromSparse(Rcv1LikeGenerator.Generate(rows: 400, columns: 1500, density: 0.02, seed: 4, name: "small"), c: 0.5);
        var optimum = OptimumCache.Compute(problem);
        double target = optimum.Target(1e-6);
        // -e 0.1 stops short of the target, so the peer runs again 100× tighter: two real runs on the same iterates.
        var result = LiblinearPeer.Run(problem, target, capSeconds: 60, firstEpsilon: 0.1);
        Assert.NotNull(result.Reached);
        var tight = result.Reached!;
        Assert.True(tight.Objective >= optimum.Objective * (1 - 1e-12), $"LIBLINEAR's F {tight.Objective:R} is below F* {optimum.Objective:R}");
        Assert.True(result.OurReadSeconds > 0 && result.ReadOnlySeconds.First > 0 && result.SecondsToTarget >= 0,
            $"read: ours {result.OurReadSeconds}, read-only {result.ReadOnlySeconds}, observed {tight.ObservedReadSeconds}; to target {result.SecondsToTarget}; lines at {string.Join(", ", tight.Iterations.Select(i => i.Step.Seconds))}");
        Assert.True(result.SecondsToTarget < result.SolveSeconds(tight));
        var loose = result.Runs[0];
        Assert.Equal(0.1, loose.Epsilon);
        Assert.True(loose.Objective > target, "-e 0.1 should stop short of the target on this problem");
        // The tolerance only decides where LIBLINEAR stops: the loose run's printed steps are the tight run's first ones.
        Assert.Equal(loose.Iterations.Select(i => i.Step.Actual), tight.Iterations.Take(loose.Iterations.Count).Select(i => i.Step.Actual));
        // The independent check of the rebuild: F at the loose run's model (computed by us) against the tight run's F
        // rebuilt after the same number of accepted steps from its own final F and the printed (4-digit) decreases.
        var same = tight.Iterations.Where(i => i.Accepted).ElementAt(loose.NewtonSteps - 1);
        Close.Equal(loose.Objective, same.ObjectiveAfter, 0, 5e-4 * (loose.Objective - tight.Objective) + 1e-15, "F rebuilt after the loose run's last step");
        Assert.InRange(tight.StartError!.Value, 0, 1e-3);
        Assert.InRange(tight.PrintedFError, 0, 1e-3);
        // The first step within the target is the earliest: the step before it is not.
        var within = tight.FirstWithin(target)!;
        int at = tight.Iterations.ToList().IndexOf(within);
        Assert.True(at == 0 || tight.Iterations[at - 1].ObjectiveAfter > target);
    }

    [Fact]
    public void The_generator_is_seeded_and_has_rcv1s_statistics()
    {
        var data = Rcv1LikeGenerator.Generate(rows: 2000, columns: 5000, density: 0.016);
        var again = Rcv1LikeGenerator.Generate(rows: 2000, columns: 5000, density: 0.016);
        var x = data.Features;
        Assert.Equal(x.Values, again.Features.Values);
        Assert.Equal(x.ColumnIndices, again.Features.ColumnIndices);
        Assert.Equal(data.Labels, again.Labels);
        // Density within a few per cent of the request (row lengths are rounded up).
        double density = x.NonZeroCount / (2000.0 * 5000);
        Assert.InRange(density, 0.016, 0.0168);
        // Rows of unit L2 norm with positive values.
        for (int i = 0; i < x.RowCount; i++)
        {
            double squared = 0;
            for (int p = x.RowPointers[i]; p < x.RowPointers[i + 1]; p++)
            {
                Assert.True(x.Values[p] > 0);
                squared += x.Values[p] * x.Values[p];
            }
            Close.Equal(1, squared, 1e-12, 0, $"‖row {i}‖²");
        }
        // Power-law column frequencies: the most frequent 1 % of columns hold far more than 1 % of the non-zeros.
        var counts = new int[x.ColumnCount];
        foreach (int j in x.ColumnIndices) counts[j]++;
        var sorted = counts.OrderByDescending(c => c).ToArray();
        double head = sorted.Take(50).Sum() / (double)x.NonZeroCount;
        Assert.InRange(head, 0.2, 0.6);
        // Both classes, neither rare.
        double positive = data.Labels.Average();
        Assert.InRange(positive, 0.3, 0.7);
    }

    [Fact]
    public void A_liblinear_model_reads_back_with_its_sign_and_zero_weights_after_nr_feature()
    {
        string folder = Directory.CreateTempSubdirectory("tl-liblinear-model-").FullName;
        try
        {
            string path = Path.Combine(folder, "model");
            File.WriteAllText(path, "solver_type L2R_LR\nnr_class 2\nlabel -1 1\nnr_feature 3\nbias -1\nw\n0.5 \n-0.25 \n2 \n");
            Assert.Equal(new[] { -0.5, 0.25, -2, 0, 0 }, LiblinearPeer.ReadModel(path, 5));
            File.WriteAllText(path, "solver_type L2R_LR\nnr_class 2\nlabel 1 -1\nnr_feature 2\nbias -1\nw\n0.5 \n-0.25 \n");
            Assert.Equal(new[] { 0.5, -0.25 }, LiblinearPeer.ReadModel(path, 2));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
