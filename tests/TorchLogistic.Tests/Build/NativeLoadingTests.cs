using System.Reflection;
using TorchLogistic.Build;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Build;

public class NativeLoadingTests
{
    private static string PackageRoot =>
        typeof(NativeLoadingTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NuGetPackageRoot").Value!;

    private static string OriginalLibrary => Path.Combine(PackageRoot, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    private static bool SystemHasVersion =>
        ElfVersionNeed.ReadDefinedVersions(File.ReadAllBytes(ElfVersionNeed.FindSystemLibrary("libstdc++.so.6")!)).Contains("GLIBCXX_3.4.32");

    [Fact]
    public void TorchSharp_loads_and_computes_a_known_product()
    {
        using var a = tensor(new double[] { 1, 2, 3, 4 }, new long[] { 2, 2 });
        using var b = tensor(new double[] { 5, 6, 7, 8 }, new long[] { 2, 2 });
        using var c = a.matmul(b);
        Assert.Equal(new double[] { 19, 22, 43, 50 }, c.data<double>().ToArray());
    }

    [Fact]
    public void Original_library_needs_GLIBCXX_3_4_32_only_for_one_symbol_without_relocations()
    {
        byte[] elf = File.ReadAllBytes(OriginalLibrary);
        var requirement = ElfVersionNeed.ReadRequirements(elf).Single(r => r.Version == "GLIBCXX_3.4.32");
        Assert.Equal("libstdc++.so.6", requirement.Library);
        Assert.False(requirement.IsWeak);
        var (symbols, relocations) = ElfVersionNeed.SymbolsOfVersion(elf, requirement.Index);
        Assert.Equal(new[] { "_ZSt21ios_base_library_initv" }, symbols);
        Assert.Equal(0, relocations);
    }

    [Fact]
    public void Patch_changes_only_the_flags_of_that_entry_and_is_idempotent()
    {
        byte[] original = File.ReadAllBytes(OriginalLibrary);
        byte[] patched = (byte[])original.Clone();
        Assert.Equal(ElfPatchOutcome.Patched, ElfVersionNeed.MakeWeak(patched, "libstdc++.so.6", "GLIBCXX_3.4.32"));
        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToList();
        Assert.Single(changed);
        var requirement = ElfVersionNeed.ReadRequirements(patched).Single(r => r.Version == "GLIBCXX_3.4.32");
        Assert.True(requirement.IsWeak);
        Assert.Equal(requirement.FlagsOffset, changed[0]);
        // Every other requirement is untouched.
        Assert.Equal(
            ElfVersionNeed.ReadRequirements(original).Where(r => r.Version != "GLIBCXX_3.4.32").Select(r => (r.Library, r.Version, r.Flags)),
            ElfVersionNeed.ReadRequirements(patched).Where(r => r.Version != "GLIBCXX_3.4.32").Select(r => (r.Library, r.Version, r.Flags)));
        byte[] again = (byte[])patched.Clone();
        Assert.Equal(ElfPatchOutcome.AlreadyWeak, ElfVersionNeed.MakeWeak(again, "libstdc++.so.6", "GLIBCXX_3.4.32"));
        Assert.Equal(patched, again);
        Assert.Equal(ElfPatchOutcome.NotRequired, ElfVersionNeed.MakeWeak(again, "libstdc++.so.6", "GLIBCXX_9.9.99"));
    }

    [Fact]
    public void Build_output_is_patched_exactly_when_the_system_lacks_the_version()
    {
        string output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var requirement = ElfVersionNeed.ReadRequirements(File.ReadAllBytes(output)).Single(r => r.Version == "GLIBCXX_3.4.32");
        Assert.Equal(!SystemHasVersion, requirement.IsWeak);
    }

    [Fact]
    public void Rejects_files_that_are_not_64_bit_ELF()
    {
        Assert.Throws<InvalidDataException>(() => ElfVersionNeed.ReadRequirements(new byte[100]));
        byte[] elf32 = new byte[100];
        elf32[0] = 0x7f; elf32[1] = (byte)'E'; elf32[2] = (byte)'L'; elf32[3] = (byte)'F'; elf32[4] = 1; elf32[5] = 1;
        Assert.Throws<InvalidDataException>(() => ElfVersionNeed.ReadRequirements(elf32));
    }
}
