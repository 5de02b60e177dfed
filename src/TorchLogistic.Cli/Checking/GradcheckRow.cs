using System.Globalization;
using System.Text;

namespace TorchLogistic.Checking;

/// <summary>
/// One line of <see cref="BuiltinGradcheck"/>'s table: one check (value, gradient, Hessian, Hessian-vector product)
/// of one case over every seed and comparison, with the worst absolute and relative errors and where they occur.
/// </summary>
/// <param name="case_name">The loss or model and its options.</param>
/// <param name="check">value, gradient, Hessian or H·v, and with respect to what.</param>
/// <param name="comparisons">How many comparisons (over seeds and references) the row sums up.</param>
/// <param name="max_abs_error">The worst absolute error.</param>
/// <param name="max_abs_at">Where: seed, comparison and entry.</param>
/// <param name="max_rel_error">The worst relative error (<see cref="Comparison"/> defines it).</param>
/// <param name="max_rel_at">Where: seed, comparison and entry.</param>
/// <param name="passed">Whether every comparison passed.</param>
/// <param name="failures">The failed comparisons, one line each with their seed.</param>
public sealed record GradcheckRow(string case_name, string check, int comparisons, double max_abs_error, string max_abs_at,
    double max_rel_error, string max_rel_at, bool passed, IReadOnlyList<string> failures)
{
    /// <summary>Aggregates the results of one check of one case over seeds.</summary>
    /// <param name="case_name">The case.</param>
    /// <param name="check">The check.</param>
    /// <param name="results">(seed, result) pairs, at least one.</param>
    public static GradcheckRow of(string case_name, string check, IReadOnlyList<(int seed, GradientCheckResult result)> results)
    {
        var all = results.SelectMany(r => r.result.comparisons.Select(c => (r.seed, c))).ToList();
        var abs = all.MaxBy(x => double.IsNaN(x.c.max_abs_error) ? double.PositiveInfinity : x.c.max_abs_error);
        var rel = all.MaxBy(x => double.IsNaN(x.c.max_rel_error) ? double.PositiveInfinity : x.c.max_rel_error);
        var failures = all.Where(x => !x.c.passed).Select(x => $"seed {x.seed}: {x.c}").ToList();
        return new GradcheckRow(case_name, check, all.Count, abs.c.max_abs_error, at(abs.seed, abs.c, abs.c.max_abs_index),
            rel.c.max_rel_error, at(rel.seed, rel.c, rel.c.max_rel_index), failures.Count == 0, failures);
    }

    /// <summary>The table: a header, one line per row, and then every failed comparison in full.</summary>
    /// <param name="rows">The rows.</param>
    public static string format(IReadOnlyList<GradcheckRow> rows)
    {
        if (rows.Count == 0) return "";
        int caseWidth = Math.Max(4, rows.Max(r => r.case_name.Length));
        int checkWidth = Math.Max(5, rows.Max(r => r.check.Length));
        int absWidth = Math.Max(2, rows.Max(r => Math.Max(r.max_abs_at.Length, r.max_rel_at.Length)));
        var text = new StringBuilder();
        text.AppendLine(header(caseWidth, checkWidth, absWidth));
        text.AppendLine(new string('-', header(caseWidth, checkWidth, absWidth).Length));
        foreach (var row in rows) text.AppendLine(row.line(caseWidth, checkWidth, absWidth));
        foreach (var row in rows.Where(r => !r.passed))
        {
            text.AppendLine();
            text.AppendLine($"FAILED {row.case_name} — {row.check}:");
            foreach (string failure in row.failures) text.AppendLine("  " + failure);
        }
        return text.ToString();
    }

    /// <summary>The row as one table line, columns padded to the given widths.</summary>
    /// <param name="case_width">Width of the case column.</param>
    /// <param name="check_width">Width of the check column.</param>
    /// <param name="at_width">Width of the location column of the absolute error.</param>
    public string line(int case_width, int check_width, int at_width) => string.Format(CultureInfo.InvariantCulture,
        "{0} {1} {2,3}  {3,9:E2}  {4}  {5,9:E2}  {6}  {7}", case_name.PadRight(case_width), check.PadRight(check_width), comparisons,
        max_abs_error, max_abs_at.PadRight(at_width), max_rel_error, max_rel_at.PadRight(at_width), passed ? "ok" : "FAIL");

    private static string header(int caseWidth, int checkWidth, int atWidth) => string.Format(CultureInfo.InvariantCulture,
        "{0} {1} {2,3}  {3,9}  {4}  {5,9}  {6}  {7}", "case".PadRight(caseWidth), "check".PadRight(checkWidth), "n",
        "max |Δ|", "at".PadRight(atWidth), "max rel", "at".PadRight(atWidth), "result");

    private static string at(int seed, Comparison c, long index) => $"s{seed} {short_name(c.name)} {c.location(index)}";

    private static string short_name(string name) => name switch
    {
        _ when name.StartsWith("analytic vs autograd", StringComparison.Ordinal) => "an~ag",
        _ when name.StartsWith("analytic vs finite", StringComparison.Ordinal) => "an~fd",
        _ when name.StartsWith("autograd vs finite", StringComparison.Ordinal) => "ag~fd",
        _ when name.StartsWith("symmetry", StringComparison.Ordinal) => "sym",
        _ when name.StartsWith("PSD", StringComparison.Ordinal) => "psd",
        _ when name.StartsWith("value", StringComparison.Ordinal) => "ref",
        _ => name,
    };
}
