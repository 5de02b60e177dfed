using TorchLogistic.Checking;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Checking;

public class GradcheckCommandTests
{
    [Fact]
    public void Every_builtin_loss_and_model_passes_one_seed_of_the_suite()
    {
        var rows = BuiltinGradcheck.run(new GradcheckSettings { seeds = 1, first_seed = 4 });
        var failed = rows.Where(r => !r.passed).ToList();
        Assert.True(failed.Count == 0, GradcheckRow.format(failed));
        foreach (string name in BuiltinGradcheck.case_names)
        {
            var checks = rows.Where(r => r.case_name == name).Select(r => r.check).ToList();
            Assert.Contains(checks, c => c.StartsWith("∇ ", StringComparison.Ordinal));
            Assert.Contains(checks, c => c.StartsWith("∇² ", StringComparison.Ordinal) && c.EndsWith("PSD", StringComparison.Ordinal));
            Assert.Contains(checks, c => c.StartsWith("H·v", StringComparison.Ordinal));
        }
        foreach (string loss in new[] { "bce", "ce", "soft margin", "multilabel", "linear", "model logistic", "model softmax", "±1e4" })
            Assert.Contains(BuiltinGradcheck.case_names, n => n.Contains(loss, StringComparison.Ordinal));
    }

    [Fact]
    public void Gradcheck_prints_a_table_and_exits_0_when_every_check_passes()
    {
        var run = CliProcess.run("gradcheck", "--seeds", "1", "--only", "linear bce");
        Assert.True(run.exit_code == 0, run.stdout + run.stderr);
        Assert.Contains("max |Δ|", run.stdout);
        Assert.Contains("linear bce (logistic regression)", run.stdout);
        Assert.Contains("∇² θ PSD", run.stdout);
        Assert.Matches(@"All \d+ checks passed", run.stdout);
        Assert.DoesNotContain("FAIL", run.stdout);
    }

    [Fact]
    public void A_deliberately_wrong_derivative_makes_gradcheck_fail_with_exit_status_1()
    {
        var run = CliProcess.run("gradcheck", "--seeds", "1", "--only", "model softmax: train objective, L2", "--perturb", "1e-4");
        Assert.Equal(1, run.exit_code);
        Assert.Contains("FAIL", run.stdout);
        Assert.Contains("FAILED model softmax: train objective, L2 — ∇ θ:", run.stdout);
        Assert.Contains("analytic vs autograd", run.stdout);
        Assert.Matches(@"\d+ of \d+ checks FAILED", run.stdout);
    }

    [Fact]
    public void Bad_options_are_usage_errors()
    {
        var run = CliProcess.run("gradcheck", "--only", "no such loss");
        Assert.Equal(2, run.exit_code);
        Assert.Contains("No case matches 'no such loss'", run.stderr);
        run = CliProcess.run("gradcheck", "--eps", "0");
        Assert.Equal(2, run.exit_code);
        Assert.Contains("eps", run.stderr);
    }
}
