namespace TorchLogistic.Cli;

/// <summary>Checks, before any work, that an output folder exists or can be made and can be written.</summary>
internal static class OutputFolder
{
    public static void prepare(string directory)
    {
        if (File.Exists(directory))
            throw new IOException($"Output folder '{directory}' is a file. Pass --out a folder path.");
        try
        {
            Directory.CreateDirectory(directory);
            string probe = Path.Combine(directory, $".write-test-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, Array.Empty<byte>());
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Output folder '{directory}' cannot be written ({e.Message}). Choose a folder you can write to with --out.", e);
        }
    }

    /// <summary>Checks that the folder of an output file can be written.</summary>
    public static void prepare_for_file(string path) => prepare(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
}
