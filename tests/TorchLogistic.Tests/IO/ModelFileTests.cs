using TorchLogistic.Data;
using TorchLogistic.IO;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.IO;

public class ModelFileTests
{
    [Theory]
    [InlineData("breast-cancer")]
    [InlineData("iris")]
    public void Save_load_predict_is_bit_for_bit_identical(string name)
    {
        var data = BuiltinDatasets.Load(name);
        using var model = Trainer.Fit(data, new TrainingOptions { Standardize = true, Model = data.ClassCount == 2 ? ModelKind.Logistic : ModelKind.Softmax });
        using var folder = new TempFolder();
        string path = folder.File("model.bin");
        ModelFile.Save(model, path);
        using var loaded = ModelFile.Load(path);
        Assert.Equal(model.Classes, loaded.Classes);
        Assert.Equal(model.FeatureNames, loaded.FeatureNames);
        Assert.Equal(model.Scaler!.Mean, loaded.Scaler!.Mean);
        Assert.Equal(model.Scaler.Scale, loaded.Scaler.Scale);
        Assert.Equal(model.Options, loaded.Options with { ClassWeightValues = model.Options.ClassWeightValues });
        Assert.Equal(model.PredictProbabilities(data).Values, loaded.PredictProbabilities(data).Values);
        Assert.Equal(File.ReadAllBytes(path), ModelFile.ToBytes(loaded));
    }

    [Fact]
    public void Truncated_corrupt_and_foreign_files_are_rejected_with_a_clear_message()
    {
        var data = BuiltinDatasets.Load("iris");
        using var model = Trainer.Fit(data, new TrainingOptions { Model = ModelKind.Softmax, MaxIterations = 5 });
        byte[] bytes = ModelFile.ToBytes(model);
        Assert.Contains("truncated", Assert.Throws<ModelFormatException>(() => ModelFile.FromBytes(bytes[..^10], "m.bin")).Message);
        byte[] flipped = (byte[])bytes.Clone();
        flipped[bytes.Length / 2] ^= 0x40;
        Assert.Contains("corrupt", Assert.Throws<ModelFormatException>(() => ModelFile.FromBytes(flipped, "m.bin")).Message);
        Assert.Contains("not a TorchLogistic model", Assert.Throws<ModelFormatException>(() => ModelFile.FromBytes("PK\u0003\u0004zipfile"u8.ToArray(), "m.bin")).Message);
    }
}
