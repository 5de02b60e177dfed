using TorchLogistic.Data;
using TorchLogistic.IO;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.Reliability;

/// <summary>
/// Bad LIBSVM input on the real executable: exit status 2, one "error:" line naming the line and the fix, and the
/// case's folder byte for byte as it was (nothing written).
/// </summary>
public class SparseBadInputTests
{
    private static readonly Dictionary<string, string> Files = new()
    {
        ["unsorted.svm"] = "1 1:0.5 3:1\n-1 4:2 2:1\n",
        ["zero.svm"] = "1 0:1 2:1\n-1 1:1\n",
        ["repeat.libsvm"] = "1 2:1 2:3\n-1 1:1\n",
        ["token.svmlight"] = "1 1:0.5 2=3\n-1 1:1\n",
        ["label.svm"] = "one 1:1\n-1 1:1\n",
        ["value.svm"] = "1 1:1e999\n-1 1:1\n",
        ["wide.svm"] = "1 1:1 2000000:1\n-1 2:1\n1 3:1\n-1 5:1\n1 1:1\n",
        ["rows.txt"] = "1 2:1 1:1\n-1 1:1\n",
        ["huge.svm"] = "1 1:1 2000000000:1\n-1 2:1\n",
        ["beyond.svm"] = "1 1:0.5 61:2\n",
        ["ok.svm"] = "1 1:0.5 3:1\n-1 2:1\n1 1:1\n-1 3:2\n",
    };

    public static TheoryData<string, string> Cases => new()
    {
        { "train --data {unsorted.svm} --out {out}", "unsorted.svm' line 2: feature index 2 comes after 4; indices must increase within a line" },
        { "train --data {zero.svm} --out {out}", "zero.svm' line 1: feature index 0; LIBSVM indices start at 1. Add 1 to every index of a zero-based file." },
        { "train --data {repeat.libsvm} --out {out}", "repeat.libsvm' line 1: feature index 2 comes after 2" },
        { "train --data {token.svmlight} --out {out}", "token.svmlight' line 1: '2=3' is not an index:value pair" },
        { "train --data {label.svm} --out {out}", "label.svm' line 1: the label 'one' is not a number" },
        { "train --data {value.svm} --out {out}", "value.svm' line 1: '1:1e999' is not finite" },
        { "train --data {rows.txt} --format libsvm --out {out}", "rows.txt' line 1: feature index 1 comes after 2" },
        { "train --data {ok.svm} --format parquet --out {out}", "Unknown --format 'parquet'. Use auto, csv or libsvm." },
        { "train --data {wide.svm} --solver newton --test-fraction 0 --out {out}", "Solver 'newton' needs a dense Hessian even for sparse features (features that share a row couple) of 2,000,001 × 2,000,001 entries" },
        { "train --data {ok.svm} --poly-degree 2 --out {out}", "a polynomial expansion would multiply the non-zeros; --poly-degree 2 is not available for it. Use --poly-degree 1." },
        { "train --data {ok.svm} --summary --out {out}", "--summary does not apply to LIBSVM data" },
        { "train --data {unsorted.svm} --stream --out {out}", "unsorted.svm' line 2: feature index 2 comes after 4; indices must increase within a line" },
        { "train --data {zero.svm} --stream --out {out}", "zero.svm' line 1: feature index 0; LIBSVM indices start at 1. Add 1 to every index of a zero-based file." },
        { "train --data {rows.txt} --format libsvm --stream --out {out}", "rows.txt' line 1: feature index 1 comes after 2" },
        { "train --data {ok.svm} --stream --test-data {beyond.svm} --out {out}", "beyond.svm' line 1: feature index 61 is beyond the model's 3 features." },
        { "train --data {ok.svm} --stream --test-data {zero.svm} --out {out}", "zero.svm' line 1: feature index 0; LIBSVM indices start at 1." },
        { "train --data {huge.svm} --stream --out {out}", "huge.svm' has 2,000,000,000 features: streamed batches hold their rows dense, 16896.0 GB for batches of 32 and 1,024 rows" },
        { "train --data {ok.svm} --stream --label y --out {out}", "--label does not apply to LIBSVM data" },
        { "predict --model {model.bin} --data {beyond.svm} --out {out}/p.csv", "beyond.svm' line 1: feature index 61 is beyond the model's 60 features. Score data with the features the model was trained on." },
        { "predict --model {model.bin} --data {unsorted.svm} --out {out}/p.csv", "unsorted.svm' line 2: feature index 2 comes after 4" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fails_with_one_line_naming_the_line_and_writes_nothing(string command, string expected)
    {
        using var folder = new TempFolder();
        foreach (var (name, text) in Files) File.WriteAllText(folder.File(name), text);
        var data = LibSvmFile.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "libsvm", "binary.svm"));
        using (var model = Trainer.Fit(data, new TrainingOptions { Solver = TorchLogistic.Optim.SolverKind.Lbfgs }))
            File.WriteAllBytes(folder.File("model.bin"), ModelFile.ToBytes(model));
        string outDir = folder.File("out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "model.bin"), "output of an earlier run");
        var before = Snapshot.Of(folder.Path);

        var run = CliProcess.Run(BadInputRun.Arguments(command, folder, outDir));

        string line = BadInputRun.AssertRefused(run, expected);
        Assert.True(line.Length <= 420, $"{line.Length} characters: {line[..Math.Min(200, line.Length)]}…");
        Assert.Equal(before, Snapshot.Of(folder.Path));
    }
}
