using TorchLogistic.Performance;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Cli.Bench;

/// <summary>LIBLINEAR 2.3's trust-region lines parsed, and F after each step rebuilt from the final F and the printed decreases.</summary>
public class LiblinearPeerTraceTests
{
    // The first three lines are liblinear-train 2.3's own output (-s 0 -c 1 -B -1, 2,000 rows, so f(0) = 2000·ln 2 =
    // 1.386e+03); the fourth and fifth are made up in its format: a step rejected (act < 1e-4·pre, iter stays 4) and
    // the retried one after the boundary message.
    private static readonly string[] Output =
    {
        "iter  1 act 7.396e+02 pre 6.260e+02 delta 4.825e+00 f 1.386e+03 |g| 7.870e+02 CG   2",
        "iter  2 act 2.122e+02 pre 1.638e+02 delta 4.825e+00 f 6.467e+02 |g| 2.387e+02 CG   2",
        "iter  3 act 1.036e+02 pre 8.040e+01 delta 4.825e+00 f 4.344e+02 |g| 9.656e+01 CG   2",
        "iter  4 act -2.000e+01 pre 5.000e+01 delta 4.825e+00 f 3.308e+02 |g| 3.833e+01 CG   3",
        "cg reaches trust region boundary",
        "iter  4 act 4.377e+01 pre 3.513e+01 delta 1.206e+00 f 3.308e+02 |g| 3.833e+01 CG  10",
    };

    [Fact]
    public void Lines_are_parsed_and_others_skipped()
    {
        var lines = Output.Select((text, i) => LiblinearPeerTrace.Parse(text, i)).ToList();
        Assert.Null(lines[4]);
        var first = lines[0]!;
        Assert.Equal((1, 0.0, 739.6, 626.0, 1386.0, 787.0, 2), (first.Number, first.Seconds, first.Actual, first.Predicted, first.PrintedF, first.GradientNorm, first.CgSteps));
        Assert.Equal(-20.0, lines[3]!.Actual);
        Assert.Equal(10, lines[5]!.CgSteps);
        Assert.Null(LiblinearPeerTrace.Parse("iter  1 act 7.396e+02", 0));
    }

    [Fact]
    public void F_after_each_step_is_the_final_f_plus_the_later_accepted_decreases_over_c_m()
    {
        var lines = Output.Select((text, i) => LiblinearPeerTrace.Parse(text, i)).OfType<LiblinearPeerTrace.Line>().ToList();
        const double scale = 2000, final = 0.1435; // C·m with C = 1; F at the model (mean form), made up
        var steps = LiblinearPeerTrace.Rebuild(lines, final, scale);
        Assert.Equal(new[] { true, true, true, false, true }, steps.Select(s => s.Accepted));
        // By hand: after the last step F = final; before it (and after the rejected one) final + 43.77/2000; and so on.
        double[] expected = { final + (212.2 + 103.6 + 43.77) / 2000, final + (103.6 + 43.77) / 2000, final + 43.77 / 2000, final + 43.77 / 2000, final };
        for (int i = 0; i < expected.Length; i++) Close.Equal(expected[i], steps[i].ObjectiveAfter, 1e-15, 0, $"F after line {i + 1}");
        Close.Equal(final + (739.6 + 212.2 + 103.6 + 43.77) / 2000, LiblinearPeerTrace.RebuiltStart(steps, scale)!.Value, 1e-15);
        Assert.Same(steps[2], LiblinearPeerTrace.FirstWithin(steps, final + 0.05));
        Assert.Same(steps[4], LiblinearPeerTrace.FirstWithin(steps, final + 1e-6));
        Assert.Null(LiblinearPeerTrace.FirstWithin(steps, final - 1e-9));
        // The printed f (before each step) against the rebuilt F: 1.386e+03 / 2000 = 0.693 vs the rebuilt start.
        double start = final + (739.6 + 212.2 + 103.6 + 43.77) / 2000;
        double worst = new[] { (start, 1386.0), (expected[0], 646.7), (expected[1], 434.4), (expected[2], 330.8), (expected[3], 330.8) }
            .Max(p => Math.Abs(p.Item1 - p.Item2 / scale) / (p.Item2 / scale));
        Close.Equal(worst, LiblinearPeerTrace.PrintedFError(steps, scale), 1e-9);
        Close.Equal(Math.Abs(start - Math.Log(2)) / Math.Log(2), LiblinearPeerTrace.StartError(steps, scale)!.Value, 1e-9);
    }

    [Fact]
    public void The_last_line_is_accepted_by_liblinears_eta0_rule()
    {
        var rejected = new[] { new LiblinearPeerTrace.Line(3, 0, 1e-9, 1e-4, 1, 1, 1) };
        Assert.False(LiblinearPeerTrace.Rebuild(rejected, 0.5, 10)[0].Accepted);
        var accepted = new[] { new LiblinearPeerTrace.Line(3, 0, 2e-8, 1e-4, 1, 1, 1) };
        Assert.True(LiblinearPeerTrace.Rebuild(accepted, 0.5, 10)[0].Accepted);
    }
}
