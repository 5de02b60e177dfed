namespace TorchLogistic.Tests.Support;

/// <summary>Paths in the repository the tests were built from.</summary>
public static class Repository
{
    /// <summary>The folder holding TorchLogistic.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => global::System.IO.Path.Combine(new[] { Root }.Concat(parts).ToArray());

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(global::System.IO.Path.Combine(dir.FullName, "TorchLogistic.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"No TorchLogistic.sln above {AppContext.BaseDirectory}.");
    }
}
