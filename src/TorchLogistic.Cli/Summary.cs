using System.Globalization;
using System.Text.Json.Nodes;

namespace TorchLogistic.Cli;

/// <summary>The few lines <c>train</c> prints when it is done.</summary>
internal static class Summary
{
    public static void Print(JsonObject report, string outDir, IEnumerable<string> files)
    {
        var c = CultureInfo.InvariantCulture;
        string Eval(JsonNode? e)
        {
            if (e == null) return "—";
            string auc = e["roc_auc"] is JsonNode a ? string.Create(c, $"  AUC {(double)a:F4}") : "";
            string threshold = e["threshold"] is JsonNode t && (double)t != 0.5 ? string.Create(c, $"  (threshold {(double)t:0.###})") : "";
            return string.Create(c, $"accuracy {(double)e["accuracy"]!:F4}  balanced {(double)e["balanced_accuracy"]!:F4}  F1 {(double)e["f1"]!:F4}{auc}  log loss {(double)e["log_loss"]!:F6}  Brier {(double)e["brier_score"]!:F4}{threshold}");
        }
        Console.WriteLine(string.Create(c, $"data       {report["data"]}  ({report["n_train"]} train / {report["n_test"]} test rows, {report["n_features"]} features, {((JsonArray)report["classes"]!).Count} classes)"));
        Console.WriteLine(string.Create(c, $"model      {report["model"]}  penalty {report["penalty"]}  C {(double)report["C"]!}  solver {report["solver"]}"));
        Console.WriteLine(string.Create(c, $"objective  {(double)report["objective"]!:R}  after {report["iterations"]} iterations ({report["function_evaluations"]} evaluations, {(double)report["fit_seconds"]!:F3} s), converged: {((bool)report["converged"]! ? "yes" : "no")}"));
        Console.WriteLine($"train      {Eval(report["train"])}");
        Console.WriteLine($"test       {Eval(report["test"])}");
        Console.WriteLine($"wrote      {Path.Combine(outDir, "model.bin")}, metrics.json, {string.Join(", ", files)}");
    }
}
