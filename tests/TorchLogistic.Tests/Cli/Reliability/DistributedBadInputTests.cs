using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Cli.Reliability;

/// <summary>Distributed options refused before MPI is loaded or any file is read: exit 2, one line naming the fix, nothing written.</summary>
[Collection(TwoLaneCollections.ChildProcesses)]
public class DistributedBadInputTests
{
    [Theory]
    [InlineData("train --data iris --checkpoint-every 5 --out {out}", "--checkpoint-every and --resume apply to --distributed")]
    [InlineData("train --data iris --resume --out {out}", "add --distributed")]
    [InlineData("train --data iris --distributed --stream --out {out}", "drop --stream")]
    [InlineData("train --data iris --distributed --test-fraction 0.2 --out {out}", "Drop --test-fraction")]
    [InlineData("train --data iris --distributed --summary --out {out}", "drop --summary with --distributed")]
    [InlineData("train --data iris --distributed --checkpoint-every -1 --out {out}", "--checkpoint-every -1 must be ≥ 0")]
    public void IsRefusedWithTheFix(string command, string expected)
    {
        using var folder = new TempFolder();
        string outDir = folder.File("out");
        var run = CliProcess.Run(BadInputRun.Arguments(command, folder, outDir));
        BadInputRun.AssertRefused(run, expected);
        Assert.False(Directory.Exists(outDir));
    }
}
