using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Reliability;

/// <summary>
/// Bad input to <c>evaluate</c> and <c>train --test-data</c> on the real executable: exit status 2, one "error:" line
/// naming the problem, and the case's folder (its earlier outputs included) byte for byte as it was.
/// </summary>
[Collection(TwoLaneCollections.ChildProcesses)]
public class EvaluateBadInputTests
{
    private static readonly Dictionary<string, string> Files = new()
    {
        ["ok.csv"] = "a,b,label\n1,2,x\n3,4,y\n5,7,x\n8,9,y\n",
        ["other-label.csv"] = "a,b,label\n1,2,x\n3,4,z\n5,6,w\n",
        ["fewer.csv"] = "a,label\n1,x\n3,y\n",
        ["foreign.bin"] = "PK\u0003\u0004 this is a zip file, not a model",
        ["beyond.svm"] = "0 1:1 3:2\n",
    };

    /// <summary>A model trained on ok.csv (features a, b; classes x, y), made once.</summary>
    private static readonly Lazy<byte[]> Model = new(() => TrainedModel.FromCsv(Files["ok.csv"]));

    public static TheoryData<string, string> Cases => new()
    {
        { "evaluate --model {missing.bin} --data {ok.csv} --out {out}", "does not exist. Train one first" },
        { "evaluate --model {foreign.bin} --data {ok.csv} --out {out}", "is not a TorchLogistic model file" },
        { "evaluate --model {model.bin} --data {other-label.csv} --out {out}", "has labels 'w', 'z' (2 rows) that the model does not know; its classes are 'x', 'y'" },
        { "evaluate --model {model.bin} --data {fewer.csv} --out {out}", "has 1 features but the model needs 2, and 1 of them are missing: 'b'" },
        { "evaluate --model {model.bin} --data iris --out {out}", "has 4 features but the model needs 2, and 2 of them are missing: 'a', 'b'" },
        { "evaluate --model {model.bin} --data {ok.csv} --threshold 1.5 --out {out}", "--threshold 1.5 must be in (0, 1)" },
        { "evaluate --model {model.bin} --data {out}/metrics.json --out {out}", "which this run would replace" },
        { "evaluate --data {ok.csv} --out {out}", "Option '--model' is required" },
        { "evaluate --model {model.bin} --data {beyond.svm} --out {out}", "line 1: feature index 3 is beyond the model's 2 features" },
        { "train --data {ok.csv} --test-data {ok.csv} --test-fraction 0.2 --out {out}", "names the test rows and --test-fraction 0.2 would hold out others: give one of them" },
        { "train --data {ok.csv} --test-data {other-label.csv} --out {out}", "that the training data '" },
        { "train --data {ok.csv} --test-data {fewer.csv} --out {out}", "has 1 features but the training data '" },
        { "train --data {ok.csv} --test-data {missing.csv} --out {out}", "does not exist. Pass a CSV path or a built-in name" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fails_with_one_short_line_and_leaves_every_file_unchanged(string command, string expected)
    {
        using var folder = new TempFolder();
        foreach (var (name, text) in Files) File.WriteAllText(folder.File(name), text);
        File.WriteAllBytes(folder.File("model.bin"), Model.Value);
        string outDir = folder.File("out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "metrics.json"), "output of an earlier run");
        var before = Snapshot.Of(folder.Path);

        var run = CliProcess.Run(BadInputRun.Arguments(command, folder, outDir));

        string line = BadInputRun.AssertRefused(run, expected);
        Assert.True(line.Length <= 420, $"{line.Length} characters: {line[..Math.Min(200, line.Length)]}…");
        Assert.DoesNotContain("System.", line);
        Assert.Equal(before, Snapshot.Of(folder.Path));
    }
}
