using System.Text.Json;
using TorchLogistic.Calibration;
using TorchLogistic.Export;
using TorchLogistic.IO;
using TorchLogistic.Tests.Export;
using TorchLogistic.Tests.Support;
using Xunit.Abstractions;

namespace TorchLogistic.Tests.Calibration;

/// <summary>A calibrated model's exports: README's NumPy blocks rebuild its probabilities, and the .pt + .json pair carries the calibrator.</summary>
public class CalibrationExportTests(ITestOutputHelper output)
{
    [PythonTheory("numpy")]
    [InlineData("cv_breast_cancer.csv", CalibrationMethod.Sigmoid)]
    [InlineData("cv_breast_cancer.csv", CalibrationMethod.Isotonic)]
    [InlineData("cv_iris.csv", CalibrationMethod.Sigmoid)]
    [InlineData("cv_iris.csv", CalibrationMethod.Isotonic)]
    public void The_readme_snippets_rebuild_the_calibrated_probabilities_with_numpy_alone(string file, CalibrationMethod method)
    {
        var (model, data, _, _) = CalibrationTests.Calibrated(file, method);
        using var owned = model;
        using var folder = new TempFolder();
        NumpyExport.Save(model, folder.File("model.npz"));
        // Twice the rows too: logits beyond the calibration's range.
        double[] rows = data.Features.Concat(data.Features.Select(v => 2 * v)).ToArray();
        int count = 2 * data.SampleCount;
        NpyFile.Write(folder.File("x.npy"), rows, count, data.FeatureCount);

        string stdout = DebianPython.Run(NumpyExportTests.ReadmeSnippet() + "\n" + NumpyExportTests.ReadmeSnippet("<!-- numpy-calibrate:") + """

            import json
            print(json.dumps({"p": predict_proba(np.load("x.npy")).ravel().tolist()}))
            """, folder.Path);

        double[] p = JsonDocument.Parse(stdout).RootElement.GetProperty("p").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        double[] expected = model.PredictProbabilities(rows, count, data.FeatureCount).Values;
        Assert.Equal(expected.Length, p.Length);
        double max = expected.Zip(p, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"{file} {method}: max |numpy − library| = {max:E2}");
        Assert.True(max <= 1e-12, $"max difference {max:E3}");
    }

    [Fact]
    public void The_pytorch_pair_and_the_json_document_carry_the_calibrator()
    {
        var (model, data, _, _) = CalibrationTests.Calibrated("cv_iris.csv", CalibrationMethod.Isotonic);
        using var owned = model;
        using var folder = new TempFolder();
        PyTorchExport.Save(model, folder.File("model.pt"));
        Assert.Contains("\"calibration\"", File.ReadAllText(folder.File("model.json")));
        using var loaded = PyTorchExport.Load(folder.File("model.pt"));
        Assert.Equal(CalibrationMethod.Isotonic, loaded.Calibration!.Method);
        Assert.Equal(CalibrationInput.CentredLogits, loaded.Calibration.Input);
        double[] expected = model.PredictProbabilities(data).Values;
        double max = expected.Zip(loaded.PredictProbabilities(data).Values, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(max <= 1e-15, $"max difference {max:E3}");
    }
}
