using System.Reflection;
using TorchLogistic.Build;
using TorchLogistic.Native;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Native;

public class TorchSharpNativeTests
{
    private static string PackageRoot =>
        typeof(TorchSharpNativeTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NuGetPackageRoot").Value!;

    private static string OriginalLibrary => Path.Combine(PackageRoot, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    /// <summary>A libstdc++ like Debian 12's: every version the library needs but GLIBCXX_3.4.32.</summary>
    private static readonly HashSet<string> OldLibstdcxx = ElfVersionNeed.ReadRequirements(File.ReadAllBytes(OriginalLibrary))
        .Select(r => r.Version).Where(v => v != "GLIBCXX_3.4.32").ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void In_an_application_the_build_outputs_copy_is_the_one_loaded()
    {
        TorchSharpNative.Ensure();
        TorchSharpNative.Ensure();
        string output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.Equal(output, TorchSharpNative.Library);
    }

    [Fact]
    public void Package_layout_gives_TorchSharps_own_libtorch_version()
    {
        Assert.Equal("2.10.0", NativeFiles.LibtorchVersion(typeof(TorchSharp.torch).Assembly));
        var files = NativeFiles.InPackages(Path.Combine(PackageRoot, "torchsharp", "0.107.0", "lib", "net8.0", "TorchSharp.dll"), "2.10.0");
        Assert.NotNull(files);
        string native = Path.Combine(PackageRoot, "libtorch-cpu-linux-x64", "2.10.0", "runtimes", "linux-x64", "native");
        Assert.Equal(Path.Combine(native, "libtorch_cpu.so"), files!.TorchCpu);
        Assert.Equal(Path.Combine(native, "libtorch.so"), files.Torch);
        Assert.Equal(OriginalLibrary, files.Torchsharp);
        Assert.Null(NativeFiles.InPackages(Path.Combine(PackageRoot, "torchsharp", "0.107.0", "lib", "net8.0", "TorchSharp.dll"), "9.9.9"));
    }

    [Fact]
    public void Only_versions_the_system_lacks_are_missing()
    {
        byte[] elf = File.ReadAllBytes(OriginalLibrary);
        Assert.Equal(new[] { "GLIBCXX_3.4.32" }, PatchedCopy.MissingVersions(elf, OldLibstdcxx).Select(r => r.Version));
        var all = ElfVersionNeed.ReadRequirements(elf).Select(r => r.Version).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(PatchedCopy.MissingVersions(elf, all));
    }

    [Fact]
    public void Patched_copy_is_keyed_by_content_differs_in_one_byte_and_is_reused()
    {
        using var cache = new TempFolder();
        byte[] original = File.ReadAllBytes(OriginalLibrary);
        var missing = PatchedCopy.MissingVersions(original, OldLibstdcxx);
        string path = PatchedCopy.Get(OriginalLibrary, missing, "/old/libstdc++.so.6", cache.Path);
        Assert.StartsWith(cache.Path, path);
        Assert.Equal(32, Path.GetFileName(Path.GetDirectoryName(path))!.Length);
        byte[] patched = File.ReadAllBytes(path);
        Assert.Single(Enumerable.Range(0, original.Length), i => original[i] != patched[i]);
        Assert.True(ElfVersionNeed.ReadRequirements(patched).Single(r => r.Version == "GLIBCXX_3.4.32").IsWeak);
        var written = File.GetLastWriteTimeUtc(path);
        Thread.Sleep(20);
        Assert.Equal(path, PatchedCopy.Get(OriginalLibrary, missing, "/old/libstdc++.so.6", cache.Path));
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));
        // A damaged copy is replaced.
        File.WriteAllBytes(path, new byte[10]);
        Assert.Equal(patched, File.ReadAllBytes(PatchedCopy.Get(OriginalLibrary, missing, "/old/libstdc++.so.6", cache.Path)));
    }

    [Fact]
    public void Concurrent_first_uses_leave_one_complete_copy_and_no_temporary_files()
    {
        using var cache = new TempFolder();
        var missing = PatchedCopy.MissingVersions(File.ReadAllBytes(OriginalLibrary), OldLibstdcxx);
        var paths = new string[8];
        Parallel.For(0, paths.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => paths[i] = PatchedCopy.Get(OriginalLibrary, missing, "/old/libstdc++.so.6", cache.Path));
        Assert.Single(paths.Distinct());
        Assert.True(ElfVersionNeed.ReadRequirements(File.ReadAllBytes(paths[0])).Single(r => r.Version == "GLIBCXX_3.4.32").IsWeak);
        Assert.Equal(new[] { "libLibTorchSharp.so" }, Directory.GetFiles(Path.GetDirectoryName(paths[0])!).Select(Path.GetFileName));
    }

    [Fact]
    public void An_unwritable_cache_gives_one_error_naming_cause_and_fix()
    {
        using var folder = new TempFolder();
        string blocker = folder.File("not-a-folder");
        File.WriteAllText(blocker, "");
        var missing = PatchedCopy.MissingVersions(File.ReadAllBytes(OriginalLibrary), OldLibstdcxx);
        var e = Assert.Throws<TorchSharpNativeException>(() => PatchedCopy.Get(OriginalLibrary, missing, "/old/libstdc++.so.6", blocker));
        Assert.Contains("GLIBCXX_3.4.32, which /old/libstdc++.so.6 lacks", e.Message);
        Assert.Contains("TORCHLOGISTIC_NATIVE_CACHE", e.Message);
    }
}
