using System.Globalization;
using System.Text.Json.Nodes;
using TorchLogistic.Tests.Inference;
using TorchLogistic.Tests.Support;
using static TorchLogistic.Tests.Metrics.FixtureFile;

namespace TorchLogistic.Tests.Cli;

/// <summary><c>train --cov … --groups …</c> end to end: metrics.json's inference against R's sandwich (Fixtures/robust_inference_r.json).</summary>
public class InferenceCliTests
{
    /// <summary>The fixture's rows as a CSV: x1, x2, d, the cluster g, the frequency weight w and the binary label y.</summary>
    internal static string WriteRows(TempFolder folder, bool withGroups = true)
    {
        var sm = RobustCovarianceTests.Sm;
        double[] x = Doubles(sm["features"]), w = Doubles(sm["weights"]);
        int[] y = Ints(sm["labels"]), g = Ints(sm["groups"]);
        var c = CultureInfo.InvariantCulture;
        var lines = new List<string> { withGroups ? "x1,x2,d,g,w,y" : "x1,x2,d,w,y" };
        for (int i = 0; i < y.Length; i++)
        {
            var fields = new List<string> { x[3 * i].ToString("R", c), x[3 * i + 1].ToString("R", c), x[3 * i + 2].ToString("R", c) };
            if (withGroups) fields.Add(g[i].ToString(c));
            fields.Add(w[i].ToString("R", c));
            fields.Add(y[i].ToString(c));
            lines.Add(string.Join(",", fields));
        }
        string path = folder.File(withGroups ? "rows.csv" : "rows-without-groups.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static JsonNode Inference(TempFolder folder, params string[] extra)
    {
        bool groups = extra.Contains("--groups");
        string outDir = folder.File("run" + extra.Length + string.Join("", extra).GetHashCode(StringComparison.Ordinal));
        var args = new[] { "train", "--data", WriteRows(folder, groups), "--label", "y", "--penalty", "none", "--test-fraction", "0", "--quiet", "--out", outDir }.Concat(extra).ToArray();
        var run = CliProcess.Run(args);
        Assert.True(run.ExitCode == 0, run.Stderr);
        return JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")))!["inference"]!;
    }

    private static double[] Diagonal(double[] m)
    {
        int n = (int)Math.Sqrt(m.Length);
        return Enumerable.Range(0, n).Select(i => Math.Sqrt(m[i * n + i])).ToArray();
    }

    [Fact]
    public void Cov_cluster_and_weighted_hc3_equal_sandwich_in_metrics_json()
    {
        using var folder = new TempFolder();
        var r = RobustCovarianceTests.R;
        var cluster = Inference(folder, "--cov", "cluster", "--groups", "g", "--sample-weight", "w");
        Assert.Equal("cluster", (string)cluster["cov_type"]!);
        var eq = cluster["equations"]!.AsArray()[0]!;
        Assert.Equal(new[] { "const", "x1", "x2", "d" }, eq["names"]!.AsArray().Select(n => (string)n!).ToArray());
        Close.All(Diagonal(Doubles(r["weighted_vcovCL"])), Doubles(eq["std_err"]), 1e-8, 0, "weighted vcovCL std err");
        var hc3 = Inference(folder, "--cov", "HC3", "--sample-weight", "w");
        Assert.Equal("HC3", (string)hc3["cov_type"]!);
        Close.All(Diagonal(Doubles(r["weighted_vcovHC_HC3"])), Doubles(hc3["equations"]!.AsArray()[0]!["std_err"]), 1e-8, 0, "weighted HC3 std err");
    }
}
