namespace TorchLogistic.Performance;

/// <summary>
/// The process's peak resident memory (Linux <c>VmHWM</c> from <c>/proc/self/status</c>), which counts what libtorch
/// allocates natively as well as the managed heap — the number a user whose data outgrows memory cares about.
/// </summary>
public static class PeakMemory
{
    /// <summary>Peak resident set size of this process in bytes, or <c>null</c> where <c>/proc</c> is not available.</summary>
    public static long? Bytes() => ReadKilobytes("VmHWM:") * 1024;

    /// <summary>Current resident set size of this process in bytes, or <c>null</c> where <c>/proc</c> is not available.</summary>
    public static long? CurrentBytes() => ReadKilobytes("VmRSS:") * 1024;

    /// <summary>
    /// Resets the peak to the current resident size (writes 5 to <c>/proc/self/clear_refs</c>, Linux ≥ 4.0), so that
    /// several measurements in one process each see their own peak. Returns false where that is not possible.
    /// </summary>
    public static bool Reset()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    static long? ReadKilobytes(string field)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status))
            return null;
        foreach (var line in File.ReadLines(status))
        {
            if (!line.StartsWith(field, StringComparison.Ordinal))
                continue;
            var parts = line[field.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        return null;
    }
}
