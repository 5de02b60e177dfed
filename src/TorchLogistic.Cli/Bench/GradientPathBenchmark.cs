using System.Diagnostics;
using static TorchSharp.torch;

namespace TorchLogistic.Performance;

/// <summary>
/// One value-and-gradient evaluation of a benchmark problem's objective two ways on the same θ: the closed form
/// (<see cref="Objectives.LinearModelObjective"/>) and autograd through the module and TorchSharp's loss
/// (<see cref="Objectives.AutogradObjective"/>). Reports the fastest of N timings of each (alternating, after one
/// warm-up), their ratio, and how far the two results are apart.
/// </summary>
/// <param name="problem">Problem name.</param>
/// <param name="dtype">Compute dtype of both paths.</param>
/// <param name="repeats">Timings of each path.</param>
/// <param name="analytic_ms">Fastest analytic evaluation, milliseconds.</param>
/// <param name="autograd_ms">Fastest autograd evaluation, milliseconds.</param>
/// <param name="value">F(θ) by the analytic path.</param>
/// <param name="value_difference">|F_analytic − F_autograd|.</param>
/// <param name="gradient_difference">max |∇F_analytic − ∇F_autograd|.</param>
/// <param name="gradient_scale">max |∇F_autograd|, the scale of <paramref name="gradient_difference"/>.</param>
/// <param name="threads">libtorch intra-op threads.</param>
public sealed record GradientPathBenchmark(string problem, ScalarType dtype, int repeats, double analytic_ms, double autograd_ms, double value,
    double value_difference, double gradient_difference, double gradient_scale, int threads)
{
    /// <summary>autograd / analytic: how many times faster the closed form is.</summary>
    public double speedup => autograd_ms / analytic_ms;

    /// <summary>
    /// Relative tolerance within which both paths give "the same result": 1e-5 in float32 (both sum 10⁴–10⁵ terms
    /// in a different order) and 1e-10 in float64.
    /// </summary>
    public double same_result_rtol => dtype == ScalarType.Float32 ? 1e-5 : 1e-10;

    /// <summary>Whether |ΔF| ≤ rtol·|F| and max|Δ∇F| ≤ rtol·max|∇F| with rtol = <see cref="same_result_rtol"/>.</summary>
    public bool same_result => value_difference <= same_result_rtol * Math.Abs(value) && gradient_difference <= same_result_rtol * gradient_scale;

    /// <summary>θ with entries 0.01·N(0, 1), seeded (seed 0): logits of realistic size and a gradient far from zero, with no optimum needed.</summary>
    public static double[] seeded_theta(int n_parameters)
    {
        using var scope = NewDisposeScope();
        return (randn(new long[] { n_parameters }, dtype: ScalarType.Float64, generator: new Generator(0)) * 0.01).data<double>().ToArray();
    }

    /// <summary>Times both paths on <paramref name="problem"/> at <paramref name="theta"/>.</summary>
    /// <param name="problem">The problem.</param>
    /// <param name="theta">θ at which to evaluate (the benchmark uses <see cref="seeded_theta"/>).</param>
    /// <param name="dtype">Compute dtype.</param>
    /// <param name="repeats">Timings of each path, ≥ 1 (default 10).</param>
    public static GradientPathBenchmark measure(BenchmarkProblem problem, double[] theta, ScalarType dtype, int repeats = 10)
    {
        if (repeats < 1) throw new ArgumentOutOfRangeException(nameof(repeats), repeats, $"repeats = {repeats} must be ≥ 1.");
        using var analytic = problem.objective(dtype);
        using var module = problem.module(dtype);
        using var autograd = problem.autograd_objective(module);
        var ga = new double[theta.Length];
        var gb = new double[theta.Length];
        double fa = analytic.value_and_gradient(theta, ga);
        double fb = autograd.value_and_gradient(theta, gb);
        double gradientDifference = 0, scale = 0;
        for (int i = 0; i < theta.Length; i++)
        {
            gradientDifference = Math.Max(gradientDifference, Math.Abs(ga[i] - gb[i]));
            scale = Math.Max(scale, Math.Abs(gb[i]));
        }
        double bestAnalytic = double.PositiveInfinity, bestAutograd = double.PositiveInfinity;
        for (int r = 0; r < repeats; r++)
        {
            var watch = Stopwatch.StartNew();
            analytic.value_and_gradient(theta, ga);
            bestAnalytic = Math.Min(bestAnalytic, watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            autograd.value_and_gradient(theta, gb);
            bestAutograd = Math.Min(bestAutograd, watch.Elapsed.TotalMilliseconds);
        }
        return new GradientPathBenchmark(problem.name, dtype, repeats, bestAnalytic, bestAutograd, fa, Math.Abs(fa - fb), gradientDifference, scale,
            get_num_threads());
    }

    /// <summary>One line: both times, the ratio, and the differences.</summary>
    public override string ToString() => FormattableString.Invariant(
        $"analytic {analytic_ms:F3} ms, autograd {autograd_ms:F3} ms (fastest of {repeats}, {dtype.ToString().ToLowerInvariant()}, {threads} thread(s)) → autograd/analytic = {speedup:F2}; |ΔF| = {value_difference:0.0e+0}, max |Δ∇F| = {gradient_difference:0.0e+0} (max |∇F| = {gradient_scale:0.0e+0})");
}
