namespace TorchLogistic.Tests.Reliability;

/// <summary>Every file below a folder with a hash of its bytes: equal snapshots mean nothing appeared or changed.</summary>
internal static class Snapshot
{
    public static IReadOnlyList<string> Of(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => Directory.Exists(p)
                ? $"{Path.GetRelativePath(root, p)}/"
                : $"{Path.GetRelativePath(root, p)} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(p)))}")
            .ToList();
}
