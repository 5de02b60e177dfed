using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Reliability;

/// <summary>
/// Bad tabular input (categorical columns, missing cells) to the real executable: exit status 2, one "error:" line
/// naming the column, the line and the fix, and the case's folder byte for byte as it was. Prediction cases use a
/// model trained (outside the snapshot) on cats.csv: colour in {blue, red}, size numeric, trained with the defaults.
/// </summary>
[Collection(TwoLaneCollections.ChildProcesses)]
public class TabularBadInputTests
{
    private static readonly Dictionary<string, string> Files = new()
    {
        ["cats.csv"] = "colour,size,label\nred,1,x\nblue,2,y\nred,3,x\nblue,4,y\nred,5,y\nblue,6,x\n",
        ["ids.csv"] = "name,size,label\nann,1,x\nbob,2,y\ncy,3,x\ndee,4,y\n",
        ["all-missing.csv"] = "a,b,label\n1,,x\n2,NA,y\n3,NaN,x\n4,,y\n",
        ["missing.csv"] = "a,b,label\n1,5,x\n2,NA,y\n3,7,x\n4,8,y\n",
        ["every-row-missing.csv"] = "a,b,label\n1,,x\n,2,y\nNA,3,x\n4,nan,y\n",
        ["unknown.csv"] = "colour,size\nred,1\npurple,2\n",
        ["new-missing.csv"] = "colour,size\nred,1\nblue,\n",
        ["new-text.csv"] = "colour,size\nred,1\nblue,big\n",
        ["lacks-column.csv"] = "size\n1\n",
    };

    public static TheoryData<string, string> Cases => new()
    {
        { "train --data {ids.csv} --out {out}", "column 'name' has a different value in each of its 3 training rows: an identifier or free text, not a category" },
        { "train --data {ids.csv} --test-fraction 0 --out {out}", "column 'name' has a different value in each of its 4 training rows" },
        { "train --data {all-missing.csv} --missing mean --out {out}", "column 'b' is missing in all 4 rows, so nothing can be learnt or imputed from it. Remove the column" },
        { "train --data {all-missing.csv} --out {out}", "column 'b' is missing in all 4 rows" },
        { "train --data {missing.csv} --out {out}", "missing.csv' line 3, column 'b': missing value. Choose what to do with missing cells: --missing drop, mean, median or most-frequent." },
        { "train --data {every-row-missing.csv} --missing drop --out {out}", "every one of its 4 rows has a missing cell, so --missing drop leaves nothing" },
        { "train --data {cats.csv} --missing sometimes --out {out}", "Unknown --missing 'sometimes'. Use error, drop, mean, median or most-frequent." },
        { "train --data {cats.csv} --categorical-drop last --out {out}", "Unknown --categorical-drop 'last'. Use none or first." },
        { "train --data {cats.csv} --handle-unknown skip --out {out}", "Unknown --handle-unknown 'skip'. Use error or ignore." },
        { "train --data {cats.csv} --missing-indicator --out {out}", "--missing-indicator marks imputed cells; with --missing error no cell is imputed" },
        { "train --data {cats.csv} --categorical nope --out {out}", "has no column named 'nope' (--categorical)" },
        { "train --data {cats.csv} --categorical label --out {out}", "--categorical names 'label', which is the label column" },
        { "train --data {cats.csv} --stream --missing mean --out {out}", "--missing is not available with --stream" },
        { "train --data iris --missing mean --out {out}", "The built-in data set 'iris' is numeric with no missing values" },
        { "predict --model {model} --data {unknown.csv} --out {out}/p.csv", "unknown.csv' line 3, column 'colour': level 'purple' is not among the training rows' levels (blue, red). Use data with known levels, or train with --handle-unknown ignore" },
        { "predict --model {model} --data {new-missing.csv} --out {out}/p.csv", "new-missing.csv' line 3, column 'size': missing value, and the model was trained without imputation (--missing error)" },
        { "predict --model {model} --data {new-text.csv} --out {out}/p.csv", "line 3, column 'size': 'big' is not a number, and the model reads 'size' as numeric" },
        { "predict --model {model} --data {lacks-column.csv} --out {out}/p.csv", "lacks 1 of the model's columns: colour" },
        { "predict --model {model} --data iris --out {out}/p.csv", "the built-in data set 'iris' does not have them" },
    };

    private static readonly Lazy<string> Model = new(() =>
    {
        // Kept for the whole test run (TempFolder's area); each case copies the model into its own folder.
        string folder = new TempFolder().Path;
        File.WriteAllText(Path.Combine(folder, "cats.csv"), Files["cats.csv"]);
        var run = CliProcess.Run("train", "--data", Path.Combine(folder, "cats.csv"), "--test-fraction", "0", "--quiet", "--out", Path.Combine(folder, "out"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        return Path.Combine(folder, "out", "model.bin");
    });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fails_with_a_clear_line_and_leaves_every_file_unchanged(string command, string expected)
    {
        using var folder = new TempFolder();
        foreach (var (name, text) in Files) File.WriteAllText(folder.File(name), text);
        if (command.Contains("{model}")) File.Copy(Model.Value, folder.File("model"));
        string outDir = folder.File("out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "previous.txt"), "output of an earlier run");
        var before = Snapshot.Of(folder.Path);

        var run = CliProcess.Run(BadInputRun.Arguments(command, folder, outDir));

        string line = BadInputRun.AssertRefused(run, expected);
        Assert.True(line.Length <= 420, $"{line.Length} characters: {line}");
        Assert.Equal(before, Snapshot.Of(folder.Path));
    }
}
