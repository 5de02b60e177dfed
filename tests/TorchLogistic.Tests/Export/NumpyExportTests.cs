using System.Text.Json;
using System.Text.RegularExpressions;
using TorchLogistic.Data;
using TorchLogistic.Export;
using TorchLogistic.IO;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;
using Xunit.Abstractions;

namespace TorchLogistic.Tests.Export;

public class NumpyExportTests(ITestOutputHelper output)
{
    private const string Marker = "<!-- numpy-predict-proba:";

    /// <summary>The ```python block that follows <paramref name="markerText"/> (default: the predict_proba one) in README.md, as it stands.</summary>
    internal static string ReadmeSnippet(string markerText = Marker)
    {
        string readme = File.ReadAllText(Repository.Path("README.md"));
        int marker = readme.IndexOf(markerText, StringComparison.Ordinal);
        Assert.True(marker >= 0, $"README.md has no '{markerText}' comment before its NumPy block.");
        var block = new Regex(@"\G[^\n]*-->\s*\n```python\n(.*?)\n```", RegexOptions.Singleline).Match(readme, marker);
        Assert.True(block.Success, "The NumPy marker is not directly followed by a ```python block.");
        return block.Groups[1].Value;
    }

    [Fact]
    public void The_readme_snippet_is_about_twenty_lines()
    {
        int lines = ReadmeSnippet().Split('\n').Count(l => l.Trim().Length > 0);
        Assert.InRange(lines, 5, 20);
    }

    [PythonTheory("numpy")]
    [InlineData("breast-cancer", ModelKind.Logistic, 1, false)]
    [InlineData("iris", ModelKind.OneVsRest, 2, true)]
    [InlineData("iris", ModelKind.Softmax, 3, false)]
    [InlineData("digits", ModelKind.Softmax, 1, true)]
    public void The_readme_snippet_rebuilds_predict_proba_with_numpy_alone(string dataset, ModelKind kind, int degree, bool standardize)
    {
        var data = BuiltinDatasets.Load(dataset);
        using var model = Trainer.Fit(data, new TrainingOptions { Model = kind, Standardize = standardize, PolynomialDegree = degree, MaxIterations = 100 });
        using var folder = new TempFolder();
        NumpyExport.Save(model, folder.File("model.npz"));
        NpyFile.Write(folder.File("x.npy"), data.Features, data.SampleCount, data.FeatureCount);

        string stdout = DebianPython.Run(ReadmeSnippet() + """

            import json
            m_json = json.loads(str(np.load("model.npz")["export_json"][0]))
            print(json.dumps({"p": predict_proba(np.load("x.npy")).ravel().tolist(),
                              "classes": [str(c) for c in m["classes"]], "features": [str(f) for f in m["feature_names"]],
                              "json_classes": m_json["classes"]}))
            """, folder.Path);

        var result = JsonDocument.Parse(stdout).RootElement;
        double[] p = result.GetProperty("p").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        double[] expected = model.PredictProbabilities(data).Values;
        double max = expected.Zip(p, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"{dataset} {kind} degree {degree} standardize {standardize}: max |numpy − library| = {max:E2}");
        Assert.Equal(expected.Length, p.Length);
        Assert.True(max <= 1e-12, $"max difference {max:E3}");
        Assert.Equal(model.Classes, result.GetProperty("classes").EnumerateArray().Select(c => c.GetString()!));
        Assert.Equal(model.Classes, result.GetProperty("json_classes").EnumerateArray().Select(c => c.GetString()!));
        Assert.Equal(model.FeatureNames, result.GetProperty("features").EnumerateArray().Select(c => c.GetString()!));
    }

    [Fact]
    public void The_json_document_reads_back_to_the_same_predictions_and_names_each_step()
    {
        var sample = TabularSample.Create();
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("people.csv"), sample.Csv);
        var data = TabularCsv.Load(folder.File("people.csv"), new TabularOptions { Missing = MissingStrategy.Median, MissingIndicator = true, CategoricalDrop = CategoricalDrop.First });
        using var model = Trainer.Fit(data, new TrainingOptions { Model = ModelKind.OneVsRest, Standardize = true, PolynomialDegree = 2 });
        string text = ExportDocument.ToText(model);

        using var loaded = ExportDocument.FromJson(text, "model.json");

        var table = TabularTable.Load(folder.File("people.csv"));
        Assert.Equal(model.PredictProbabilities(table).Values, loaded.PredictProbabilities(table).Values);
        var doc = JsonDocument.Parse(text).RootElement;
        Assert.Equal("ovr", doc.GetProperty("model").GetString());
        // Five raw columns' worth of encoded features (age, age[missing], colour[green], colour[red], colour[missing], size, city×3): 9, expanded to 9 + 45.
        Assert.Equal(9, doc.GetProperty("feature_names").GetArrayLength());
        Assert.Equal(54, doc.GetProperty("model_feature_names").GetArrayLength());
        Assert.Equal(54, doc.GetProperty("polynomial").GetProperty("powers").GetArrayLength());
        Assert.Equal(3, doc.GetProperty("coef").GetArrayLength());
        Assert.Equal("median", doc.GetProperty("tabular").GetProperty("missing").GetString());
    }

    [Fact]
    public void Foreign_and_inconsistent_documents_are_one_clear_error()
    {
        Assert.Contains("not a TorchLogistic export document (not JSON", Assert.Throws<ModelFormatException>(() => ExportDocument.FromJson("PK\u0003\u0004", "m.json")).Message);
        Assert.Contains("its \"format\" is not", Assert.Throws<ModelFormatException>(() => ExportDocument.FromJson("{\"weights\": [1, 2]}", "m.json")).Message);
        Assert.Contains("export version 7", Assert.Throws<ModelFormatException>(() => ExportDocument.FromJson("{\"format\": \"torchlogistic-export\", \"version\": 7}", "m.json")).Message);
        var data = BuiltinDatasets.Load("iris");
        using var model = Trainer.Fit(data, new TrainingOptions { Model = ModelKind.Softmax, MaxIterations = 5 });
        var doc = ExportDocument.ToJson(model);
        doc["intercept"] = new System.Text.Json.Nodes.JsonArray(1.0, 2.0);
        Assert.Contains("but 14 parameters were given", Assert.Throws<ModelFormatException>(() => ExportDocument.FromJson(doc.ToJsonString(), "m.json")).Message);
        Assert.Contains("preprocessing of a PyTorch state_dict", Assert.Throws<ModelFormatException>(() => ExportDocument.FromJson(ExportDocument.ToText(model, includeParameters: false), "m.json")).Message);
    }
}
