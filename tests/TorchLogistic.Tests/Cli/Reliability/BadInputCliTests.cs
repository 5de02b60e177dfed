using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Reliability;

/// <summary>
/// Bad input to the real executable: each case must fail with one clear line naming the problem, a non-zero
/// exit status, no stack trace, and leave the output folder exactly as it was.
/// </summary>
[Collection(TwoLaneCollections.ChildProcesses)]
public class BadInputCliTests
{
    /// <summary>Files a case can refer to as {name}: written into the case's folder before the run.</summary>
    private static readonly Dictionary<string, string> Files = new()
    {
        ["ok.csv"] = "a,b,label\n1,2,x\n3,4,y\n5,7,x\n8,9,y\n",
        ["empty.csv"] = "",
        ["header-only.csv"] = "a,b,label\n",
        ["ragged.csv"] = "a,b,label\n1,2,x\n3,y\n",
        ["text.csv"] = "a,b,label\nabc,2,x\n3,4,y\n",
        ["nan.csv"] = "a,b,label\n1,NaN,x\n3,4,y\n",
        ["inf.csv"] = "a,b,label\n1,2,x\n3,-Infinity,y\n",
        ["missing-value.csv"] = "a,b,label\n1,,x\n3,4,y\n",
        ["one-class.csv"] = "a,b,label\n1,2,x\n3,4,x\n5,6,x\n",
        ["negative-weight.csv"] = "a,w,label\n1,1,x\n2,-1,y\n3,1,x\n",
        ["zero-weights.csv"] = "a,w,label\n1,0,x\n2,0,y\n3,0,x\n",
        ["unclosed-quote.csv"] = "a,b,label\n1,\"2,x\n3,4,y\n",
        ["three-classes.csv"] = "a,b,label\n1,2,x\n3,4,y\n5,6,z\n7,8,x\n",
        ["other-columns.csv"] = "p,q\n1,2\n",
        ["foreign.bin"] = "PK\u0003\u0004 this is a zip file, not a model",
        ["truncated.bin"] = "TORCHLOG\u0001\u0000\u0000\u0000",
        ["other-label.csv"] = "a,b,label\n1,2,x\n\n3,4,z\n",
        ["x-labels-idx1-ubyte"] = "\u0000\u0000\u0008\u0001\u0000\u0000\u0000\u0002\u0001\u0000",
    };

