using System.Text.Json.Nodes;
using TorchLogistic.Tests.Optim;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Performance;

[Collection(TwoLaneCollections.ChildProcesses)]
public class BenchCliTests
{
    private const string Header =
        "| solver | dtype | evaluations | Hv products | passes | iterations | ms/pass (all) | ÷ floor | ms in a pass | own ms/pass (÷ in a pass) | time to target (s) | floor-evaluations | (F − F*)/F* at end | peak MB (+ during run) | threads |";

    [Fact]
    public void Bench_on_breast_cancer_prints_every_column_and_every_solver_ends_within_1e_6_of_the_cached_optimum()
    {
        using var folder = new TempFolder();
        string optima = folder.File("optima.json"), json = folder.File("bench.json");
        File.Copy(Repository.Path("bench", "optima.json"), optima);
        byte[] cached = File.ReadAllBytes(optima);

        var run = CliProcess.Run("bench", "--problem", "breast-cancer", "--peer", "none", "--optima", optima, "--json", json, "--repeats", "2");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.DoesNotContain("computing it", run.Stdout);
        Assert.Equal(cached, File.ReadAllBytes(optima));
        Assert.Contains(Header, run.Stdout);
        Assert.Contains("floor: streaming read", run.Stdout);
        Assert.Contains("analytic vs autograd", run.Stdout);
        Assert.Contains("scikit-learn: skipped (--peer none)", run.Stdout);

        var problem = JsonNode.Parse(File.ReadAllText(json))!["problems"]![0]!;
        double fstar = (double)problem["optimum"]!["objective"]!;
        // The cached optimum is scikit-learn's (newton-cholesky, tol 1e-12; Fixtures/solver_references.json).
        Close.Equal(SolverReferences.Get("l2_C1").Objective, fstar, relativeTolerance: 1e-12, what: "cached F*");
        Close.Equal(fstar, (double)problem["optimum"]!["reevaluated_objective"]!, relativeTolerance: 1e-14, what: "F at the cached θ*");

        var solvers = problem["solvers"]!.AsArray();
        // The default list: the registry's second-order and quasi-Newton solvers (newton included on a problem this small).
        Assert.Subset(solvers.Select(s => (string)s!["solver"]!).ToHashSet(), new HashSet<string> { "newton", "newton-cg", "lbfgs" });
        // The own-work checks below are per solver: the solvers they single out must have run.
        Assert.Subset(solvers.Select(s => (string)s!["solver"]!).ToHashSet(), new HashSet<string> { "newton-pcg", "newton-subspace" });
        foreach (var s in solvers)
        {
            string name = (string)s!["solver"]!;
            Assert.True((bool)s["reached"]!, $"{name}: {(string)s["stop_reason"]!}");
            double relative = ((double)s["final_objective"]! - fstar) / fstar;
            Assert.InRange(relative, -1e-12, 1e-6);
            Assert.True((int)s["evaluations"]! >= 2 && (double)s["ms_per_evaluation"]! > 0 && (long)s["peak_bytes"]! > 0, name);
            Assert.Equal(1, (int)s["threads"]!);
            Assert.Matches($@"\| {name} \| float64 \| {(int)s["evaluations"]!} \| ", run.Stdout);
            // The own work's parts: refreshes + applications + the rest = timed − in passes; newton has no preconditioner,
            // newton-pcg applies its bound once per conjugate-gradient iteration, the first included.
            double timed = (double)s["timed_seconds"]!, inPasses = (double)s["pass_seconds"]!;
            double refresh = (double)s["own_refresh_seconds"]!, apply = (double)s["own_apply_seconds"]!, other = (double)s["own_other_seconds"]!;
            int applications = (int)s["preconditioner_applications"]!;
            Assert.Equal(timed - inPasses, refresh + apply + other, 1e-9);
            Assert.True(refresh >= 0 && apply >= 0 && other >= 0, name);
            if (name == "newton") Assert.True(applications == 0 && apply == 0 && refresh == 0, name);
            if (name == "newton-pcg") Assert.InRange(applications, (int)s["hessian_products"]!, (int)s["hessian_products"]! + (int)s["iterations"]!);
            if (name == "newton-subspace") Assert.True(refresh > 0 && applications >= (int)s["hessian_products"]!, $"{name}: refresh {refresh} s, {applications} applications");
            Assert.Contains($"own work of {name}: ", run.Stdout);
        }

        var gradients = problem["gradient_paths"]!;
        Assert.True((bool)gradients["same_result"]!);
        Assert.True((double)gradients["value_difference"]! <= 1e-12 * (double)gradients["value"]!, $"|ΔF| = {(double)gradients["value_difference"]!}");
        Assert.True((double)gradients["gradient_difference"]! <= 1e-12 * (double)gradients["gradient_scale"]!, $"|Δ∇F| = {(double)gradients["gradient_difference"]!}");
        // Issue 20's targets: speed-up over scikit-learn, ms per evaluation against the floor, floor-evaluations to target, the solver's own work, a third of LIBLINEAR's time.
        Assert.Equal(5, problem["targets"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("bench --problem nope", "Use one of: breast-cancer, digits, fashion-mnist, fashion-mnist-binary, rcv1-like, rcv1-like-10x, sparse-libsvm, read, cv-digits, cv-fashion-mnist, or all")]
    [InlineData("bench --problem breast-cancer --solvers lbfgs,nope", "Unknown solver 'nope'")]
    [InlineData("bench --problem breast-cancer --peer-timeout 0", "--peer-timeout 0 must be")]
    [InlineData("bench --problem breast-cancer --dtype float16", "--dtype 'float16' is not supported")]
    [InlineData("bench --problem breast-cancer --peer matlab", "--peer 'matlab' is not supported")]
    public void Bad_options_fail_with_one_line_and_status_2(string command, string message)
    {
        var run = CliProcess.Run(command.Split(' '));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Stderr);
        Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.Equal("", run.Stdout);
    }
}
