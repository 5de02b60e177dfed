using System.Security.Cryptography;
using TorchLogistic.Build;

namespace TorchLogistic.Native;

/// <summary>
/// A private copy of <c>libLibTorchSharp.so</c> with the symbol versions the system's libstdc++ lacks marked weak
/// (the build step's fix, <c>build/ElfWeakVersionPatch.cs</c>, applied at run time), in a per-user cache folder
/// named after the SHA-256 of the original. Written to a unique temporary file and renamed into place, so two
/// processes starting at once each see either no file or a complete one; an existing copy is reused only if its
/// bytes are exactly the patched original.
/// </summary>
internal static class PatchedCopy
{
    /// <summary>Which of the original's required <c>libstdc++.so.6</c> versions the system lacks (strong requirements only).</summary>
    public static List<ElfVersionNeed.Requirement> MissingVersions(byte[] elf, ISet<string> defined) =>
        ElfVersionNeed.ReadRequirements(elf).Where(r => r.Library == "libstdc++.so.6" && !r.IsWeak && !defined.Contains(r.Version)).ToList();

    /// <summary>The path of the patched copy of <paramref name="original"/>, creating it if needed.</summary>
    /// <param name="original">The shipped library.</param>
    /// <param name="missing">The versions to mark weak (from <see cref="MissingVersions"/>).</param>
    /// <param name="libstdcxx">The system library that lacks them (for messages).</param>
    /// <param name="cacheRoot">The cache folder (see <see cref="DefaultCacheRoot"/>).</param>
    public static string Get(string original, IReadOnlyList<ElfVersionNeed.Requirement> missing, string libstdcxx, string cacheRoot)
    {
        byte[] elf = File.ReadAllBytes(original);
        foreach (var r in missing)
        {
            var (symbols, relocations) = ElfVersionNeed.SymbolsOfVersion(elf, r.Index);
            if (relocations > 0)
                throw new TorchSharpNativeException(
                    $"{original} needs {r.Version} from libstdc++.so.6, which {libstdcxx} lacks, and {relocations} relocation(s) use it " +
                    $"({string.Join(", ", symbols)}), so it cannot be made to load. Fix: install a libstdc++ that defines {r.Version} (GCC 13 or later).");
            ElfVersionNeed.MakeWeak(elf, r.Library, r.Version);
        }
        string folder = Path.Combine(cacheRoot, Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(original)))[..32].ToLowerInvariant());
        string target = Path.Combine(folder, NativeFiles.TorchSharpFile);
        if (File.Exists(target) && File.ReadAllBytes(target).AsSpan().SequenceEqual(elf)) return target;
        try
        {
            Directory.CreateDirectory(folder);
            string temp = Path.Combine(folder, $".{NativeFiles.TorchSharpFile}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            File.WriteAllBytes(temp, elf);
            File.Move(temp, target, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TorchSharpNativeException(
                $"TorchSharp's {NativeFiles.TorchSharpFile} needs {string.Join(", ", missing.Select(m => m.Version))}, which {libstdcxx} lacks, " +
                $"and its patched copy could not be written to {folder}: {e.Message} Fix: make that folder writable, or set " +
                $"TORCHLOGISTIC_NATIVE_CACHE to a writable folder.", e);
        }
        return target;
    }

    /// <summary><c>$TORCHLOGISTIC_NATIVE_CACHE</c>, else <c>$XDG_CACHE_HOME/torchlogistic/native</c>, else <c>~/.cache/torchlogistic/native</c>.</summary>
    public static string DefaultCacheRoot()
    {
        string? explicitRoot = Environment.GetEnvironmentVariable("TORCHLOGISTIC_NATIVE_CACHE");
        if (!string.IsNullOrEmpty(explicitRoot)) return explicitRoot;
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string baseDir = !string.IsNullOrEmpty(xdg) ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home ? home : Path.GetTempPath(), ".cache");
        return Path.Combine(baseDir, "torchlogistic", "native");
    }
}
