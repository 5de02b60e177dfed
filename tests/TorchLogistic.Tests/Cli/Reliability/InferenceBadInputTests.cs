using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Reliability;

/// <summary>Bad input to the inference options (--cov, --groups, --test, compare-models): one clear line, nothing written.</summary>
[Collection(TwoLaneCollections.ChildProcesses)]
public class InferenceBadInputTests
{
    private static readonly Dictionary<string, string> Files = new()
    {
        ["ok.csv"] = "a,b,label\n1,2,x\n3,4,y\n5,7,x\n8,9,y\n2,1,y\n4,4,x\n",
        ["one-group.csv"] = "a,g,label\n1,7,x\n3,7,y\n5,7,x\n8,7,y\n2,7,y\n4,7,x\n",
        ["three.csv"] = "a,b,label\n1,2,x\n3,4,y\n5,7,z\n8,9,y\n2,1,z\n4,4,x\n",
        ["fractional-group.csv"] = "a,g,label\n1,1.5,x\n3,2,y\n5,1,x\n8,2,y\n2,1,y\n4,2,x\n",
    };

    public static TheoryData<string, string> Cases => new()
    {
        { "train --data {ok.csv} --penalty none --cov cluster", "--cov cluster needs --groups COLUMN, the CSV column of cluster labels." },
        { "train --data {one-group.csv} --penalty none --test-fraction 0 --cov cluster --groups g", "--cov cluster needs at least two clusters; --groups 'g' has 1 in the training rows" },
        { "train --data {ok.csv} --penalty none --cov cluster --groups c", "--groups 'c' is not a numeric column of" },
        { "train --data {fractional-group.csv} --penalty none --test-fraction 0 --cov cluster --groups g", "cluster labels must be integers" },
        { "train --data {ok.csv} --penalty none --cov HC1 --groups a", "--groups applies to --cov cluster" },
        { "train --data {ok.csv} --penalty none --cov HC5", "Unknown covariance 'HC5'. Use nonrobust, HC0, HC1, HC2, HC3 or cluster." },
        { "train --data {ok.csv} --penalty none --margeff middle", "Unknown --margeff 'middle'. Use overall, mean, median or zero." },
        { "train --data {ok.csv} --penalty none --test-fraction 0 --test c=0", "Wald restriction 'c=0' names 'c', which is not a coefficient of the model (const, a, b)." },
        { "train --data {ok.csv} --stream --cov HC1", "so do --cov, --groups, --margeff, --test and --profile-ci" },
        { "train --data {ok.csv} --penalty l2 --test-fraction 0 --profile-ci", "--profile-ci profiles binary fits without a penalty; this fit is Logit with --penalty l2." },
        { "train --data {three.csv} --penalty firth --test-fraction 0", "--penalty firth fits binary models; the training rows have 3 classes. Use --penalty none or l2 for more than two classes." },
        { "train --data {ok.csv} --penalty firth --stream", "--penalty firth fits dense rows in memory in one process; drop --distributed, --stream or the LIBSVM file (use a CSV)." },
        { "train --data {ok.csv} --penalty firth --no-intercept", "--penalty firth fits an intercept; drop --no-intercept." },
        { "train --data {ok.csv} --penalty firth --cov HC1", "--penalty firth reports the penalised-likelihood standard errors; drop --cov." },
    };

    [Fact]
    public void Predict_intervals_need_a_model_trained_with_summary()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("ok.csv"), Files["ok.csv"]);
        string run = folder.File("run");
        Assert.Equal(0, CliProcess.Run("train", "--data", folder.File("ok.csv"), "--test-fraction", "0", "--quiet", "--out", run).ExitCode);
        var before = Snapshot.Of(folder.Path);
        var predict = CliProcess.Run("predict", "--model", Path.Combine(run, "model.bin"), "--data", folder.File("ok.csv"), "--out", folder.File("p.csv"), "--intervals", "0.95");
        BadInputRun.AssertRefused(predict, "stores no covariance for intervals; train it with --summary");
        Assert.Equal(before, Snapshot.Of(folder.Path));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fails_with_one_clear_line_and_writes_nothing(string command, string expected)
    {
        using var folder = new TempFolder();
        foreach (var (name, text) in Files) File.WriteAllText(folder.File(name), text);
        string outDir = folder.File("out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "previous.txt"), "output of an earlier run");
        var before = Snapshot.Of(folder.Path);
        string[] args = BadInputRun.Arguments(command, folder, outDir);
        if (!args.Contains("--out") && !command.StartsWith("compare-models", StringComparison.Ordinal)) args = args.Concat(new[] { "--out", outDir }).ToArray();
        var run = CliProcess.Run(args);
        BadInputRun.AssertRefused(run, expected);
        Assert.Equal(before, Snapshot.Of(folder.Path));
    }
}
