namespace TorchLogistic.Native;

/// <summary>The shared objects mapped into this process, from <c>/proc/self/maps</c> (absolute paths, each once).</summary>
internal static class LoadedLibraries
{
    public static IReadOnlyList<string> Read()
    {
        try
        {
            return File.ReadLines("/proc/self/maps")
                .Select(line => line.IndexOf('/') is int at and >= 0 ? line[at..] : "")
                .Where(p => p.Contains(".so", StringComparison.Ordinal))
                .Distinct(StringComparer.Ordinal)
                .ToList();
        }
        catch (IOException)
        {
            return Array.Empty<string>();
        }
    }
}
