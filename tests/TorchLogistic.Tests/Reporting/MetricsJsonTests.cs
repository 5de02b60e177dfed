using System.Text.Json.Nodes;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Reporting;

/// <summary>
/// metrics.json keeps its keys, their order and their values: each fixture in Fixtures/metrics_json was written by
/// the hand-built report (before the typed <c>MetricsFile</c>) for the same command line.
/// </summary>
[Collection(TwoLaneCollections.ChildProcesses)]
public class MetricsJsonTests
{
    /// <summary>Values that differ between runs: only their presence and type are compared.</summary>
    private static readonly HashSet<string> Volatile = new() { "fit_seconds", "seconds", "peak_memory_bytes" };

    [Theory]
    [InlineData("binary_threshold", "--data breast-cancer --standardize --threshold 0.3 --max-iter 60")]
    [InlineData("ovr_balanced", "--data iris --model ovr --class-weight balanced --solver lbfgs --standardize")]
    [InlineData("softmax_no_test", "--data iris --model softmax --test-fraction 0 --solver newton --penalty none --max-iter 40")]
    [InlineData("stream_adagrad", "--stream --data iris_train.csv --test-data iris_test.csv --standardize --solver adagrad --lr 0.3 --epochs 3 --batch-size 16")]
    [InlineData("binary_summary", "--data breast-cancer --standardize --solver newton --summary")]
    public void Train_writes_the_same_metrics_json_as_before(string fixture, string arguments)
    {
        using var folder = new TempFolder();
        string fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "metrics_json");
        foreach (string csv in new[] { "iris_train.csv", "iris_test.csv" }) File.Copy(Path.Combine(fixtures, csv), folder.File(csv));
        var run = CliProcess.RunIn(folder.Path, new[] { "train" }.Concat(arguments.Split(' ')).Concat(new[] { "--quiet", "--out", "run" }).ToArray());
        Assert.True(run.ExitCode == 0, run.Stderr);

        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(fixtures, fixture + ".json")));
        var actual = JsonNode.Parse(File.ReadAllText(folder.File("run/metrics.json")));
        var differences = new List<string>();
        Compare(expected, actual, "$", differences);
        Assert.True(differences.Count == 0, string.Join(Environment.NewLine, differences.Take(20)));
    }

    [Fact]
    public void The_comparison_sees_a_changed_value_a_renamed_key_and_a_moved_key()
    {
        var before = JsonNode.Parse("""{"a": 1, "b": {"c": [1, 2.5]}, "fit_seconds": 0.1, "d": "x"}""");
        var after = JsonNode.Parse("""{"b": {"c": [1, 2.6]}, "a": 1, "fit_seconds": 9, "e": "x"}""");
        var differences = new List<string>();
        Compare(before, after, "$", differences);
        Assert.Equal(new[]
        {
            "$: keys a, b, fit_seconds, d became b, a, fit_seconds, e",
            "$.b.c[1]: 2.5 became 2.6",
            "$.d: missing",
        }, differences);
    }

    /// <summary>
    /// Records every difference of <paramref name="actual"/> from <paramref name="expected"/>: key order, types, values.
    /// Numbers agree to 1e-8 relative + 1e-13: separate runs differ in the last bits of sums, which shows in small
    /// results made of O(1) terms (a final gradient norm of 1e-8, probabilities of 1e-33 from an unpenalised softmax):
    /// measured up to 4e-10 relative against the recorded files; and when lbfgs-precond's preconditioner moved from
    /// libtorch to managed code (another summation order), binary_threshold's final criterion 7.128789250e-7 became
    /// 7.128789124e-7 — 1.3e-14 absolute in a maximum of sums of O(1) terms, every other number within 1e-8.
    /// </summary>
    private static void Compare(JsonNode? expected, JsonNode? actual, string path, List<string> differences)
    {
        switch (expected)
        {
            case null:
                if (actual != null) differences.Add($"{path}: null became {actual.ToJsonString()}");
                break;
            case JsonObject e when actual is JsonObject a:
                var keysE = e.Select(p => p.Key).ToArray();
                var keysA = a.Select(p => p.Key).ToArray();
                if (!keysE.SequenceEqual(keysA)) differences.Add($"{path}: keys {string.Join(", ", keysE)} became {string.Join(", ", keysA)}");
                foreach (var (key, value) in e)
                {
                    if (!a.ContainsKey(key)) differences.Add($"{path}.{key}: missing");
                    else if (Volatile.Contains(key))
                    {
                        if (value?.GetValueKind() != a[key]?.GetValueKind()) differences.Add($"{path}.{key}: {value?.GetValueKind()} became {a[key]?.GetValueKind()}");
                    }
                    else Compare(value, a[key], $"{path}.{key}", differences);
                }
                break;
            case JsonArray e when actual is JsonArray a:
                if (e.Count != a.Count) differences.Add($"{path}: {e.Count} items became {a.Count}");
                for (int i = 0; i < Math.Min(e.Count, a.Count); i++) Compare(e[i], a[i], $"{path}[{i}]", differences);
                break;
            case JsonValue e when actual is JsonValue a && e.GetValueKind() == System.Text.Json.JsonValueKind.Number && a.GetValueKind() == System.Text.Json.JsonValueKind.Number:
                double x = e.GetValue<double>(), y = a.GetValue<double>();
                if (!(Math.Abs(x - y) <= 1e-8 * Math.Max(Math.Abs(x), Math.Abs(y)) + 1e-13)) differences.Add($"{path}: {e.ToJsonString()} became {a.ToJsonString()}");
                break;
            default:
                if (actual == null || expected.ToJsonString() != actual.ToJsonString()) differences.Add($"{path}: {expected.ToJsonString()} became {actual?.ToJsonString() ?? "null"}");
                break;
        }
    }
}
