using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Reliability;

/// <summary>
/// Cross-validation's bad input on the real executable (issue 18): too many folds for the smallest class, a grid with
/// C ≤ 0, a fold whose ROC AUC is undefined, a missing fold column, --calibrate without folds, an unknown calibration
/// method, isotonic calibration of too few rows — exit status 2, one line, nothing written.
/// </summary>
[Collection(TwoLaneCollections.ChildProcesses)]
public class CrossValidationBadInputTests
{
    private static readonly Dictionary<string, string> Files = new()
    {
        // Fold 1 holds only class x: its ROC AUC is undefined.
        ["one-class-fold.csv"] = "a,fold,label\n1,0,x\n2,0,y\n3,0,x\n4,0,y\n5,1,x\n6,1,x\n7,2,x\n8,2,y\n",
        // 12 rows: too few for isotonic calibration.
        ["small.csv"] = "a,label\n" + string.Concat(Enumerable.Range(0, 12).Select(i => $"{i},{(i % 2 == 0 ? "x" : "y")}\n")),
    };

    public static TheoryData<string, string> Cases => new()
    {
        { "cv --data iris --cv 60 --out {out}", "60 folds need at least 60 rows of every class, but class index 0 has only 40. Use at most 40 folds (--cv)." },
        { "train --data iris --cv 1 --out {out}", "--cv 1 must be at least 2 folds" },
        { "cv --data iris --Cs 1,0,2 --out {out}", "--Cs: C = 0 must be a finite number > 0" },
        { "cv --data iris --Cs 1,-3 --out {out}", "--Cs: C = -3 must be a finite number > 0" },
        { "cv --data iris --Cs 1,abc --out {out}", "--Cs '1,abc': 'abc' is not a number" },
        { "cv --data iris --scoring f1 --out {out}", "Unknown scoring 'f1'. Use log_loss, accuracy, roc_auc or balanced_accuracy." },
        { "cv --data {one-class-fold.csv} --fold-column fold --test-fraction 0 --scoring roc_auc --out {out}", "A held-out fold contains a single class, so its ROC AUC is undefined" },
        { "cv --data {one-class-fold.csv} --fold-column nope --test-fraction 0 --out {out}", "The fold column 'nope' is not a column of" },
        { "train --data iris --Cs 1,2 --out {out}", "--Cs applies to cross-validation. Add --cv K (or use the cv command)." },
        { "cv --data iris --choose worst --out {out}", "Unknown --choose 'worst'. Use best or one-se." },
        { "train --data breast-cancer --calibrate sigmoid --out {out}", "--calibrate fits on out-of-fold predictions and needs folds: add --cv K (e.g. --cv 5), or use the cv command." },
        { "train --data breast-cancer --stream --calibrate isotonic --out {out}", "--calibrate fits on out-of-fold predictions and needs folds: add --cv K (e.g. --cv 5), or use the cv command." },
        { "cv --data breast-cancer --calibrate platt --out {out}", "Unknown --calibrate 'platt'. Use sigmoid (Platt scaling) or isotonic." },
        { "cv --data {small.csv} --cv 2 --test-fraction 0 --calibrate isotonic --out {out}", "Isotonic calibration needs at least 50 rows of positive weight; there are 12. Use --calibrate sigmoid (2 parameters) or more rows." },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fails_with_one_line_and_writes_nothing(string command, string expected)
    {
        using var folder = new TempFolder();
        foreach (var (name, text) in Files) File.WriteAllText(folder.File(name), text);
        string outDir = folder.File("out");
        var before = Snapshot.Of(folder.Path);
        var run = CliProcess.Run(BadInputRun.Arguments(command, folder, outDir));
        BadInputRun.AssertRefused(run, expected);
        Assert.Equal(before, Snapshot.Of(folder.Path));
    }
}
