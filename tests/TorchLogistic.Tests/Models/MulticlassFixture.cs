using System.Text.Json.Nodes;

namespace TorchLogistic.Tests.Models;

/// <summary>Reads <c>Fixtures/multiclass_sklearn.json</c> (made by <c>Fixtures/scripts/multiclass_sklearn.py</c>).</summary>
public static class MulticlassFixture
{
    private static readonly Lazy<JsonObject> Root = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "multiclass_sklearn.json")))!.AsObject());

    public static JsonNode Get(string path) =>
        path.Split('.').Aggregate((JsonNode)Root.Value, (node, key) => node[key] ?? throw new KeyNotFoundException($"The fixture has no '{path}'."));

    public static double[] Numbers(string path) => Get(path).AsArray().Select(n => (double)n!).ToArray();

    public static int[] Integers(string path) => Get(path).AsArray().Select(n => (int)n!).ToArray();

    /// <summary>θ = [vec(coef); intercept] of a fitted scikit-learn model, in TorchLogistic's layout.</summary>
    public static double[] Theta(string model) =>
        Get(model + ".coef").AsArray().SelectMany(row => row!.AsArray().Select(v => (double)v!)).Concat(Numbers(model + ".intercept")).ToArray();
}
