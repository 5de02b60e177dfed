using TorchLogistic.Checking;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Checking;

[Collection(TwoLaneCollections.ChildProcesses)]
public class GradcheckCommandTests
{
    [Fact]
    public void Every_builtin_loss_and_model_passes_one_seed_of_the_suite()
    {
        var rows = BuiltinGradcheck.Run(new GradcheckSettings { Seeds = 1, FirstSeed = 4 });
        var failed = rows.Where(r => !r.Passed).ToList();
        Assert.True(failed.Count == 0, GradcheckRow.Format(failed));
        foreach (string name in BuiltinGradcheck.CaseNames)
        {
            var checks = rows.Where(r => r.CaseName == name).Select(r => r.Check).ToList();
            Assert.Contains(checks, c => c.StartsWith("∇ ", StringComparison.Ordinal));
            Assert.Contains(checks, c => c.StartsWith("∇² ", StringComparison.Ordinal) && c.EndsWith("PSD", StringComparison.Ordinal));
            Assert.Contains(checks, c => c.StartsWith("H·v", StringComparison.Ordinal));
        }
        foreach (string loss in new[] { "bce", "ce", "soft margin", "multilabel", "linear", "model logistic", "model softmax", "±1e4" })
            Assert.Contains(BuiltinGradcheck.CaseNames, n => n.Contains(loss, StringComparison.Ordinal));
    }

    [Fact]
    public void Gradcheck_prints_a_table_and_exits_0_when_every_check_passes()
    {
        var run = CliProcess.Run("gradcheck", "--seeds", "1", "--only", "linear bce");
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Contains("max |Δ|", run.Stdout);
        Assert.Contains("linear bce (logistic regression)", run.Stdout);
        Assert.Contains("∇² θ PSD", run.Stdout);
        Assert.Matches(@"All \d+ checks passed", run.Stdout);
        Assert.DoesNotContain("FAIL", run.Stdout);
    }

    [Fact]
    public void A_deliberately_wrong_derivative_makes_gradcheck_fail_with_exit_status_1()
    {
        var run = CliProcess.Run("gradcheck", "--seeds", "1", "--only", "model softmax: train objective, L2", "--perturb", "1e-4");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FAIL", run.Stdout);
        Assert.Contains("FAILED model softmax: train objective, L2 — ∇ θ:", run.Stdout);
        Assert.Contains("analytic vs autograd", run.Stdout);
        Assert.Matches(@"\d+ of \d+ checks FAILED", run.Stdout);
    }

    [Fact]
    public void Bad_options_are_usage_errors()
    {
        var run = CliProcess.Run("gradcheck", "--only", "no such loss");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("No case matches 'no such loss'", run.Stderr);
        run = CliProcess.Run("gradcheck", "--eps", "0");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("eps", run.Stderr);
    }
}
