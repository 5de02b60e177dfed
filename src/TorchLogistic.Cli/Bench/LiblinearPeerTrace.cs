using System.Globalization;
using System.Text.RegularExpressions;

namespace TorchLogistic.Performance;

/// <summary>
/// LIBLINEAR 2.3's trust-region Newton (<c>tron.cpp</c>) as it prints itself without <c>-q</c>: one line per trial step,
/// <c>iter  k act A pre P delta Δ f F |g| G CG n</c>, printed right after F at the trial point was computed, where
/// <c>f</c> and <c>|g|</c> are at the current point (before the step) and <c>act</c> = f − f(trial). A step is accepted
/// when <c>act &gt; 1e-4·pre</c> (its η₀), and only then does <c>k</c> grow, so a line whose successor has the same k was
/// rejected. The printed numbers have four significant digits — too few to read F to 1e-6 from <c>f</c> — so F after
/// each line is rebuilt backwards from the final model: F after the last accepted step is F at the model file (computed
/// by us in float64), and each accepted step before it adds its <c>act</c> / (C·m) (LIBLINEAR's sum form is C·m·F). The
/// remaining distance is then known to about 5e-4 of itself, which decides "within (1 + 1e-6)·F*" unless F is within
/// 5e-4·(F − F_final) of the target. The rebuilt F before the first step must be F(0) = ln 2; <see cref="StartError"/>
/// is the check.
/// </summary>
public static partial class LiblinearPeerTrace
{
    /// <summary>LIBLINEAR 2.3's η₀: a trial step is accepted when its actual decrease exceeds this share of the predicted one.</summary>
    public const double AcceptanceRatio = 1e-4;

    /// <summary>One printed trial step.</summary>
    /// <param name="Number">Its <c>iter</c> (the count of accepted steps so far, plus one).</param>
    /// <param name="Seconds">When the line arrived, seconds on the caller's clock.</param>
    /// <param name="Actual">Its <c>act</c>: f − f(trial), sum form.</param>
    /// <param name="Predicted">Its <c>pre</c>: the decrease the quadratic model predicted.</param>
    /// <param name="PrintedF">Its <c>f</c> (before the step, sum form, four digits).</param>
    /// <param name="GradientNorm">Its <c>|g|</c> (before the step, sum form).</param>
    /// <param name="CgSteps">Its CG steps (Hessian-vector products).</param>
    public sealed record Line(int Number, double Seconds, double Actual, double Predicted, double PrintedF, double GradientNorm, int CgSteps);

    /// <summary>A printed trial step with whether it was accepted and our F after it.</summary>
    /// <param name="Step">The printed line.</param>
    /// <param name="Accepted">Whether LIBLINEAR moved to the trial point.</param>
    /// <param name="ObjectiveAfter">Our F (mean form) at LIBLINEAR's point after this line: rebuilt from the final F and the later accepted decreases.</param>
    public sealed record Iteration(Line Step, bool Accepted, double ObjectiveAfter);

    [GeneratedRegex(@"^iter\s+(\d+)\s+act\s+(\S+)\s+pre\s+(\S+)\s+delta\s+(\S+)\s+f\s+(\S+)\s+\|g\|\s+(\S+)\s+CG\s+(\d+)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex IterationLine();

    /// <summary>The trial-step line in <paramref name="text"/>, or null for any other line (a warning, "cg reaches trust region boundary").</summary>
    public static Line? Parse(string text, double seconds)
    {
        var match = IterationLine().Match(text);
        if (!match.Success) return null;
        double Number(int group) => double.Parse(match.Groups[group].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        return new Line(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), seconds, Number(2), Number(3), Number(5), Number(6),
            int.Parse(match.Groups[7].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Each trial step with our F after it: <paramref name="finalObjective"/> (F at the model written, mean form) after
    /// the last accepted step, plus the later accepted <c>act</c> divided by <paramref name="sumScale"/> (C·m).
    /// </summary>
    public static IReadOnlyList<Iteration> Rebuild(IReadOnlyList<Line> lines, double finalObjective, double sumScale)
    {
        if (!(sumScale > 0)) throw new ArgumentOutOfRangeException(nameof(sumScale), sumScale, "C·m must be > 0.");
        var accepted = new bool[lines.Count];
        for (int i = 0; i < lines.Count; i++)
            accepted[i] = i + 1 < lines.Count ? lines[i + 1].Number > lines[i].Number : lines[i].Actual > AcceptanceRatio * lines[i].Predicted;
        var after = new double[lines.Count];
        double objective = finalObjective;
        for (int i = lines.Count - 1; i >= 0; i--)
        {
            // F after line i is F before the next accepted step: later accepted decreases are added as we walk back.
            after[i] = objective;
            if (accepted[i]) objective += lines[i].Actual / sumScale;
        }
        return lines.Select((line, i) => new Iteration(line, accepted[i], after[i])).ToList();
    }

    /// <summary>F before the first step as rebuilt (final F plus every accepted decrease / C·m), or null without steps.</summary>
    public static double? RebuiltStart(IReadOnlyList<Iteration> iterations, double sumScale) =>
        iterations.Count == 0 ? null : iterations[0].ObjectiveAfter + (iterations[0].Accepted ? iterations[0].Step.Actual / sumScale : 0);

    /// <summary>|rebuilt F(0) − ln 2| / ln 2: how far the printed decreases (four digits each) miss the known start, or null without steps.</summary>
    public static double? StartError(IReadOnlyList<Iteration> iterations, double sumScale) =>
        RebuiltStart(iterations, sumScale) is double start ? Math.Abs(start - Math.Log(2)) / Math.Log(2) : null;

    /// <summary>The largest |rebuilt F before a step − printed f / C·m| relative to the printed f: a check of the parsing and the acceptance rule.</summary>
    public static double PrintedFError(IReadOnlyList<Iteration> iterations, double sumScale)
    {
        double worst = 0;
        for (int i = 0; i < iterations.Count; i++)
        {
            double before = i == 0 ? RebuiltStart(iterations, sumScale)!.Value : iterations[i - 1].ObjectiveAfter;
            double printed = iterations[i].Step.PrintedF / sumScale;
            worst = Math.Max(worst, Math.Abs(before - printed) / Math.Abs(printed));
        }
        return worst;
    }

    /// <summary>The first accepted step after which F ≤ <paramref name="target"/>, or null.</summary>
    public static Iteration? FirstWithin(IReadOnlyList<Iteration> iterations, double target) =>
        iterations.FirstOrDefault(i => i.Accepted && i.ObjectiveAfter <= target);
}
