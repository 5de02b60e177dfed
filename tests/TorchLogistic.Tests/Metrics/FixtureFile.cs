using System.Text.Json.Nodes;

namespace TorchLogistic.Tests.Metrics;

/// <summary>Reads the recorded reference values under Fixtures/ (see Fixtures/scripts/ for how each was made).</summary>
public static class FixtureFile
{
    public static JsonNode Read(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)))!;

    public static double[] Doubles(JsonNode? node) => node!.AsArray().Select(v => (double)v!).ToArray();

    public static int[] Ints(JsonNode? node) => node!.AsArray().Select(v => (int)v!).ToArray();
}
