using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Reliability;

/// <summary>
/// Issue 14's classes of bad input, each case run on the real executable: exit status 2, one "error:" line of at
/// most a few hundred characters naming the problem, and the case's folder byte for byte as it was.
/// </summary>
[Collection(TwoLaneCollections.ChildProcesses)]
public class RoundTwoBadInputTests
{
    /// <summary>Files a case can refer to as {name}.</summary>
    private static readonly Dictionary<string, string> Files = new()
    {
        ["ok.csv"] = "a,b,label\n1,2,x\n3,4,y\n5,7,x\n8,9,y\n",
        ["model.bin"] = "PK\u0003\u0004 stands in for a model: the output check comes first",
        ["duplicate.csv"] = "a,b,a,label\n1,2,3,x\n3,4,5,y\n",
        ["semicolon.csv"] = "a;b;label\n1;2;x\n3;4;y\n",
        ["tab.csv"] = "a\tb\tlabel\n1\t2\tx\n3\t4\ty\n",
        ["huge-weight.csv"] = "a,w,label\n1,1,x\n2,1e308,y\n3,1,x\n4,1,y\n",
        ["long-field.csv"] = "a,b,label\n" + new string('7', 5000) + "x,2,x\n3,4,y\n",
        ["endless.csv"] = "a,b,label\n1," + new string('2', (1 << 20) + 10),
        ["nested/keep.txt"] = "a folder given as the data file",
    };

    public static TheoryData<string, string> Cases => new()
    {
        // 1. An output never destroys an input.
        { "predict --model {model.bin} --data {ok.csv} --out {ok.csv}", "is also an input of this run" },
        { "predict --model {model.bin} --data {ok.csv} --out {model.bin}", "is also an input of this run" },
        { "train --data {out}/model.bin --out {out}", "which this run would replace" },
        // 2. Ambiguous input.
        { "train --data {duplicate.csv} --out {out}", "has two columns named 'a' (columns 1 and 3)" },
        // 3. Resource limits: threads, dense matrices, line length, long values.
        { "train --data breast-cancer --threads 100000 --out {out}", "--threads 100000 is more than the" },
        { "compare-solvers --data iris --threads 100000", "--threads 100000 is more than the" },
        { "gradcheck --timing-only --threads 100000", "--threads 100000 is more than the" },
        { "bench --problem breast-cancer --solvers none --peer none --threads 100000", "--threads 100000 is more than the" },
        { "train --data breast-cancer --poly-degree 4 --solver newton --out {out}", "Solver 'newton' needs a dense Hessian of 46,376 × 46,376 entries" },
        { "train --data breast-cancer --poly-degree 4 --summary --out {out}", "--summary needs a dense Hessian of 46,376 × 46,376 entries" },
        { "train --data {ok.csv} --stream --shuffle-buffer 2000000000 --out {out}", "A shuffle buffer of 2,000,000,000 rows × 2 features needs 64.0 GB" },
        { "train --data /dev/zero --out {out}", "is binary (it holds NUL bytes), not CSV text" },
        { "train --data {endless.csv} --out {out}", "line 2 is longer than 1,048,576 characters" },
        { "train --data {long-field.csv} --test-fraction 0 --out {out}", "('777777777777777777777777777777777777777…' on line 2 is not a number: if the column is numeric, fix that cell)" },
        // 6. Internal errors at the boundary: weights that overflow.
        { "train --data {huge-weight.csv} --sample-weight w --out {out}", "line 3: sample weight 1E+308 is over 1E+12" },
        // 7. The command line's own errors.
        { "train --data iris --max-iter abc --out {out}", "Cannot parse argument 'abc' for option '--max-iter' as a whole number. See 'torchlogistic train --help'." },
        { "train --data iris --bogus --out {out}", "Unknown option, command or argument '--bogus'. See 'torchlogistic train --help'." },
        { "trian --data iris", "Unknown option, command or argument 'trian'. See 'torchlogistic --help'." },
        { "train --out {out}", "Option '--data' is required. See 'torchlogistic train --help'." },
        // 8. Messages that say what the file is.
        { "train --data {nested} --out {out}", "is a folder, not a file. Pass the CSV file itself." },
        { "train --data {gzip.csv} --out {out}", "is gzip-compressed, not CSV text" },
        { "train --data {semicolon.csv} --out {out}", "it looks semicolon-separated" },
        { "train --data {tab.csv} --out {out}", "it looks tab-separated" },
        { "predict --model {model.bin} --data {ok.csv} --out {out}", "is an existing folder. Pass --out a file path" },
        { "train --data breast-cancer --out {out}/model.bin/x", "is a file" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fails_with_one_short_line_and_leaves_every_file_unchanged(string command, string expected)
    {
        using var folder = new TempFolder();
        foreach (var (name, text) in Files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(folder.File(name))!);
            File.WriteAllText(folder.File(name), text);
        }
        using (var gz = new System.IO.Compression.GZipStream(File.Create(folder.File("gzip.csv")), System.IO.Compression.CompressionLevel.Fastest))
            gz.Write("a,b,label\n1,2,x\n3,4,y\n"u8);
        string outDir = folder.File("out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "model.bin"), "output of an earlier run");
        var before = Snapshot.Of(folder.Path);

        var run = CliProcess.Run(BadInputRun.Arguments(command, folder, outDir));

        string line = BadInputRun.AssertRefused(run, expected);
        Assert.True(line.Length <= 420, $"{line.Length} characters: {line[..Math.Min(200, line.Length)]}…");
        Assert.DoesNotContain("System.", line);
        Assert.Equal(before, Snapshot.Of(folder.Path));
    }
}
