namespace TorchLogistic.Cli;

/// <summary>
/// An output folder checked before any work: it exists or can be made, and can be written. A folder made
/// for a run that then fails is removed again (if still empty), so a failed command leaves nothing behind.
/// </summary>
internal sealed class OutputFolder : IDisposable
{
    private readonly bool created;
    private bool kept;

    private OutputFolder(string path, bool created)
    {
        this.path = path;
        this.created = created;
    }

    public string path { get; }

    /// <summary>Checks (and if needed creates) <paramref name="directory"/>.</summary>
    public static OutputFolder prepare(string directory)
    {
        if (File.Exists(directory))
            throw new IOException($"Output folder '{directory}' is a file. Pass --out a folder path.");
        bool existed = Directory.Exists(directory);
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
        return new OutputFolder(directory, created: !existed);
    }

    /// <summary>Checks that the folder of the output file <paramref name="path"/> can be written.</summary>
    public static OutputFolder prepare_for_file(string path) => prepare(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");

    /// <summary>The command succeeded: keep the folder.</summary>
    public void keep() => kept = true;

    /// <summary>Removes a folder this run created if the run failed and left it empty.</summary>
    public void Dispose()
    {
        if (kept || !created) return;
        try
        {
            if (Directory.Exists(path) && !Directory.EnumerateFileSystemEntries(path).Any()) Directory.Delete(path);
        }
        catch (IOException) { }
    }
}
