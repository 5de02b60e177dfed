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
    public static string of(Evaluation e)
    {
        var rows = new List<(string, string)>
        {
            ("rows", e.n_samples.ToString(CultureInfo.InvariantCulture)),
            ("accuracy", g(e.accuracy)), ("balanced accuracy", g(e.balanced_accuracy)),
            ("precision", g(e.precision)), ("recall", g(e.recall)), ("F1", g(e.f1)),
            ("log loss", g(e.log_loss)), ("Brier score", g(e.brier_score)),
        };
        if (e.threshold is double t) rows.Insert(1, ("threshold", g(t)));
        if (e.roc_auc is double auc) rows.Add(("ROC AUC", g(auc)));
        if (e.average_precision is double ap) rows.Add(("average precision", g(ap)));
        return table(new[] { "metric", "value" }, rows.Select(r => new[] { r.Item1, r.Item2 })) + confusion(e.confusion_matrix);
    }

    /// <summary>A confusion matrix, rows the true class, columns the predicted class, with precision and recall per class.</summary>
    public static string of(ConfusionMatrix m)
    {
        var cells = new int[m.n_classes, m.n_classes];
        for (int i = 0; i < m.n_classes; i++)
            for (int j = 0; j < m.n_classes; j++)
                cells[i, j] = checked((int)m[i, j]);
        double[] precision = m.precision(), recall = m.recall();
        var header = new[] { "true \\ predicted" }.Concat(Enumerable.Range(0, m.n_classes).Select(j => j.ToString(CultureInfo.InvariantCulture))).Append("recall");
        var body = Enumerable.Range(0, m.n_classes).Select(i => new[] { i.ToString(CultureInfo.InvariantCulture) }
            .Concat(Enumerable.Range(0, m.n_classes).Select(j => cells[i, j].ToString(CultureInfo.InvariantCulture))).Append(g(recall[i])).ToArray())
            .Append(new[] { "precision" }.Concat(precision.Select(g)).Append("").ToArray());
        return table(header.ToArray(), body);
    }

    /// <summary>An inference summary: the fit statistics, then one coefficient table per equation, then the notes.</summary>
    public static string of(InferenceResult r)
    {
        var html = new StringBuilder();
        html.Append(table(new[] { r.model, "" }, new[]
        {
            new[] { "observations", r.n_obs.ToString(CultureInfo.InvariantCulture) },
            new[] { "penalty", r.penalty == "none" ? "none" : $"{r.penalty}, C = {g(r.C)}" },
            new[] { "log-likelihood", g(r.log_likelihood) }, new[] { "LL-null", g(r.null_log_likelihood) },
            new[] { "pseudo R²", g(r.pseudo_r_squared) }, new[] { "LLR p-value", p(r.llr_p_value) },
        }));
        foreach (var eq in r.equations)
        {
            html.Append("<p><b>").Append(encode(eq.label)).Append("</b></p>");
            html.Append(table(new[] { "", "coef", "std err", "z", "P>|z|", $"[{g(r.alpha / 2)}", $"{g(1 - r.alpha / 2)}]", "odds ratio" },
                Enumerable.Range(0, eq.names.Length).Select(j => new[]
                {
                    eq.names[j], g(eq.coef[j]), g(eq.std_err[j]), g(eq.z[j]), p(eq.p_values[j]), g(eq.conf_lower[j]), g(eq.conf_upper[j]), g(eq.odds_ratio[j]),
                })));
        }
        foreach (string note in r.notes) html.Append("<p>").Append(encode(note)).Append("</p>");
        return html.ToString();
    }

    /// <summary>A solver comparison (<see cref="SolverComparison.run"/>): one row per solver.</summary>
    public static string of(IEnumerable<SolverComparison.Row> rows) =>
        table(new[] { "solver", "iterations", "f/∇f evaluations", "Hessians or Hv", "seconds", "final objective", "criterion", "converged", "stop reason" },
            rows.Select(r => new[]
            {
                SolverRegistry.name_of(r.solver), r.iterations.ToString(CultureInfo.InvariantCulture), r.function_evaluations.ToString(CultureInfo.InvariantCulture),
                r.hessian_evaluations.ToString(CultureInfo.InvariantCulture), r.seconds.ToString("F3", CultureInfo.InvariantCulture),
                r.objective.ToString("R", CultureInfo.InvariantCulture), g(r.criterion), r.converged ? "yes" : "no", r.error ?? r.stop_reason,
            }));

    private static string confusion(int[,] m)
    {
        int k = m.GetLength(0);
        if (k == 0) return "";
        var header = new[] { "true \\ predicted" }.Concat(Enumerable.Range(0, k).Select(j => j.ToString(CultureInfo.InvariantCulture))).ToArray();
        return table(header, Enumerable.Range(0, k).Select(i => new[] { i.ToString(CultureInfo.InvariantCulture) }
            .Concat(Enumerable.Range(0, k).Select(j => m[i, j].ToString(CultureInfo.InvariantCulture))).ToArray()));
    }

    private static string table(IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        var html = new StringBuilder("<table><thead><tr>");
        foreach (string h in header) html.Append("<th>").Append(encode(h)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (string cell in row) html.Append("<td>").Append(encode(cell)).Append("</td>");
            html.Append("</tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    private static string encode(string text) => WebUtility.HtmlEncode(text);
    private static string g(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
    private static string p(double v) => v.ToString("G3", CultureInfo.InvariantCulture);
}
