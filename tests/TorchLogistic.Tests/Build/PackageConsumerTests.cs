using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Build;

/// <summary>
/// The "programmatic training script" client: a fresh console app outside the repository that references the
/// package this build packed into artifacts/packages (its content-hash version, so a stale copy in the NuGet
/// cache cannot stand in for it), trained with the README's first command's settings, after `dotnet run` and
/// after `dotnet publish`.
/// </summary>
[Collection(TwoLaneCollections.ChildProcesses)]
public class PackageConsumerTests
{
    private const string Program = """
        using TorchLogistic.Data;
        using TorchLogistic.Metrics;
        using TorchLogistic.Training;

        var data = BuiltinDatasets.Load("breast-cancer");
        var (train, test) = TrainTestSplit.Split(data, 0.2, seed: 0);
        using var model = Trainer.Fit(train, new TrainingOptions { Standardize = true });
        Console.WriteLine($"test accuracy {Evaluation.Of(model, test).Accuracy:F4}");
        Console.WriteLine($"native {TorchLogistic.Native.TorchSharpNative.Library}");
        """;

    [Fact]
    public void A_console_app_on_the_packed_package_trains_after_run_and_after_publish()
    {
        string packages = Repository.Path("artifacts", "packages");
        // TorchLogistic.0.1.0-local-….nupkg, beside its dependencies TorchLogistic.Core and TorchLogistic.Plotting.
        string package = Assert.Single(Directory.GetFiles(packages, "TorchLogistic.*.nupkg"), p => char.IsDigit(Path.GetFileName(p)["TorchLogistic.".Length]));
        string version = Path.GetFileNameWithoutExtension(package)["TorchLogistic.".Length..];
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("NuGet.config"),
            $"<configuration><packageSources><add key=\"torchlogistic-local\" value=\"{packages}\" /></packageSources></configuration>");
        File.WriteAllText(folder.File("Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="TorchLogistic" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(folder.File("Program.cs"), Program);
        var limit = TimeSpan.FromMinutes(10);

        var run = ExternalProcess.Run("dotnet", new[] { "run", "-c", "Release" }, folder.Path, limit);
        Assert.True(run.ExitCode == 0, $"dotnet run failed ({run.ExitCode}):\n{run.Stdout}\n{run.Stderr}");
        // The same split, scaling and default solver as `torchlogistic train --data breast-cancer --standardize`.
        Assert.Contains("test accuracy 0.9649", run.Stdout);
        Assert.Contains("/bin/Release/net10.0/runtimes/linux-x64/native/libLibTorchSharp.so", run.Stdout);

        var publish = ExternalProcess.Run("dotnet", new[] { "publish", "-c", "Release", "-o", folder.File("published") }, folder.Path, limit);
        Assert.True(publish.ExitCode == 0, $"dotnet publish failed ({publish.ExitCode}):\n{publish.Stdout}\n{publish.Stderr}");
        // Free the build output's copy of libtorch before the published one runs (disk is shared).
        Directory.Delete(folder.File("bin"), recursive: true);
        var published = ExternalProcess.Run("dotnet", new[] { folder.File(Path.Combine("published", "Consumer.dll")) }, folder.Path, limit);
        Assert.True(published.ExitCode == 0, $"the published app failed ({published.ExitCode}):\n{published.Stdout}\n{published.Stderr}");
        Assert.Contains("test accuracy 0.9649", published.Stdout);
        Assert.Contains("/published/", published.Stdout);
    }
}
