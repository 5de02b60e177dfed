namespace TorchLogistic.Tests.Support;

/// <summary>A model.bin trained by the real executable on a small CSV, for tests that need a model to feed a command.</summary>
public static class TrainedModel
{
    /// <summary>Trains on <paramref name="csv"/> (all rows, no test split) and returns model.bin's bytes.</summary>
    public static byte[] FromCsv(string csv)
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("train.csv"), csv);
        var run = CliProcess.Run("train", "--data", folder.File("train.csv"), "--test-fraction", "0", "--out", folder.File("run"), "--quiet");
        Assert.True(run.ExitCode == 0, run.Stderr);
        return File.ReadAllBytes(Path.Combine(folder.File("run"), "model.bin"));
    }
}
