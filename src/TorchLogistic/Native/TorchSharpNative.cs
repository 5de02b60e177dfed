using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchLogistic.Build;

namespace TorchLogistic.Native;

/// <summary>
/// Makes TorchSharp's native backend loadable wherever the library runs — console app, test host, published app,
/// notebook kernel — with no manual step. TorchSharp 0.107.0's <c>libLibTorchSharp.so</c> requires
/// <c>GLIBCXX_3.4.32</c>, which older libstdc++ (Debian 12) lacks; the build fixes the copies in output folders,
/// but a notebook kernel loads the natives from the NuGet package folders, and there TorchSharp's own search can
/// also bind a system libtorch of another version. So, before TorchSharp's static constructor runs, this loads by
/// absolute path TorchSharp's own <c>libtorch_cpu.so</c> and <c>libtorch.so</c>, then <c>libLibTorchSharp.so</c> —
/// the shipped file when the system's libstdc++ defines every version it needs, else a patched private copy
/// (<see cref="PatchedCopy"/>). TorchSharp's <c>DllImport</c>s then bind the libraries already loaded (by soname).
/// Runs once per process from the module initializer (the library's first use) and from the notebook kernel
/// extension; later calls return at once. Does nothing on other operating systems or when TorchSharp's natives
/// are already loaded.
/// </summary>
public static class TorchSharpNative
{
    private static readonly object Gate = new();
    private static string? _loaded;
    private static TorchSharpNativeException? _failure;

    /// <summary>The <c>libLibTorchSharp.so</c> this process uses, once <see cref="Ensure"/> has run on Linux; else null.</summary>
    public static string? Library => string.IsNullOrEmpty(_loaded) ? null : _loaded;

#pragma warning disable CA2255 // A library's module initializer is the point: it must run before the first TorchSharp call.
    [ModuleInitializer]
    internal static void Initialize()
    {
        // Never throw from here: a failing module initializer hangs the .NET Interactive kernel's extension loading
        // (measured with 1.0.712001). The failure is kept and thrown by the next explicit ensure().
        try { Ensure(); }
        catch (TorchSharpNativeException e) { _failure = e; }
    }
#pragma warning restore CA2255

    /// <summary>Loads TorchSharp's native libraries as described on the class; idempotent and thread-safe.</summary>
    /// <exception cref="TorchSharpNativeException">They cannot be loaded; the message names the cause and the fix.</exception>
    public static void Ensure()
    {
        if (_failure != null) throw new TorchSharpNativeException(_failure.Message, _failure);
        if (_loaded != null || !OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return;
        lock (Gate)
        {
            if (_loaded != null) return;
            var mapped = LoadedLibraries.Read();
            string? already = mapped.FirstOrDefault(p => Path.GetFileName(p) == NativeFiles.TorchSharpFile);
            var files = NativeFiles.Find();
            if (already != null || files == null)
            {
                // TorchSharp has loaded its natives (it works), or we cannot tell where they are (TorchSharp's own error will say).
                _loaded = already ?? "";
                return;
            }
            string? foreign = mapped.FirstOrDefault(p => Path.GetFileName(p).StartsWith("libtorch_cpu.so", StringComparison.Ordinal) && p != files.TorchCpu);
            if (foreign != null)
                throw new TorchSharpNativeException(
                    $"Another libtorch ({foreign}) is already loaded in this process, so TorchSharp's own ({files.TorchCpu}) cannot be used. " +
                    "Fix: restart the process (the notebook kernel) and reference TorchLogistic (#r \"nuget: TorchLogistic\") before anything uses TorchSharp.");
            string torchsharp = FixedLibrary(files.Torchsharp, mapped);
            Load(files.TorchCpu);
            Load(files.Torch);
            Load(torchsharp);
            _loaded = torchsharp;
        }
    }

    /// <summary>The shipped library, or its patched copy when the process's libstdc++ lacks a version it requires.</summary>
    private static string FixedLibrary(string shipped, IReadOnlyList<string> mapped)
    {
        string? libstdcxx = mapped.FirstOrDefault(p => Path.GetFileName(p) == "libstdc++.so.6" || Path.GetFileName(p).StartsWith("libstdc++.so.6.", StringComparison.Ordinal))
            ?? ElfVersionNeed.FindSystemLibrary("libstdc++.so.6");
        if (libstdcxx == null) return shipped;
        var missing = PatchedCopy.MissingVersions(File.ReadAllBytes(shipped), ElfVersionNeed.ReadDefinedVersions(File.ReadAllBytes(libstdcxx)));
        return missing.Count == 0 ? shipped : PatchedCopy.Get(shipped, missing, libstdcxx, PatchedCopy.DefaultCacheRoot());
    }

    private static void Load(string path)
    {
        try
        {
            NativeLibrary.Load(path);
        }
        catch (DllNotFoundException e)
        {
            throw new TorchSharpNativeException(
                $"TorchSharp's native library {path} failed to load: {e.Message} Fix: restore the TorchSharp-cpu package again " +
                "(a partial download leaves broken files) and check that the process is 64-bit Linux with glibc 2.28 or later.", e);
        }
    }
}
