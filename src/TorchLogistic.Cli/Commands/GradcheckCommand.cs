using System.CommandLine;
using TorchLogistic.Checking;
using static TorchSharp.torch;

namespace TorchLogistic.Cli.Commands;

/// <summary>
/// <c>torchlogistic gradcheck</c>: runs the gradient checker over every built-in loss and model and prints a table;
/// exit status 1 when any check fails. <c>--timing</c> adds the cost of one analytic loss+gradient evaluation against
/// autograd on a 60 000 × 784 × 10 softmax problem.
/// </summary>
internal static class GradcheckCommand
{
    /// <summary>Exit status when a check failed.</summary>
    public const int CheckFailed = 1;

    private static readonly Option<int> Seeds = new("--seeds") { Description = "Random seeds per case (shapes, data, weights; the reduction cycles none/mean/sum).", DefaultValueFactory = _ => 3 };
    private static readonly Option<int> Seed = new("--seed") { Description = "First seed.", DefaultValueFactory = _ => 0 };
    private static readonly Option<string?> Only = new("--only") { Description = "Only the cases whose name contains this text, e.g. \"linear ce\" or \"±1e4\"." };
    private static readonly Option<double> Eps = new("--eps") { Description = "Step of the central finite differences.", DefaultValueFactory = _ => GradientCheckOptions.Defaults.Epsilon };
    private static readonly Option<double> Atol = new("--atol") { Description = "Absolute tolerance against finite differences.", DefaultValueFactory = _ => GradientCheckOptions.Defaults.AbsoluteTolerance };
    private static readonly Option<double> Rtol = new("--rtol") { Description = "Relative tolerance against finite differences.", DefaultValueFactory = _ => GradientCheckOptions.Defaults.RelativeTolerance };
    private static readonly Option<double> ExactAtol = new("--exact-atol") { Description = "Absolute tolerance between exact methods (closed form vs autograd, symmetry).", DefaultValueFactory = _ => GradientCheckOptions.Defaults.ExactAbsoluteTolerance };
    private static readonly Option<double> ExactRtol = new("--exact-rtol") { Description = "Relative tolerance between exact methods.", DefaultValueFactory = _ => GradientCheckOptions.Defaults.ExactRelativeTolerance };
    /// <summary>What <c>--perturb</c> without a value adds.</summary>
    private const double DefaultPerturbation = 1e-3;

    private static readonly Option<double> Perturb = new("--perturb")
    {
        Description = $"Add this (alone: {DefaultPerturbation}) to the first entry of every closed-form derivative, to watch the checker fail (exit status 1).",
        Arity = ArgumentArity.ZeroOrOne,
        DefaultValueFactory = _ => 0.0,
    };
    private static readonly Option<bool> Timing = new("--timing") { Description = "Also time one analytic loss+gradient evaluation against autograd on a 60000×784×10 softmax problem (float32 and float64)." };
    private static readonly Option<int> TimingRepeats = new("--timing-repeats") { Description = "Timed evaluations per path for --timing (minimum and median are reported).", DefaultValueFactory = _ => 10 };
    private static readonly Option<int?> Threads = new("--threads") { Description = "libtorch intra-op threads for --timing (default: libtorch's choice, one per core). 1 avoids contention on a busy machine." };
    private static readonly Option<bool> TimingOnly = new("--timing-only") { Description = "Only the timing, no checks." };

    public static Command Create()
    {
        var command = new Command("gradcheck",
            "Check every built-in loss and model: closed-form gradients, Hessians and Hessian-vector products against autograd and " +
            "finite differences (float64), loss values against TorchSharp's built-ins, Hessians symmetric and PSD. Exit status 1 on any failure.")
        {
            Seeds, Seed, Only, Eps, Atol, Rtol, ExactAtol, ExactRtol, Perturb, Timing, TimingRepeats, Threads, TimingOnly,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(Run(parse, cancellation)));
        return command;
    }

    private static int Run(ParseResult parse, CancellationToken cancellation)
    {
        var settings = new GradcheckSettings
        {
            Seeds = parse.GetValue(Seeds),
            FirstSeed = parse.GetValue(Seed),
            Perturb = parse.GetResult(Perturb) is { Implicit: false, Tokens.Count: 0 } ? DefaultPerturbation : parse.GetValue(Perturb),
            Only = parse.GetValue(Only),
            Options = new GradientCheckOptions
            {
                Epsilon = parse.GetValue(Eps),
                AbsoluteTolerance = parse.GetValue(Atol),
                RelativeTolerance = parse.GetValue(Rtol),
                ExactAbsoluteTolerance = parse.GetValue(ExactAtol),
                ExactRelativeTolerance = parse.GetValue(ExactRtol),
            },
        };
        settings.Validate();
        int repeats = parse.GetValue(TimingRepeats);
        if (repeats < 1) throw new ArgumentException($"--timing-repeats {repeats} must be ≥ 1.");
        int? threads = parse.GetValue(Threads) is int t ? ThreadCount.Check(t, minimum: 1) : null;
        bool timingOnly = parse.GetValue(TimingOnly);
        bool failed = false;

        if (!timingOnly)
        {
            var o = settings.Options;
            Console.WriteLine(FormattableString.Invariant(
                $"gradcheck: {BuiltinGradcheck.CaseNames.Count(n => settings.Only is null || n.Contains(settings.Only, StringComparison.OrdinalIgnoreCase))} cases × {settings.Seeds} seeds (from {settings.FirstSeed}), float64; finite differences eps {o.Epsilon:G3}, atol {o.AbsoluteTolerance:G3}, rtol {o.RelativeTolerance:G3}; exact methods atol {o.ExactAbsoluteTolerance:G3}, rtol {o.ExactRelativeTolerance:G3}"));
            if (settings.Perturb != 0)
                Console.WriteLine(FormattableString.Invariant($"--perturb {settings.Perturb:G3}: every closed-form derivative is deliberately wrong in its first entry; the checks should fail."));
            Console.WriteLine("an~ag = closed form vs autograd, an~fd = vs finite differences, ag~fd = autograd vs finite differences, sym = symmetry, psd = eigenvalues ≥ 0 (rel = λ_min/max λ), ref = value vs TorchSharp; s<seed> [entry]");
            Console.WriteLine();
            var rows = BuiltinGradcheck.Run(settings, onRow: _ => cancellation.ThrowIfCancellationRequested());
            Console.Write(GradcheckRow.Format(rows));
            int failures = rows.Count(r => !r.Passed);
            int comparisons = rows.Sum(r => r.Comparisons);
            Console.WriteLine();
            Console.WriteLine(failures == 0
                ? $"All {rows.Count} checks passed ({comparisons} comparisons)."
                : $"{failures} of {rows.Count} checks FAILED ({rows.Where(r => !r.Passed).Sum(r => r.Failures.Count)} of {comparisons} comparisons).");
            failed = failures > 0;
        }

        if (timingOnly || parse.GetValue(Timing))
        {
            if (threads is int n) set_num_threads(n);
            Console.WriteLine();
            Console.WriteLine("One loss+gradient evaluation of softmax regression (cross-entropy, mean) on random data:");
            foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
            {
                cancellation.ThrowIfCancellationRequested();
                Console.WriteLine("  " + LossGradientTiming.Measure(dtype, repeats: repeats).ToString());
            }
        }
        return failed ? CheckFailed : 0;
    }
}
