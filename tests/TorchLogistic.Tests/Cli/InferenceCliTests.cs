using System.Globalization;
using System.Text.Json.Nodes;
using TorchLogistic.Tests.Inference;
using TorchLogistic.Tests.Support;
using static TorchLogistic.Tests.Metrics.FixtureFile;

namespace TorchLogistic.Tests.Cli;

/// <summary><c>train --cov … --groups …</c> end to end: metrics.json's inference against R's sandwich (Fixtures/robust_inference_r.json).</summary>
[Collection(TwoLaneCollections.ChildProcesses)]
public class InferenceCliTests
{
    /// <summary>The fixture's rows as a CSV: x1, x2, d, the cluster g, the frequency weight w and the binary label y.</summary>
    internal static string WriteRows(TempFolder folder, bool withGroups = true, bool withWeights = true)
    {
        var sm = RobustCovarianceTests.Sm;
        double[] x = Doubles(sm["features"]), w = Doubles(sm["weights"]);
        int[] y = Ints(sm["labels"]), g = Ints(sm["groups"]);
        var c = CultureInfo.InvariantCulture;
        var lines = new List<string> { "x1,x2,d" + (withGroups ? ",g" : "") + (withWeights ? ",w" : "") + ",y" };
        for (int i = 0; i < y.Length; i++)
        {
            var fields = new List<string> { x[3 * i].ToString("R", c), x[3 * i + 1].ToString("R", c), x[3 * i + 2].ToString("R", c) };
            if (withGroups) fields.Add(g[i].ToString(c));
            if (withWeights) fields.Add(w[i].ToString("R", c));
            fields.Add(y[i].ToString(c));
            lines.Add(string.Join(",", fields));
        }
        string path = folder.File($"rows{(withGroups ? "-g" : "")}{(withWeights ? "-w" : "")}.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static JsonNode Inference(TempFolder folder, params string[] extra)
    {
        bool groups = extra.Contains("--groups"), weights = extra.Contains("--sample-weight");
        string outDir = folder.File("run" + extra.Length + string.Join("", extra).GetHashCode(StringComparison.Ordinal));
        var args = new[] { "train", "--data", WriteRows(folder, groups, weights), "--label", "y", "--penalty", "none", "--test-fraction", "0", "--quiet", "--out", outDir }.Concat(extra).ToArray();
        var run = CliProcess.Run(args);
        Assert.True(run.ExitCode == 0, run.Stderr);
        _lastRun = outDir;
        return JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")))!["inference"]!;
    }

    private static string _lastRun = "";

    [Fact]
    public void Margeff_wald_test_and_predict_intervals_equal_statsmodels()
    {
        using var folder = new TempFolder();
        var sm = RobustCovarianceTests.Sm;
        var inference = Inference(folder, "--summary", "--margeff", "overall", "--margeff-discrete", "--test", "x1 = 0, x2 = d");
        string run = _lastRun;
        var table = inference["marginal_effects"]!["tables"]!.AsArray()[0]!;
        Close.All(Doubles(sm["margeff"]!["logit/overall/dydx/dummy"]!["effect"]), Doubles(table["effect"]), 1e-8, 0, "margeff");
        Close.All(Doubles(sm["margeff"]!["logit/overall/dydx/dummy"]!["se"]), Doubles(table["std_err"]), 1e-8, 0, "margeff se");
        Close.Equal((double)sm["wald"]!["logit/nonrobust/x1 = 0, x2 = d"]!["statistic"]!, (double)inference["wald_test"]!["statistic"]!, 1e-8, 0, "Wald");
        Assert.True(File.Exists(Path.Combine(run, "margeff.png")));
        string summary = File.ReadAllText(Path.Combine(run, "summary.txt"));
        Assert.Contains("Marginal Effects", summary);
        Assert.Contains("Wald test (nonrobust covariance) of x1 = 0, x2 = d: chi2(2)", summary);

        // predict --intervals from the covariance stored in model.bin.
        double[] rows = Doubles(sm["prediction"]!["rows"]);
        string csv = folder.File("new.csv");
        File.WriteAllLines(csv, new[] { "x1,x2,d" }.Concat(Enumerable.Range(0, rows.Length / 3).Select(i =>
            string.Join(",", rows.Skip(3 * i).Take(3).Select(v => v.ToString("R", CultureInfo.InvariantCulture))))));
        string outCsv = folder.File("pred.csv");
        var predict = CliProcess.Run("predict", "--model", Path.Combine(run, "model.bin"), "--data", csv, "--out", outCsv, "--intervals", "0.95");
        Assert.True(predict.ExitCode == 0, predict.Stderr);
        var lines = File.ReadAllLines(outCsv);
        Assert.Equal("proba_0,proba_1,lower_0,upper_0,lower_1,upper_1,predicted", lines[0]);
        var cells = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        Close.All(Doubles(sm["prediction"]!["lower"]), cells.Select(c => double.Parse(c[4], CultureInfo.InvariantCulture)).ToArray(), 1e-8, 0, "lower_1");
        Close.All(Doubles(sm["prediction"]!["upper"]), cells.Select(c => double.Parse(c[5], CultureInfo.InvariantCulture)).ToArray(), 1e-8, 0, "upper_1");
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

    [Fact]
    public void Profile_ci_equals_R_confint_in_metrics_json_and_summary()
    {
        using var folder = new TempFolder();
        var r = RobustCovarianceTests.R;
        var profile = Inference(folder, "--summary", "--profile-ci")["profile_intervals"]!;
        Assert.Equal(0.95, (double)profile["level"]!, 12);
        Close.All(Doubles(r["confint_lower"]), Doubles(profile["lower"]), 0, 1e-4, "confint lower");
        Close.All(Doubles(r["confint_upper"]), Doubles(profile["upper"]), 0, 1e-4, "confint upper");
        Close.All(Doubles(r["profile_root_lower"]), Doubles(profile["lower"]), 0, 1e-8, "exact lower");
        Close.All(Doubles(r["profile_root_upper"]), Doubles(profile["upper"]), 0, 1e-8, "exact upper");
        Assert.Contains("Profile-likelihood 95% intervals", File.ReadAllText(Path.Combine(_lastRun, "summary.txt")));
    }

    [Fact]
    public void Penalty_firth_on_separated_rows_equals_brglm2_in_metrics_json()
    {
        using var folder = new TempFolder();
        var r = RobustCovarianceTests.R;
        double[] dose = Doubles(r["separated_dose"]), noise = Doubles(r["separated_noise"]), y = Doubles(r["separated_y"]);
        var c = CultureInfo.InvariantCulture;
        string csv = folder.File("separated.csv");
        File.WriteAllLines(csv, new[] { "dose,noise,y" }.Concat(dose.Select((v, i) => $"{v.ToString("R", c)},{noise[i].ToString("R", c)},{y[i].ToString(c)}")));
        string outDir = folder.File("firth");
        var run = CliProcess.Run("train", "--data", csv, "--label", "y", "--penalty", "firth", "--test-fraction", "0", "--summary", "--quiet", "--out", outDir);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")))!;
        double[] expected = Doubles(r["separated_firth_coef"]);
        Assert.Equal("firth", (string)metrics["penalty"]!);
        Close.Equal(expected[0], (double)metrics["intercept"]![0]!, 1e-6, 0, "intercept");
        Close.All(expected.Skip(1).ToArray(), Doubles(metrics["coef"]![0]), 1e-6, 0, "coef");
        var eq = metrics["inference"]!["equations"]!.AsArray()[0]!;
        Assert.Equal("firth", (string)metrics["inference"]!["penalty"]!);
        Close.All(expected, Doubles(eq["coef"]), 1e-6, 0, "inference coef");
        Close.All(Doubles(r["separated_firth_se"]), Doubles(eq["std_err"]), 1e-6, 0, "inference se");

        // Without --penalty firth the same rows are refused, and the refusal names the flag.
        var plain = CliProcess.Run("train", "--data", csv, "--label", "y", "--penalty", "none", "--test-fraction", "0", "--summary", "--quiet", "--out", folder.File("plain"));
        Assert.True(plain.ExitCode == 0, plain.Stderr);
        Assert.Contains("Firth's penalised likelihood (--penalty firth) gives finite estimates", File.ReadAllText(Path.Combine(folder.File("plain"), "summary.txt")));
    }
}
