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
        var data = BuiltinDatasets.load(name);
        using var model = Trainer.fit(data, new TrainingOptions { standardize = true, model = data.n_classes == 2 ? ModelKind.Logistic : ModelKind.Softmax });
        using var folder = new TempFolder();
        string path = folder.file("model.bin");
        ModelFile.save(model, path);
        using var loaded = ModelFile.load(path);
        Assert.Equal(model.classes, loaded.classes);
        Assert.Equal(model.feature_names, loaded.feature_names);
        Assert.Equal(model.scaler!.mean, loaded.scaler!.mean);
        Assert.Equal(model.scaler.scale, loaded.scaler.scale);
        Assert.Equal(model.options, loaded.options with { class_weight_values = model.options.class_weight_values });
        Assert.Equal(model.predict_proba(data).values, loaded.predict_proba(data).values);
        Assert.Equal(File.ReadAllBytes(path), ModelFile.to_bytes(loaded));
    }

    [Fact]
    public void Truncated_corrupt_and_foreign_files_are_rejected_with_a_clear_message()
    {
        var data = BuiltinDatasets.load("iris");
        using var model = Trainer.fit(data, new TrainingOptions { model = ModelKind.Softmax, max_iter = 5 });
        byte[] bytes = ModelFile.to_bytes(model);
        Assert.Contains("truncated", Assert.Throws<ModelFormatException>(() => ModelFile.from_bytes(bytes[..^10], "m.bin")).Message);
        byte[] flipped = (byte[])bytes.Clone();
        flipped[bytes.Length / 2] ^= 0x40;
        Assert.Contains("corrupt", Assert.Throws<ModelFormatException>(() => ModelFile.from_bytes(flipped, "m.bin")).Message);
        Assert.Contains("not a TorchLogistic model", Assert.Throws<ModelFormatException>(() => ModelFile.from_bytes("PK\u0003\u0004zipfile"u8.ToArray(), "m.bin")).Message);
    }
}
