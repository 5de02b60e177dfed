using System.Diagnostics;
using static TorchSharp.torch;

namespace TorchLogistic.Performance;

/// <summary>
/// One value-and-gradient evaluation of a benchmark problem's objective two ways on the same θ: the closed form
/// (<see cref="Objectives.LinearModelObjective"/>) and autograd through the module and TorchSharp's loss
/// (<see cref="Objectives.AutogradObjective"/>). Reports the fastest of N timings of each (alternating, after one
/// warm-up), their ratio, and how far the two results are apart.
/// </summary>
/// <param name="Problem">Problem name.</param>
/// <param name="DType">Compute dtype of both paths.</param>
/// <param name="Repeats">Timings of each path.</param>
/// <param name="AnalyticMs">Fastest analytic evaluation, milliseconds.</param>
/// <param name="AutogradMs">Fastest autograd evaluation, milliseconds.</param>
/// <param name="Value">F(θ) by the analytic path.</param>
/// <param name="ValueDifference">|F_analytic − F_autograd|.</param>
/// <param name="GradientDifference">max |∇F_analytic − ∇F_autograd|.</param>
/// <param name="GradientScale">max |∇F_autograd|, the scale of <paramref name="GradientDifference"/>.</param>
/// <param name="Threads">libtorch intra-op threads.</param>
public sealed record GradientPathBenchmark(string Problem, ScalarType DType, int Repeats, double AnalyticMs, double AutogradMs, double Value,
    double ValueDifference, double GradientDifference, double GradientScale, int Threads)
{
    /// <summary>autograd / analytic: how many times faster the closed form is.</summary>
    public double Speedup => AutogradMs / AnalyticMs;

    /// <summary>
    /// Relative tolerance within which both paths give "the same result": 1e-5 in float32 (both sum 10⁴–10⁵ terms
    /// in a different order) and 1e-10 in float64.
    /// </summary>
    public double SameResultRelativeTolerance => DType == ScalarType.Float32 ? 1e-5 : 1e-10;

    /// <summary>Whether |ΔF| ≤ rtol·|F| and max|Δ∇F| ≤ rtol·max|∇F| with rtol = <see cref="SameResultRelativeTolerance"/>.</summary>
    public bool SameResult => ValueDifference <= SameResultRelativeTolerance * Math.Abs(Value) && GradientDifference <= SameResultRelativeTolerance * GradientScale;

    /// <summary>θ with entries 0.01·N(0, 1), seeded (seed 0): logits of realistic size and a gradient far from zero, with no optimum needed.</summary>
    public static double[] SeededTheta(int parameterCount)
    {
        using var scope = NewDisposeScope();
        return (randn(new long[] { parameterCount }, dtype: ScalarType.Float64, generator: new Generator(0)) * 0.01).data<double>().ToArray();
    }

    /// <summary>Times both paths on <paramref name="problem"/> at <paramref name="theta"/>.</summary>
    /// <param name="problem">The problem.</param>
    /// <param name="theta">θ at which to evaluate (the benchmark uses <see cref="SeededTheta"/>).</param>
    /// <param name="dtype">Compute dtype.</param>
    /// <param name="repeats">Timings of each path, ≥ 1 (default 10).</param>
    public static GradientPathBenchmark Measure(BenchmarkProblem problem, double[] theta, ScalarType dtype, int repeats = 10)
    {
        if (repeats < 1) throw new ArgumentOutOfRangeException(nameof(repeats), repeats, $"repeats = {repeats} must be ≥ 1.");
        using var analytic = problem.Objective(dtype);
        using var module = problem.Module(dtype);
        using var autograd = problem.AutogradObjective(module);
        var ga = new double[theta.Length];
        var gb = new double[theta.Length];
        double fa = analytic.ValueAndGradient(theta, ga);
        double fb = autograd.ValueAndGradient(theta, gb);
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
            analytic.ValueAndGradient(theta, ga);
            bestAnalytic = Math.Min(bestAnalytic, watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            autograd.ValueAndGradient(theta, gb);
            bestAutograd = Math.Min(bestAutograd, watch.Elapsed.TotalMilliseconds);
        }
        return new GradientPathBenchmark(problem.Name, dtype, repeats, bestAnalytic, bestAutograd, fa, Math.Abs(fa - fb), gradientDifference, scale,
            get_num_threads());
    }

    /// <summary>One line: both times, the ratio, and the differences.</summary>
    public override string ToString() => FormattableString.Invariant(
        $"analytic {AnalyticMs:F3} ms, autograd {AutogradMs:F3} ms (fastest of {Repeats}, {DType.ToString().ToLowerInvariant()}, {Threads} thread(s)) → autograd/analytic = {Speedup:F2}; |ΔF| = {ValueDifference:0.0e+0}, max |Δ∇F| = {GradientDifference:0.0e+0} (max |∇F| = {GradientScale:0.0e+0})");
}
