using System.Runtime.InteropServices;

namespace TorchLogistic.Cli;

/// <summary>A path with every symbolic link resolved (the part that does not exist yet kept as given), to compare outputs with inputs.</summary>
internal static class RealPath
{
    public static string Of(string path)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        string existing = full, rest = "";
        while (!Path.Exists(existing))
        {
            rest = rest.Length == 0 ? Path.GetFileName(existing) : Path.Combine(Path.GetFileName(existing), rest);
            string? parent = Path.GetDirectoryName(existing);
            if (parent == null) return full;
            existing = parent;
        }
        IntPtr resolved = realpath(existing, IntPtr.Zero);
        if (resolved == IntPtr.Zero) return full;
        try
        {
            string real = Marshal.PtrToStringUTF8(resolved)!;
            return rest.Length == 0 ? real : Path.Combine(real, rest);
        }
        finally
        {
            free(resolved);
        }
    }

    [DllImport("libc.so.6", SetLastError = true)]
    private static extern IntPtr realpath(string path, IntPtr resolved);

    [DllImport("libc.so.6")]
    private static extern void free(IntPtr pointer);
}
