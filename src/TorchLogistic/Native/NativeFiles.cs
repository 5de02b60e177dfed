using System.Reflection;

namespace TorchLogistic.Native;

/// <summary>
/// Where TorchSharp's native libraries are for this process: next to the application (a build or publish
/// output, which the build step has already fixed), or in the NuGet package folders (a notebook kernel, which
/// loads <c>TorchSharp.dll</c> straight from <c>torchsharp/&lt;version&gt;/lib/net8.0/</c>).
/// </summary>
/// <param name="TorchCpu">Absolute path of <c>libtorch_cpu.so</c>.</param>
/// <param name="Torch">Absolute path of <c>libtorch.so</c>.</param>
/// <param name="Torchsharp">Absolute path of <c>libLibTorchSharp.so</c> as shipped (maybe needing the fix).</param>
internal sealed record NativeFiles(string TorchCpu, string Torch, string Torchsharp)
{
    internal const string TorchSharpFile = "libLibTorchSharp.so";
    private const string Rid = "linux-x64";

    /// <summary>The application's own copies if it has them, else the NuGet packages'; null when neither is found.</summary>
    public static NativeFiles? Find()
    {
        var torchsharp = typeof(TorchSharp.torch).Assembly;
        return InApplication() ?? (LibtorchVersion(torchsharp) is string version ? InPackages(torchsharp.Location, version) : null);
    }

    private static NativeFiles? InApplication()
    {
        string app = AppContext.BaseDirectory;
        foreach (string dir in new[] { Path.Combine(app, "runtimes", Rid, "native"), app })
        {
            var files = InFolder(dir, dir);
            if (files != null) return files;
        }
        return null;
    }

    /// <summary>
    /// <c>&lt;root&gt;/torchsharp/&lt;v&gt;/lib/&lt;tfm&gt;/TorchSharp.dll</c> → <c>&lt;root&gt;/torchsharp/&lt;v&gt;/runtimes/linux-x64/native/</c>
    /// and the libtorch package TorchSharp was built for, <c>&lt;root&gt;/libtorch-cpu-linux-x64/&lt;libtorch version&gt;/runtimes/linux-x64/native/</c>.
    /// </summary>
    /// <param name="torchsharpLocation">Path of the loaded <c>TorchSharp.dll</c>.</param>
    /// <param name="version">The libtorch package version, e.g. <c>2.10.0</c>.</param>
    internal static NativeFiles? InPackages(string torchsharpLocation, string version)
    {
        string? lib = Path.GetDirectoryName(torchsharpLocation);
        if (string.IsNullOrEmpty(lib)) return null;
        string home = Path.GetFullPath(Path.Combine(lib, "..", ".."));
        string root = Path.GetFullPath(Path.Combine(home, "..", ".."));
        string torchDir = Path.Combine(root, $"libtorch-cpu-{Rid}", version, "runtimes", Rid, "native");
        return InFolder(torchDir, Path.Combine(home, "runtimes", Rid, "native"));
    }

    private static NativeFiles? InFolder(string torchDir, string torchsharpDir)
    {
        string cpu = Path.Combine(torchDir, "libtorch_cpu.so"), torch = Path.Combine(torchDir, "libtorch.so");
        string sharp = Path.Combine(torchsharpDir, TorchSharpFile);
        return File.Exists(cpu) && File.Exists(torch) && File.Exists(sharp) ? new NativeFiles(cpu, torch, sharp) : null;
    }

    /// <summary>
    /// The libtorch package version TorchSharp was built against, as NuGet spells its folder ("2.10.0.0" → "2.10.0"),
    /// read from TorchSharp's constant without running <c>torch</c>'s static constructor (which loads the natives).
    /// </summary>
    internal static string? LibtorchVersion(Assembly torchsharp)
    {
        var field = torchsharp.GetType("TorchSharp.torch")?.GetField("libtorchPackageVersion", BindingFlags.NonPublic | BindingFlags.Static);
        if (field?.GetRawConstantValue() is not string raw || !Version.TryParse(raw, out var v)) return null;
        return v.Revision > 0 ? v.ToString(4) : v.ToString(3);
    }
}
