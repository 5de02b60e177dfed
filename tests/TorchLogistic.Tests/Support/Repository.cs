namespace TorchLogistic.Tests.Support;

/// <summary>Paths in the repository the tests were built from.</summary>
public static class Repository
{
    /// <summary>The folder holding TorchLogistic.sln, found by walking up from the test binaries.</summary>
    public static string root { get; } = find_root();

    public static string path(params string[] parts) => Path.Combine(new[] { root }.Concat(parts).ToArray());

    private static string find_root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TorchLogistic.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"No TorchLogistic.sln above {AppContext.BaseDirectory}.");
    }
}
