using System.Globalization;
using System.Text;

namespace TorchLogistic.Checking;

/// <summary>
/// One line of <see cref="BuiltinGradcheck"/>'s table: one check (value, gradient, Hessian, Hessian-vector product)
/// of one case over every seed and comparison, with the worst absolute and relative errors and where they occur.
/// </summary>
/// <param name="CaseName">The loss or model and its options.</param>
/// <param name="Check">value, gradient, Hessian or H·v, and with respect to what.</param>
/// <param name="Comparisons">How many comparisons (over seeds and references) the row sums up.</param>
/// <param name="MaxAbsError">The worst absolute error.</param>
/// <param name="MaxAbsAt">Where: seed, comparison and entry.</param>
/// <param name="MaxRelError">The worst relative error (<see cref="Comparison"/> defines it).</param>
/// <param name="MaxRelAt">Where: seed, comparison and entry.</param>
/// <param name="Passed">Whether every comparison passed.</param>
/// <param name="Failures">The failed comparisons, one line each with their seed.</param>
public sealed record GradcheckRow(string CaseName, string Check, int Comparisons, double MaxAbsError, string MaxAbsAt,
    double MaxRelError, string MaxRelAt, bool Passed, IReadOnlyList<string> Failures)
{
    /// <summary>Aggregates the results of one check of one case over seeds.</summary>
    /// <param name="caseName">The case.</param>
    /// <param name="check">The check.</param>
    /// <param name="results">(seed, result) pairs, at least one.</param>
    public static GradcheckRow Of(string caseName, string check, IReadOnlyList<(int seed, GradientCheckResult result)> results)
    {
        var all = results.SelectMany(r => r.result.Comparisons.Select(c => (r.seed, c))).ToList();
        var abs = all.MaxBy(x => double.IsNaN(x.c.MaxAbsError) ? double.PositiveInfinity : x.c.MaxAbsError);
        var rel = all.MaxBy(x => double.IsNaN(x.c.MaxRelError) ? double.PositiveInfinity : x.c.MaxRelError);
        var failures = all.Where(x => !x.c.Passed).Select(x => $"seed {x.seed}: {x.c}").ToList();
        return new GradcheckRow(caseName, check, all.Count, abs.c.MaxAbsError, At(abs.seed, abs.c, abs.c.MaxAbsIndex),
            rel.c.MaxRelError, At(rel.seed, rel.c, rel.c.MaxRelIndex), failures.Count == 0, failures);
    }

    /// <summary>The table: a header, one line per row, and then every failed comparison in full.</summary>
    /// <param name="rows">The rows.</param>
    public static string Format(IReadOnlyList<GradcheckRow> rows)
    {
        if (rows.Count == 0) return "";
        int caseWidth = Math.Max(4, rows.Max(r => r.CaseName.Length));
        int checkWidth = Math.Max(5, rows.Max(r => r.Check.Length));
        int absWidth = Math.Max(2, rows.Max(r => Math.Max(r.MaxAbsAt.Length, r.MaxRelAt.Length)));
        var text = new StringBuilder();
        text.AppendLine(Header(caseWidth, checkWidth, absWidth));
        text.AppendLine(new string('-', Header(caseWidth, checkWidth, absWidth).Length));
        foreach (var row in rows) text.AppendLine(row.Line(caseWidth, checkWidth, absWidth));
        foreach (var row in rows.Where(r => !r.Passed))
        {
            text.AppendLine();
            text.AppendLine($"FAILED {row.CaseName} — {row.Check}:");
            foreach (string failure in row.Failures) text.AppendLine("  " + failure);
        }
        return text.ToString();
    }

    /// <summary>The row as one table line, columns padded to the given widths.</summary>
    /// <param name="caseWidth">Width of the case column.</param>
    /// <param name="checkWidth">Width of the check column.</param>
    /// <param name="atWidth">Width of the location column of the absolute error.</param>
    public string Line(int caseWidth, int checkWidth, int atWidth) => string.Format(CultureInfo.InvariantCulture,
        "{0} {1} {2,3}  {3,9:E2}  {4}  {5,9:E2}  {6}  {7}", CaseName.PadRight(caseWidth), Check.PadRight(checkWidth), Comparisons,
        MaxAbsError, MaxAbsAt.PadRight(atWidth), MaxRelError, MaxRelAt.PadRight(atWidth), Passed ? "ok" : "FAIL");

    private static string Header(int caseWidth, int checkWidth, int atWidth) => string.Format(CultureInfo.InvariantCulture,
        "{0} {1} {2,3}  {3,9}  {4}  {5,9}  {6}  {7}", "case".PadRight(caseWidth), "check".PadRight(checkWidth), "n",
        "max |Δ|", "at".PadRight(atWidth), "max rel", "at".PadRight(atWidth), "result");

    private static string At(int seed, Comparison c, long index) => $"s{seed} {ShortName(c.Name)} {c.Location(index)}";

    private static string ShortName(string name) => name switch
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
