using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TorchLogistic.Data;
using TorchLogistic.IO;
using TorchLogistic.Metrics;
using TorchLogistic.Optim;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.Data;

public class PolynomialFeaturesTests
{
    [Fact]
    public void Degree_3_of_three_features_matches_scikit_learn_names_order_and_values()
    {
        // scikit-learn 1.2.1: PolynomialFeatures(3, include_bias=False).fit_transform([[2, 3, 5]]) and get_feature_names_out(["a", "b", "c"]).
        var p = new PolynomialFeatures(3, 3);
        Assert.Equal(19, p.OutputFeatureCount);
        Assert.Equal(new[] { "a", "b", "c", "a^2", "a b", "a c", "b^2", "b c", "c^2", "a^3", "a^2 b", "a^2 c", "a b^2", "a b c", "a c^2", "b^3", "b^2 c", "b c^2", "c^3" },
            p.FeatureNames(new[] { "a", "b", "c" }));
        Assert.Equal(new double[] { 2, 3, 5, 4, 6, 10, 9, 15, 25, 8, 12, 20, 18, 30, 50, 27, 45, 75, 125 }, p.Transform(new double[] { 2, 3, 5 }, 1));
        Assert.Throws<ArgumentException>(() => new PolynomialFeatures(1000, 3));
    }

    /// <summary>Two concentric noisy circles (radii 1 and 0.5, as scikit-learn's make_circles with factor 0.5), 400 rows.</summary>
    public static Dataset Circles(int seed = 0, int n = 400)
    {
        var r = new Random(seed);
        var x = new double[2 * n];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            double angle = 2 * Math.PI * r.NextDouble();
            y[i] = i % 2;
            double radius = y[i] == 0 ? 1.0 : 0.5;
            x[2 * i] = radius * Math.Cos(angle) + 0.08 * (r.NextDouble() - 0.5);
            x[2 * i + 1] = radius * Math.Sin(angle) + 0.08 * (r.NextDouble() - 0.5);
        }
        return new Dataset("circles", x, n, 2, y, new[] { "outer", "inner" }, new[] { "x1", "x2" });
    }

    [Fact]
    public void Degree_2_features_separate_concentric_circles_that_a_linear_model_cannot()
    {
        var train = Circles(seed: 1);
        var test = Circles(seed: 2);
        var options = new TrainingOptions { Solver = SolverKind.Newton, Standardize = true, C = 10, Tolerance = 1e-10 };
        using var linear = Trainer.Fit(train, options);
        using var quadratic = Trainer.Fit(train, options with { PolynomialDegree = 2 });
        double linearAccuracy = Evaluation.Of(linear, test).Accuracy;
        double quadraticAccuracy = Evaluation.Of(quadratic, test).Accuracy;
        Assert.True(linearAccuracy < 0.6, $"linear accuracy {linearAccuracy:P1} should be near chance");
        Assert.True(quadraticAccuracy >= 0.95, $"degree-2 accuracy {quadraticAccuracy:P1}");
        Assert.Equal(new[] { "x1", "x2", "x1^2", "x1 x2", "x2^2" }, quadratic.ModelFeatureNames);
        Assert.Equal(5, quadratic.Module.FeatureCount);
    }

    [Fact]
    public void A_polynomial_model_round_trips_through_the_model_file_and_degree_1_files_without_the_key_still_load()
    {
        var data = Circles(seed: 3, n: 60);
        using var model = Trainer.Fit(data, new TrainingOptions { Standardize = true, PolynomialDegree = 3, MaxIterations = 50 });
        using var loaded = ModelFile.FromBytes(ModelFile.ToBytes(model), "m.bin");
        Assert.Equal(3, loaded.Polynomial!.Degree);
        Assert.Equal(3, loaded.Options.PolynomialDegree);
        // Same θ, scaler and expansion; libtorch may round the last bit of a product differently between calls.
        Close.All(model.PredictProbabilities(data).Values, loaded.PredictProbabilities(data).Values, 1e-14, 1e-16);

        // A degree-1 file as the first format wrote it: no poly_degree in the header or the options.
        using var plain = Trainer.Fit(data, new TrainingOptions { MaxIterations = 5 });
        byte[] old = StripPolyDegree(ModelFile.ToBytes(plain));
        using var reloaded = ModelFile.FromBytes(old, "old.bin");
        Assert.Null(reloaded.Polynomial);
        Assert.Equal(1, reloaded.Options.PolynomialDegree);
        Close.All(plain.PredictProbabilities(data).Values, reloaded.PredictProbabilities(data).Values, 1e-14, 1e-16);
    }

    private static byte[] StripPolyDegree(byte[] bytes)
    {
        int headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12));
        var header = JsonNode.Parse(bytes.AsSpan(16, headerLength))!.AsObject();
        header.Remove("poly_degree");
        var options = header["options"]!.AsObject();
        foreach (string key in new[] { "poly_degree", "batch_size", "seed" }) options.Remove(key);
        byte[] newHeader = Encoding.UTF8.GetBytes(header.ToJsonString());
        using var body = new MemoryStream();
        body.Write(bytes, 0, 12);
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)newHeader.Length);
        body.Write(length);
        body.Write(newHeader);
        body.Write(bytes, 16 + headerLength, bytes.Length - 32 - 16 - headerLength);
        body.Write(SHA256.HashData(body.ToArray()));
        return body.ToArray();
    }
}
