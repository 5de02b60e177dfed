using System.Globalization;
using System.Text.Json.Nodes;

namespace TorchLogistic.Cli;

/// <summary>The few lines <c>train</c> prints when it is done.</summary>
internal static class Summary
{
    public static void print(JsonObject report, string outDir)
    {
        var c = CultureInfo.InvariantCulture;
        string eval(JsonNode? e) => e == null ? "—" : string.Create(c, $"accuracy {(double)e["accuracy"]!:F4}  log loss {(double)e["log_loss"]!:F6}");
        Console.WriteLine(string.Create(c, $"data       {report["data"]}  ({report["n_train"]} train / {report["n_test"]} test rows, {report["n_features"]} features, {((JsonArray)report["classes"]!).Count} classes)"));
        Console.WriteLine(string.Create(c, $"model      {report["model"]}  penalty {report["penalty"]}  C {(double)report["C"]!}  solver {report["solver"]}"));
        Console.WriteLine(string.Create(c, $"objective  {(double)report["objective"]!:R}  after {report["iterations"]} iterations ({report["function_evaluations"]} evaluations, {(double)report["fit_seconds"]!:F3} s), converged: {((bool)report["converged"]! ? "yes" : "no")}"));
        Console.WriteLine($"train      {eval(report["train"])}");
        Console.WriteLine($"test       {eval(report["test"])}");
        Console.WriteLine($"wrote      {Path.Combine(outDir, "model.bin")}, metrics.json, loss.png");
    }
}
