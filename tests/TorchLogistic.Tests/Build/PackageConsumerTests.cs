using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Build;

/// <summary>
/// The "programmatic training script" client: a fresh console app outside the repository that references the
/// package this build packed into artifacts/packages (its content-hash version, so a stale copy in the NuGet
/// cache cannot stand in for it), trained with the README's first command's settings, after `dotnet run` and
/// after `dotnet publish`.
/// </summary>
public class PackageConsumerTests
{
    private const string Program = """
        using TorchLogistic.Data;
        using TorchLogistic.Metrics;
        using TorchLogistic.Training;

        var data = BuiltinDatasets.load("breast-cancer");
        var (train, test) = TrainTestSplit.split(data, 0.2, seed: 0);
        using var model = Trainer.fit(train, new TrainingOptions { standardize = true });
        Console.WriteLine($"test accuracy {Evaluation.of(model, test).accuracy:F4}");
        Console.WriteLine($"native {TorchLogistic.Native.TorchSharpNative.library}");
        """;

    [Fact]
    public void A_console_app_on_the_packed_package_trains_after_run_and_after_publish()
    {
        string packages = Repository.path("artifacts", "packages");
        // TorchLogistic.0.1.0-local-….nupkg, beside its dependencies TorchLogistic.Core and TorchLogistic.Plotting.
        string package = Assert.Single(Directory.GetFiles(packages, "TorchLogistic.*.nupkg"), p => char.IsDigit(Path.GetFileName(p)["TorchLogistic.".Length]));
        string version = Path.GetFileNameWithoutExtension(package)["TorchLogistic.".Length..];
        using var folder = new TempFolder();
        File.WriteAllText(folder.file("NuGet.config"),
            $"<configuration><packageSources><add key=\"torchlogistic-local\" value=\"{packages}\" /></packageSources></configuration>");
        File.WriteAllText(folder.file("Consumer.csproj"), $"""
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
        File.WriteAllText(folder.file("Program.cs"), Program);
        var limit = TimeSpan.FromMinutes(10);

        var run = ExternalProcess.run("dotnet", new[] { "run", "-c", "Release" }, folder.path, limit);
        Assert.True(run.exit_code == 0, $"dotnet run failed ({run.exit_code}):\n{run.stdout}\n{run.stderr}");
        // The same split, scaling and default solver as `torchlogistic train --data breast-cancer --standardize`.
        Assert.Contains("test accuracy 0.9649", run.stdout);
        Assert.Contains("/bin/Release/net10.0/runtimes/linux-x64/native/libLibTorchSharp.so", run.stdout);

        var publish = ExternalProcess.run("dotnet", new[] { "publish", "-c", "Release", "-o", folder.file("published") }, folder.path, limit);
        Assert.True(publish.exit_code == 0, $"dotnet publish failed ({publish.exit_code}):\n{publish.stdout}\n{publish.stderr}");
        // Free the build output's copy of libtorch before the published one runs (disk is shared).
        Directory.Delete(folder.file("bin"), recursive: true);
        var published = ExternalProcess.run("dotnet", new[] { folder.file(Path.Combine("published", "Consumer.dll")) }, folder.path, limit);
        Assert.True(published.exit_code == 0, $"the published app failed ({published.exit_code}):\n{published.stdout}\n{published.stderr}");
        Assert.Contains("test accuracy 0.9649", published.stdout);
        Assert.Contains("/published/", published.stdout);
    }
}
