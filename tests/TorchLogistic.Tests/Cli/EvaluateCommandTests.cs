using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using TorchLogistic.Data;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Cli;

/// <summary>
/// <c>torchlogistic evaluate</c> and <c>train --test-data</c> on the real executable, against scikit-learn's metrics of
/// the same model (Fixtures/evaluate_sklearn.json, made by Fixtures/scripts/evaluate_sklearn.py), and
/// <c>train --no-intercept --summary</c> against statsmodels' Logit without a constant (Fixtures/no_intercept_sklearn.json).
/// </summary>
[Collection(TwoLaneCollections.ChildProcesses)]
public class EvaluateCommandTests
{
    private static readonly Lazy<JsonObject> Fixture = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "evaluate_sklearn.json")))!.AsObject());

    /// <summary>Writes the built-in data set's rows i % 5 == 0 (test) or the others (train) as a CSV, the label as its class index.</summary>
    internal static string WriteRows(TempFolder folder, string name, bool test, int[]? columns = null)
    {
        var data = BuiltinDatasets.Load(name);
        columns ??= Enumerable.Range(0, data.FeatureCount).ToArray();
        var text = new StringBuilder(string.Join(",", columns.Select(j => data.FeatureNames[j]).Append("label"))).Append('\n');
        for (int i = 0; i < data.SampleCount; i++)
        {
            if ((i % 5 == 0) != test) continue;
            text.Append(string.Join(",", columns.Select(j => data[i, j].ToString("R", CultureInfo.InvariantCulture)).Append(data.Labels[i].ToString(CultureInfo.InvariantCulture)))).Append('\n');
        }
        string path = folder.File($"{name}-{(test ? "test" : "train")}.csv");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static double[] Numbers(JsonNode node) => node.AsArray().Select(v => (double)v!).ToArray();

    private static JsonObject Json(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();

    [Theory]
    [InlineData("breast-cancer", "breast_cancer")]
    [InlineData("iris", "iris")]
    public void Evaluate_reproduces_trains_test_section_and_equals_scikit_learns_metrics(string name, string key)
    {
        using var folder = new TempFolder();
        string train = WriteRows(folder, name, test: false), test = WriteRows(folder, name, test: true);
        string run = folder.File("run"), evaluation = folder.File("evaluation");
        var trained = CliProcess.Run("train", "--data", train, "--test-data", test, "--standardize", "--solver", "lbfgs", "--tol", "1e-10",
            "--max-iter", "20000", "--out", run, "--quiet");
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var evaluated = CliProcess.Run("evaluate", "--model", Path.Combine(run, "model.bin"), "--data", test, "--out", evaluation);
        Assert.True(evaluated.ExitCode == 0, evaluated.Stderr);
        Assert.Contains("test       accuracy", evaluated.Stdout);

        var trainReport = Json(Path.Combine(run, "metrics.json"));
        var report = Json(Path.Combine(evaluation, "metrics.json"));
        Assert.Equal("test file", (string)trainReport["split"]!);
        Assert.Equal(test, (string)trainReport["test_data"]!);
        Assert.False(trainReport.ContainsKey("test_fraction"));
        // The same rows through the same model: the same numbers, to the last bit.
        Assert.True(JsonNode.DeepEquals(trainReport["test"], report["test"]), "evaluate's test section differs from train's");
        Assert.True(JsonNode.DeepEquals(trainReport["curves"], report["curves"]), "evaluate's curves differ from train's");

        var sk = Fixture.Value[key]!;
        var t = report["test"]!;
        Assert.Equal((int)sk["n_test"]!, (int)report["n_test"]!);
        Assert.Equal((int)sk["n_test"]!, (int)t["n_samples"]!);
        Close.Equal((double)sk["accuracy"]!, (double)t["accuracy"]!, 1e-15, what: "accuracy");
        Close.Equal((double)sk["balanced_accuracy"]!, (double)t["balanced_accuracy"]!, 1e-15, what: "balanced accuracy");
        Close.Equal((double)sk["log_loss"]!, (double)t["log_loss"]!, 1e-7, what: "log loss");
        Close.Equal((double)sk["precision"]!, (double)t["precision"]!, 1e-15, what: "precision");
        Close.Equal((double)sk["recall"]!, (double)t["recall"]!, 1e-15, what: "recall");
        Close.Equal((double)sk["f1"]!, (double)t["f1"]!, 1e-15, what: "f1");
        Close.Equal((double)sk["macro_f1"]!, (double)t["macro"]!["f1"]!, 1e-15, what: "macro f1");
        Close.Equal((double)sk["weighted_f1"]!, (double)t["weighted"]!["f1"]!, 1e-15, what: "weighted f1");
        Close.All(Numbers(sk["per_class_f1"]!), Numbers(t["per_class"]!["f1"]!), 1e-15, what: "per-class f1");
        Assert.Equal(sk["confusion_matrix"]!.ToJsonString(), t["confusion_matrix"]!.ToJsonString());
        Close.Equal((double)sk["brier_score"]!, (double)t["brier_score"]!, 1e-7, what: "Brier score");
        Close.Equal((double)sk["roc_auc"]!, (double)t["roc_auc"]!, 1e-15, what: "ROC AUC");
        Close.Equal((double)sk["average_precision"]!, (double)t["average_precision"]!, 1e-15, what: "average precision");

        // The predictions themselves are scikit-learn's.
        string predictions = folder.File("predictions.csv");
        Assert.Equal(0, CliProcess.Run("predict", "--model", Path.Combine(run, "model.bin"), "--data", test, "--out", predictions).ExitCode);
        int k = ((JsonArray)report["classes"]!).Count;
        var proba = File.ReadAllLines(predictions).Skip(1).SelectMany(line => line.Split(',').Take(k).Select(v => double.Parse(v, CultureInfo.InvariantCulture))).ToArray();
        Close.All(Numbers(sk["proba"]!), proba, 0, 1e-8, "predict_proba");

        // The plots of train's test part and of the model (binary: its sigmoid), without the loss curve (a loaded model has no
        // training history) and no model file.
        // (.torchlogistic-outputs is the output set's own record of what it wrote.)
        var files = Directory.GetFiles(evaluation).Select(f => Path.GetFileName(f)).Where(f => !f.StartsWith('.')).Order().ToArray();
        var expected = new[] { "confusion.png", "metrics.json", "pr.png", "roc.png" }.Concat(k == 2 ? new[] { "calibration.png", "sigmoid.png" } : Array.Empty<string>()).Order().ToArray();
        Assert.Equal(expected, files);
        foreach (string png in files.Where(f => f.EndsWith(".png", StringComparison.Ordinal)))
            Assert.True(File.Exists(Path.Combine(run, png)), $"train wrote no {png}");
    }

    [Fact]
    public void Evaluate_on_libsvm_rows_reproduces_trains_test_section()
    {
        using var folder = new TempFolder();
        var data = BuiltinDatasets.Load("breast-cancer");
        string Write(bool test)
        {
            var text = new StringBuilder();
            for (int i = 0; i < data.SampleCount; i++)
            {
                if ((i % 5 == 0) != test) continue;
                text.Append(data.Labels[i].ToString(CultureInfo.InvariantCulture));
                for (int j = 0; j < data.FeatureCount; j++)
                    if (data[i, j] != 0) text.Append(CultureInfo.InvariantCulture, $" {j + 1}:{data[i, j]:R}");
                text.Append('\n');
            }
            string path = folder.File(test ? "test.svm" : "train.svm");
            File.WriteAllText(path, text.ToString());
            return path;
        }
        string train = Write(test: false), test = Write(test: true);
        string run = folder.File("run"), evaluation = folder.File("evaluation");
        var trained = CliProcess.Run("train", "--data", train, "--test-data", test, "--standardize", "--out", run, "--quiet");
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var evaluated = CliProcess.Run("evaluate", "--model", Path.Combine(run, "model.bin"), "--data", test, "--out", evaluation, "--quiet");
        Assert.True(evaluated.ExitCode == 0, evaluated.Stderr);
        var trainReport = Json(Path.Combine(run, "metrics.json"));
        var report = Json(Path.Combine(evaluation, "metrics.json"));
        Assert.True(JsonNode.DeepEquals(trainReport["test"], report["test"]), "evaluate's test section differs from train's");
        Assert.True(JsonNode.DeepEquals(trainReport["curves"], report["curves"]), "evaluate's curves differ from train's");
        Assert.Equal(Fixture.Value["breast_cancer"]!["n_test"]!.GetValue<int>(), (int)report["n_test"]!);
    }

    [Fact]
    public void Evaluate_and_test_data_read_a_tabular_csv_through_the_training_encoder()
    {
        using var folder = new TempFolder();
        // A categorical column (levels a, b, c) and a missing cell filled by the training mean.
        var random = new Random(3);
        string Rows(int n, bool gap) => "x,colour,label\n" + string.Concat(Enumerable.Range(0, n).Select(i =>
        {
            double x = random.NextDouble() * 4 - 2;
            string colour = "abc"[i % 3].ToString();
            int y = x + (colour == "a" ? 1 : -0.5) + random.NextDouble() - 0.5 > 0 ? 1 : 0;
            return string.Create(CultureInfo.InvariantCulture, $"{(gap && i == 1 ? "" : x.ToString("R", CultureInfo.InvariantCulture))},{colour},{(y == 1 ? "yes" : "no")}\n");
        }));
        File.WriteAllText(folder.File("train.csv"), Rows(120, gap: false));
        File.WriteAllText(folder.File("test.csv"), Rows(40, gap: true));
        string run = folder.File("run"), evaluation = folder.File("evaluation");
        var trained = CliProcess.Run("train", "--data", folder.File("train.csv"), "--test-data", folder.File("test.csv"), "--missing", "mean", "--out", run, "--quiet");
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var evaluated = CliProcess.Run("evaluate", "--model", Path.Combine(run, "model.bin"), "--data", folder.File("test.csv"), "--out", evaluation, "--quiet");
        Assert.True(evaluated.ExitCode == 0, evaluated.Stderr);
        var trainReport = Json(Path.Combine(run, "metrics.json"));
        var report = Json(Path.Combine(evaluation, "metrics.json"));
        Assert.Equal(40, (int)report["n_test"]!);
        Assert.Contains("colour[b]", trainReport["feature_names"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(trainReport["test"], report["test"]), "evaluate's test section differs from train's");
        Assert.True(JsonNode.DeepEquals(trainReport["curves"], report["curves"]), "evaluate's curves differ from train's");
    }

    [Fact]
    public void Evaluate_on_rows_lacking_a_class_reports_it()
    {
        using var folder = new TempFolder();
        string run = folder.File("run"), evaluation = folder.File("evaluation");
        Assert.Equal(0, CliProcess.Run("train", "--data", "iris", "--standardize", "--out", run, "--quiet").ExitCode);
        string rows = folder.File("two-classes.csv");
        var iris = BuiltinDatasets.Load("iris");
        File.WriteAllLines(rows, new[] { string.Join(",", iris.FeatureNames.Append("label")) }.Concat(Enumerable.Range(0, iris.SampleCount)
            .Where(i => iris.Labels[i] != 0).Select(i => string.Join(",", Enumerable.Range(0, 4).Select(j => iris[i, j].ToString("R", CultureInfo.InvariantCulture)).Append(iris.Classes[iris.Labels[i]])))));
        var evaluated = CliProcess.Run("evaluate", "--model", Path.Combine(run, "model.bin"), "--data", rows, "--out", evaluation);
        Assert.True(evaluated.ExitCode == 0, evaluated.Stderr);
        var report = Json(Path.Combine(evaluation, "metrics.json"));
        Assert.Equal("[\"setosa\"]", report["classes_without_rows"]!.ToJsonString());
        Assert.Equal(100, (int)report["n_test"]!);
        Assert.Contains("none of setosa", evaluated.Stdout);
    }

    [Fact]
    public void Summary_without_intercept_equals_statsmodels_logit_without_a_constant()
    {
        var sm = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "no_intercept_sklearn.json")))!["logit_no_constant"]!;
        using var folder = new TempFolder();
        var data = BuiltinDatasets.Load("breast-cancer");
        int[] columns = sm["columns"]!.AsArray().Select(v => (int)v!).ToArray();
        string path = folder.File("four.csv");
        File.WriteAllLines(path, new[] { string.Join(",", columns.Select(j => data.FeatureNames[j]).Append("label")) }.Concat(Enumerable.Range(0, data.SampleCount)
            .Select(i => string.Join(",", columns.Select(j => data[i, j].ToString("R", CultureInfo.InvariantCulture)).Append(data.Labels[i].ToString(CultureInfo.InvariantCulture))))));
        string run = folder.File("run");
        var trained = CliProcess.Run("train", "--data", path, "--test-fraction", "0", "--penalty", "none", "--no-intercept", "--summary", "--out", run, "--quiet");
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var report = Json(Path.Combine(run, "metrics.json"));
        Assert.False((bool)report["options"]!["fit_intercept"]!);
        Assert.Equal("[0]", report["intercept"]!.ToJsonString());
        var equation = report["inference"]!["equations"]![0]!;
        Assert.Equal(columns.Select(j => data.FeatureNames[j]).ToArray(), equation["names"]!.AsArray().Select(n => (string)n!).ToArray());
        Close.All(Numbers(sm["params"]!), Numbers(equation["coef"]!), 1e-6, 0, "coef");
        Close.All(Numbers(sm["bse"]!), Numbers(equation["std_err"]!), 1e-6, 0, "std err");
        Assert.Equal((int)(double)sm["df_model"]!, (int)report["inference"]!["df_model"]!);
        string summary = File.ReadAllText(Path.Combine(run, "summary.txt"));
        Assert.DoesNotContain("const", summary);
    }
}