    public static TheoryData<string, string> Cases => new()
    {
        { "train --data breast-cancer --C 0", "--C 0 must be a finite number > 0" },
        { "train --data breast-cancer --C -1", "--C -1 must be a finite number > 0" },
        { "train --data breast-cancer --tol 0", "--tol 0 must be" },
        { "train --data breast-cancer --solver gd --lr 0", "--lr 0 must be" },
        { "train --data breast-cancer --solver gd --lr -0.5", "--lr -0.5 must be" },
        { "train --data breast-cancer --max-iter 0", "--max-iter 0 must be" },
        { "train --data breast-cancer --history 0", "--history 0 must be" },
        { "train --data breast-cancer --test-fraction 1", "--test-fraction 1 must be in [0, 1)" },
        { "train --data breast-cancer --solver sgdx", "Unknown solver 'sgdx'" },
        { "train --data breast-cancer --penalty l3", "Unknown penalty 'l3'" },
        { "train --data breast-cancer --dtype float16", "Unknown --dtype 'float16'" },
        { "train --data breast-cancer --gradients numeric", "Unknown --gradients 'numeric'" },
        { "train --data breast-cancer --model tree", "Unknown --model 'tree'" },
        { "train --data iris --model logistic", "needs exactly 2 classes" },
        { "train --data {three-classes.csv} --model logistic", "needs exactly 2 classes" },
        { "train --data {nowhere.csv}", "does not exist" },
        { "train --data mnist", "neither a built-in data set" },
        { "train --data iris --label species", "the built-in data set 'iris' has fixed columns" },
        { "train --data {empty.csv}", "is empty" },
        { "train --data {header-only.csv}", "has a header but no data rows" },
        { "train --data {ragged.csv}", "line 3: 2 fields, but the header has 3" },
        { "train --data {text.csv} --test-fraction 0", "column 'a' has a different value in each of its 2 training rows: an identifier or free text, not a category. Remove the column from the file ('abc' on line 2 is not a number: if the column is numeric, fix that cell)." },
        { "train --data {nan.csv}", "line 2, column 'b': missing value. Choose what to do with missing cells: --missing drop, mean, median or most-frequent" },
        { "train --data {inf.csv}", "line 3, column 'b': -Infinity is not a finite number" },
        { "train --data {missing-value.csv}", "line 2, column 'b': missing value. Choose" },
        { "train --data {unclosed-quote.csv}", "line 2: a quoted field is not closed" },
        { "train --data {ok.csv} --label target", "has no column named 'target'" },
        { "train --data {one-class.csv} --test-fraction 0", "contain a single class (x)" },
        { "train --data {negative-weight.csv} --sample-weight w", "line 3: sample weight -1 is negative" },
        { "train --data {zero-weights.csv} --sample-weight w --test-fraction 0", "Sample weights sum to zero" },
        { "train --data {ok.csv} --sample-weight weight", "has no sample-weight column named 'weight'" },
        { "train --data breast-cancer --class-weight 1,2,3", "3 class weights given for 2 classes" },
        { "train --data breast-cancer --class-weight 1,heavy", "'heavy' is not a number" },
        { "train --data breast-cancer --class-weight -1,2", "Class weights must be finite, ≥ 0" },
        { "train --data breast-cancer --out {ok.csv}", "is a file" },
        { "train --data breast-cancer --out /proc/torchlogistic-cannot-write", "cannot be written" },
        { "train --data breast-cancer --penalty l1 --solver newton", "Solver 'newton' cannot minimise penalty 'l1'" },
        { "train --data breast-cancer --penalty elasticnet --solver fista --l1-ratio 1.5", "--l1-ratio 1.5 must be in [0, 1]" },
        { "train --data iris --label-smoothing 1", "--label-smoothing 1 must be in [0, 1)" },
        { "train --data breast-cancer --poly-degree 0", "--poly-degree 0 must be between 1 and 10" },
        { "train --data breast-cancer --solver sgd --batch-size 0", "--batch-size 0 must be ≥ 1" },
        { "train --data breast-cancer --warm-start {foreign.bin}", "is not a TorchLogistic model file" },
        { "train --data breast-cancer --threshold 1.5", "--threshold 1.5 must be in (0, 1)" },
        { "train --data iris --threshold 0.3", "--threshold applies to binary problems" },
        { "train --data breast-cancer --threads -1", "--threads -1 must be ≥ 0" },
        { "train --data fashion-mnist --data-dir {nowhere}", "apt-get install dataset-fashion-mnist" },
        { "train --data {ok.csv} --stream --solver lbfgs", "Solver 'lbfgs' needs all rows in memory; streaming trains with sgd or adagrad" },
        { "train --data {ok.csv} --stream --solver newton", "Solver 'newton' needs all rows in memory" },
        { "train --data {ok.csv} --stream --summary", "--summary refits with Newton's method on every row in memory" },
        { "train --data {ok.csv} --stream --poly-degree 2", "--poly-degree 2 is not available with streaming (--stream" },
        { "train --data {ok.csv} --stream --test-fraction 0.2", "with --stream, name a test file with --test-data" },
        { "train --data {three-classes.csv} --stream --model ovr", "One-vs-rest trains one model after another" },
        { "train --data {ok.csv} --stream --gradients autograd", "--gradients autograd is not available with streaming (--stream)" },
        { "train --data {ok.csv} --stream --max-iter 5", "use --epochs instead of --max-iter" },
        { "train --data {ok.csv} --stream --epochs 0", "--epochs 0 must be ≥ 1" },
        { "train --data {ok.csv} --stream --shuffle-buffer -1", "--shuffle-buffer -1 must be ≥ 0" },
        { "train --data {ok.csv} --stream --penalty l1 --solver sgd", "Solver 'sgd' cannot minimise penalty 'l1'" },
        { "train --data {ok.csv} --epochs 3", "--epochs applies to --stream" },
        { "train --data {ok.csv} --stream --test-data {other-label.csv}", "line 4: label 'z' is not one of the training classes (x, y)" },
        { "train --data {ragged.csv} --stream", "line 3: 2 fields, but the header has 3" },
        { "train --data {one-class.csv} --stream", "contain a single class (x)" },
        { "train --data {zero-weights.csv} --sample-weight w --stream", "Sample weights sum to zero" },
        { "train --data iris --stream", "The built-in data set 'iris' is embedded in the library" },
        { "train --data fashion-mnist --stream --test-data {ok.csv}", "streams its official test files (t10k); --test-data does not apply" },
        { "train --data {x-labels-idx1-ubyte} --stream", "It looks like a label file: pass the image file" },
        { "predict --model {nowhere.bin} --data {ok.csv} --out {out}/p.csv", "does not exist" },
        { "predict --model {foreign.bin} --data {ok.csv} --out {out}/p.csv", "is not a TorchLogistic model file" },
        { "predict --model {truncated.bin} --data {ok.csv} --out {out}/p.csv", "is truncated" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fails_with_a_clear_message_and_leaves_the_output_folder_unchanged(string command, string expected)
    {
        using var folder = new TempFolder();
        foreach (var (name, text) in Files) File.WriteAllText(folder.File(name), text);
        string outDir = folder.File("out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "previous.txt"), "output of an earlier run");
        var before = Snapshot.Of(folder.Path);

        string[] args = BadInputRun.Arguments(command, folder, outDir);
        if (!args.Contains("--out")) args = args.Concat(new[] { "--out", outDir }).ToArray();
        var run = CliProcess.Run(args);

        BadInputRun.AssertRefused(run, expected);
        Assert.Equal(before, Snapshot.Of(folder.Path));
    }
}
