using System.Globalization;

namespace TorchLogistic.Training;

/// <summary>
/// Refuses a dense matrix before it is allocated when it cannot fit in the memory the machine has available
/// (Linux <c>MemAvailable</c>, bounded by the process's GC limit), so that one option value cannot make the
/// process grow until the OS kills it.
/// </summary>
public static class MemoryBudget
{
    /// <summary>Bytes the process can still allocate: the smaller of the OS's available memory and the GC's limit.</summary>
    public static long AvailableBytes()
    {
        long gc = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        try
        {
            foreach (string line in File.ReadLines("/proc/meminfo"))
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal)
                    && long.TryParse(line["MemAvailable:".Length..].Trim().Split(' ')[0], out long kib))
                    return Math.Min(gc, kib * 1024);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return gc;
    }

    /// <summary>
    /// Throws when <paramref name="copies"/> dense <paramref name="n"/> × <paramref name="n"/> matrices of
    /// <paramref name="elementSize"/>-byte entries exceed <see cref="AvailableBytes"/>.
    /// </summary>
    /// <param name="what">What the matrix is, e.g. "Solver 'newton' needs a dense Hessian".</param>
    /// <param name="n">Rows and columns.</param>
    /// <param name="elementSize">Bytes per entry (8 for float64).</param>
    /// <param name="copies">Matrices of that size alive at once (the matrix, its factor, temporaries).</param>
    /// <param name="fix">What to do instead.</param>
    /// <exception cref="InsufficientMemoryException">It does not fit.</exception>
    public static void CheckSquare(string what, long n, int elementSize, int copies, string fix) =>
        CheckMatrix(what, n, n, elementSize, copies, fix);

    /// <summary>Throws when <paramref name="copies"/> dense <paramref name="rows"/> × <paramref name="columns"/> matrices exceed <see cref="AvailableBytes"/>.</summary>
    /// <exception cref="InsufficientMemoryException">They do not fit.</exception>
    public static void CheckMatrix(string what, long rows, long columns, int elementSize, int copies, string fix)
    {
        double bytes = (double)rows * columns * elementSize * copies;
        long available = AvailableBytes();
        if (bytes > available)
            throw new InsufficientMemoryException(string.Create(CultureInfo.InvariantCulture,
                $"{what} of {rows:N0} × {columns:N0} entries: {bytes / 1e9:F1} GB with its working copies, but {available / 1e9:F1} GB of memory are available. {fix}"));
    }
}
