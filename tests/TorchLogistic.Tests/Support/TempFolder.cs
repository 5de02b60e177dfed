namespace TorchLogistic.Tests.Support;

/// <summary>A fresh folder under the system temp folder, deleted on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        path = Path.Combine(Path.GetTempPath(), "torchlogistic-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
    }

    public string path { get; }

    public string file(string name) => Path.Combine(path, name);

    public void Dispose()
    {
        try { Directory.Delete(path, recursive: true); } catch (IOException) { }
    }
}
