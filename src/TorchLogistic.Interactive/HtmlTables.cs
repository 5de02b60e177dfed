using System.Globalization;
using System.Net;
using System.Text;
using TorchLogistic.Inference;
using TorchLogistic.Metrics;
using TorchLogistic.Training;
using TorchLogistic.Optim;

namespace TorchLogistic.Interactive;

/// <summary>
/// The library's results as HTML tables, for notebook cells: an evaluation's metrics and confusion matrix, an
/// inference summary's coefficient tables, a solver comparison. Numbers with 4 significant digits (p-values 3),
/// invariant culture; every label HTML-encoded.
/// </summary>
public static class HtmlTables
{
    /// <summary>An evaluation: one row per metric, then its confusion matrix.</summary>
    public static string Of(Evaluation e)
    {
        var rows = new List<(string, string)>
        {
            ("rows", e.SampleCount.ToString(CultureInfo.InvariantCulture)),
            ("accuracy", G(e.Accuracy)), ("balanced accuracy", G(e.BalancedAccuracy)),
            ("precision", G(e.Precision)), ("recall", G(e.Recall)), ("F1", G(e.F1)),
            ("log loss", G(e.LogLoss)), ("Brier score", G(e.BrierScore)),
        };
        if (e.Threshold is double t) rows.Insert(1, ("threshold", G(t)));
        if (e.RocAuc is double auc) rows.Add(("ROC AUC", G(auc)));
        if (e.AveragePrecision is double ap) rows.Add(("average precision", G(ap)));
        return Table(new[] { "metric", "value" }, rows.Select(r => new[] { r.Item1, r.Item2 })) + Confusion(e.ConfusionMatrix);
    }

    /// <summary>A confusion matrix, rows the true class, columns the predicted class, with precision and recall per class.</summary>
    public static string Of(ConfusionMatrix m)
    {
        var cells = new int[m.ClassCount, m.ClassCount];
        for (int i = 0; i < m.ClassCount; i++)
            for (int j = 0; j < m.ClassCount; j++)
                cells[i, j] = checked((int)m[i, j]);
        double[] precision = m.Precision(), recall = m.Recall();
        var header = new[] { "true \\ predicted" }.Concat(Enumerable.Range(0, m.ClassCount).Select(j => j.ToString(CultureInfo.InvariantCulture))).Append("recall");
        var body = Enumerable.Range(0, m.ClassCount).Select(i => new[] { i.ToString(CultureInfo.InvariantCulture) }
            .Concat(Enumerable.Range(0, m.ClassCount).Select(j => cells[i, j].ToString(CultureInfo.InvariantCulture))).Append(G(recall[i])).ToArray())
            .Append(new[] { "precision" }.Concat(precision.Select(G)).Append("").ToArray());
        return Table(header.ToArray(), body);
    }

    /// <summary>An inference summary: the fit statistics, then one coefficient table per equation, then the notes.</summary>
    public static string Of(InferenceResult r)
    {
        var html = new StringBuilder();
        html.Append(Table(new[] { r.Model, "" }, new[]
        {
            new[] { "observations", r.ObservationCount.ToString(CultureInfo.InvariantCulture) },
            new[] { "penalty", r.Penalty == "none" ? "none" : $"{r.Penalty}, C = {G(r.C)}" },
            new[] { "log-likelihood", G(r.LogLikelihood) }, new[] { "LL-null", G(r.NullLogLikelihood) },
            new[] { "pseudo R²", G(r.PseudoRSquared) }, new[] { "LLR p-value", P(r.LogLikelihoodRatioPValue) },
        }));
        foreach (var eq in r.Equations)
        {
            html.Append("<p><b>").Append(Encode(eq.Label)).Append("</b></p>");
            html.Append(Table(new[] { "", "coef", "std err", "z", "P>|z|", $"[{G(r.Alpha / 2)}", $"{G(1 - r.Alpha / 2)}]", "odds ratio" },
                Enumerable.Range(0, eq.Names.Length).Select(j => new[]
                {
                    eq.Names[j], G(eq.Coefficients[j]), G(eq.StandardErrors[j]), G(eq.Z[j]), P(eq.PValues[j]), G(eq.ConfidenceLower[j]), G(eq.ConfidenceUpper[j]), G(eq.OddsRatio[j]),
                })));
        }
        foreach (string note in r.Notes) html.Append("<p>").Append(Encode(note)).Append("</p>");
        return html.ToString();
    }

    /// <summary>A solver comparison (<see cref="SolverComparison.Run"/>): one row per solver.</summary>
    public static string Of(IEnumerable<SolverComparison.Row> rows) =>
        Table(new[] { "solver", "iterations", "f/∇f evaluations", "Hessians or Hv", "seconds", "final objective", "criterion", "converged", "stop reason" },
            rows.Select(r => new[]
            {
                SolverRegistry.NameOf(r.Solver), r.Iterations.ToString(CultureInfo.InvariantCulture), r.FunctionEvaluations.ToString(CultureInfo.InvariantCulture),
                r.HessianEvaluations.ToString(CultureInfo.InvariantCulture), r.Seconds.ToString("F3", CultureInfo.InvariantCulture),
                r.Objective.ToString("R", CultureInfo.InvariantCulture), G(r.Criterion), r.Converged ? "yes" : "no", r.Error ?? r.StopDescription,
            }));

    private static string Confusion(int[,] m)
    {
        int k = m.GetLength(0);
        if (k == 0) return "";
        var header = new[] { "true \\ predicted" }.Concat(Enumerable.Range(0, k).Select(j => j.ToString(CultureInfo.InvariantCulture))).ToArray();
        return Table(header, Enumerable.Range(0, k).Select(i => new[] { i.ToString(CultureInfo.InvariantCulture) }
            .Concat(Enumerable.Range(0, k).Select(j => m[i, j].ToString(CultureInfo.InvariantCulture))).ToArray()));
    }

    private static string Table(IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        var html = new StringBuilder("<table><thead><tr>");
        foreach (string h in header) html.Append("<th>").Append(Encode(h)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (string cell in row) html.Append("<td>").Append(Encode(cell)).Append("</td>");
            html.Append("</tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
    private static string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
    private static string P(double v) => v.ToString("G3", CultureInfo.InvariantCulture);
}
