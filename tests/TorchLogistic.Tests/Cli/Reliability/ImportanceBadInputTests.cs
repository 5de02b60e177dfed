using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Reliability;

/// <summary>
/// Bad input to <c>importance</c> on the real executable: exit status 2, one "error:" line naming the problem and
/// the fix, and the case's folder (an earlier importance.json included) byte for byte as it was.
/// </summary>
[Collection(TwoLaneCollections.ChildProcesses)]
public class ImportanceBadInputTests
{
    private static readonly Dictionary<string, string> Files = new()
    {
        ["ok.csv"] = "a,colour,label\n1,red,x\n3,blue,y\n5,red,x\n8,blue,y\n2,red,y\n7,blue,x\n",
        ["fewer.csv"] = "a,label\n1,x\n3,y\n",
        ["unlabelled.csv"] = "a,colour\n1,red\n3,blue\n",
        ["foreign.bin"] = "PK\u0003\u0004 this is a zip file, not a model",
    };

    /// <summary>A tabular model trained on ok.csv (a numeric, colour categorical; classes x, y), made once.</summary>
    private static readonly Lazy<byte[]> Model = new(() => TrainedModel.FromCsv(Files["ok.csv"]));

    public static TheoryData<string, string> Cases => new()
    {
        { "importance --model {missing.bin} --data {ok.csv} --out {out}", "does not exist. Train one first" },
        { "importance --model {foreign.bin} --data {ok.csv} --out {out}", "is not a TorchLogistic model file" },
        { "importance --model {model.bin} --data {fewer.csv} --out {out}", "lacks 1 of the model's columns: colour. Use data with the columns the model was trained on" },
        { "importance --model {model.bin} --data {unlabelled.csv} --out {out}", "has no label column: its last column 'colour' is one of the model's features. Add the label column" },
        { "importance --model {model.bin} --data {ok.csv} --label a --out {out}", "--label 'a' is one of the model's features, not a label" },
        { "importance --model {model.bin} --data {ok.csv} --repeats 0 --out {out}", "--repeats 0 is outside 1 … 1000" },
        { "importance --model {model.bin} --data {ok.csv} --repeats 100000 --out {out}", "--repeats 100000 is outside 1 … 1000 (repeats are capped at 1000" },
        { "importance --model {model.bin} --data {ok.csv} --scoring f1 --out {out}", "Unknown scoring 'f1'. Use log_loss, accuracy, roc_auc or balanced_accuracy." },
        { "importance --model {model.bin} --data {ok.csv} --sample-weight w --out {out}", "has no sample-weight column named 'w'" },
        { "importance --model {model.bin} --data {out}/importance.json --out {out}", "which this run would replace" },
        { "importance --data {ok.csv} --out {out}", "Option '--model' is required" },
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
        File.WriteAllText(Path.Combine(outDir, "importance.json"), "output of an earlier run");
        var before = Snapshot.Of(folder.Path);

        var run = CliProcess.Run(BadInputRun.Arguments(command, folder, outDir));

        string line = BadInputRun.AssertRefused(run, expected);
        Assert.True(line.Length <= 420, $"{line.Length} characters: {line[..Math.Min(200, line.Length)]}…");
        Assert.DoesNotContain("System.", line);
        Assert.Equal(before, Snapshot.Of(folder.Path));
    }
}
