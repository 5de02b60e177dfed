using System.Text.Json.Nodes;
using TorchLogistic.Objectives;
using TorchLogistic.Tests.Support;
using TorchSharp;
using static TorchLogistic.Tests.Metrics.FixtureFile;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Objectives;

/// <summary>
/// Both class-weight conventions of <see cref="LinearModelObjective"/> against values recorded with PyTorch 1.13
/// (Fixtures/weight_conventions_pytorch.json, made by Fixtures/scripts/weight_conventions_pytorch.py):
/// <c>CrossEntropyLoss(weight, label_smoothing)</c> / <c>BCEWithLogitsLoss(weight, pos_weight)</c> for
/// <see cref="WeightConvention.PyTorch"/>, the class-weighted mean over m for <see cref="WeightConvention.ScikitLearn"/>.
/// </summary>
public class WeightConventionTests
{
    private static readonly JsonNode Reference = Read("weight_conventions_pytorch.json");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var fixtureCase in Reference["cases"]!.AsArray()) data.Add((string)fixtureCase!["name"]!);
        return data;
    }

    private static JsonNode Find(string name) => Reference["cases"]!.AsArray().Single(fixtureCase => (string)fixtureCase!["name"]! == name)!;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Value_gradient_and_Hessian_equal_pytorchs(string name)
    {
        var fixtureCase = Find(name);
        int m = (int)Reference["n_samples"]!, d = (int)Reference["n_features"]!, k = (int)fixtureCase["n_outputs"]!;
        var convention = (string)fixtureCase["convention"]! == "pytorch" ? WeightConvention.PyTorch : WeightConvention.ScikitLearn;
        using var x = tensor(Doubles(fixtureCase["features"]), new long[] { m, d });
        using var y = tensor(Ints(fixtureCase["labels"]).Select(v => (long)v).ToArray());
        using var f = new LinearModelObjective(x, y, k, Penalty.L2((double)fixtureCase["C"]!), null, (double)fixtureCase["label_smoothing"]!,
            Doubles(fixtureCase["class_weight"]), convention);
        Assert.False(f.IsFused);
        double[] theta = Doubles(fixtureCase["theta"]);
        int n = theta.Length;
        var gradient = new double[n];
        Close.Equal((double)fixtureCase["value"]!, f.ValueAndGradient(theta, gradient), 1e-13, 0, "value");
        Close.Equal((double)fixtureCase["value"]!, f.Value(theta), 1e-13, 0, "value only");
        Close.All(Doubles(fixtureCase["gradient"]), gradient, 1e-12, 1e-15, "gradient");
        double[] hessian = Doubles(fixtureCase["hessian"]);
        Close.All(hessian, f.Hessian(theta), 1e-12, 1e-15, "Hessian");
        var v = Enumerable.Range(0, n).Select(i => Math.Cos(i + 0.5)).ToArray();
        var hv = new double[n];
        f.HessianVectorProduct(theta, v, hv);
        Close.All(Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Sum(j => hessian[i * n + j] * v[j])).ToArray(), hv, 1e-12, 1e-15, "H·v");
        // A mini-batch of every row normalises by its own Σ w_y (or m): the full objective again.
        var batch = new double[n];
        Close.Equal((double)fixtureCase["value"]!, f.ValueAndGradient(theta, batch, Enumerable.Range(0, m).Select(i => (long)i).ToArray()), 1e-13, 0, "all-rows batch");
        Close.All(gradient, batch, 1e-13, 1e-16, "all-rows batch gradient");
    }

    [Fact]
    public void The_conventions_differ_with_class_weights_and_agree_without()
    {
        var fixtureCase = Find("softmax pytorch eps=0.2");
        int m = (int)Reference["n_samples"]!, d = (int)Reference["n_features"]!;
        using var x = tensor(Doubles(fixtureCase["features"]), new long[] { m, d });
        using var y = tensor(Ints(fixtureCase["labels"]).Select(v => (long)v).ToArray());
        double[] theta = Doubles(fixtureCase["theta"]);
        double Value(double[]? w, WeightConvention convention)
        {
            using var f = new LinearModelObjective(x, y, 3, Penalty.L2(0.5), null, 0.2, w, convention);
            return f.Value(theta);
        }
        var weights = Doubles(fixtureCase["class_weight"]);
        Assert.True(Math.Abs(Value(weights, WeightConvention.PyTorch) - Value(weights, WeightConvention.ScikitLearn)) > 0.1);
        Close.Equal(Value(null, WeightConvention.ScikitLearn), Value(null, WeightConvention.PyTorch), 1e-15);
        // ScikitLearn with class weights is sample weights sᵢ = w_{yᵢ}, as the trainer passes them.
        using var s = tensor(Ints(fixtureCase["labels"]).Select(v => weights[v]).ToArray());
        using var folded = new LinearModelObjective(x, y, 3, Penalty.L2(0.5), s, 0.2);
        Close.Equal(folded.Value(theta), Value(weights, WeightConvention.ScikitLearn), 1e-15);
    }

    [Fact]
    public void Without_smoothing_PyTorchs_convention_is_scikit_learns_at_the_effective_C()
    {
        // F_PyTorch(θ; C) = (m/Σw_y)·F_ScikitLearn(θ; C′), C′ = C·m/Σw_y: same gradient direction, same optimum.
        var fixtureCase = Find("softmax pytorch eps=0.0");
        int m = (int)Reference["n_samples"]!, d = (int)Reference["n_features"]!;
        using var x = tensor(Doubles(fixtureCase["features"]), new long[] { m, d });
        int[] labels = Ints(fixtureCase["labels"]);
        using var y = tensor(labels.Select(v => (long)v).ToArray());
        var w = Doubles(fixtureCase["class_weight"]);
        double total = labels.Sum(v => w[v]);
        const double c = 0.5;
        using var pytorch = new LinearModelObjective(x, y, 3, Penalty.L2(c), null, 0, w, WeightConvention.PyTorch);
        using var sklearn = new LinearModelObjective(x, y, 3, Penalty.L2(c * m / total), null, 0, w, WeightConvention.ScikitLearn);
        var theta = Doubles(fixtureCase["theta"]);
        var gp = new double[theta.Length];
        var gs = new double[theta.Length];
        double fp = pytorch.ValueAndGradient(theta, gp);
        double fs = sklearn.ValueAndGradient(theta, gs);
        Close.Equal(fp, m / total * fs, 1e-14);
        Close.All(gp, gs.Select(g => m / total * g).ToArray(), 1e-13, 1e-16);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public void The_Lipschitz_bound_holds_under_pytorchs_convention(int k)
    {
        var fixtureCase = Find(k == 1 ? "binary pytorch eps=0.2" : "softmax pytorch eps=0.2");
        int m = (int)Reference["n_samples"]!, d = (int)Reference["n_features"]!;
        using var x = tensor(Doubles(fixtureCase["features"]), new long[] { m, d });
        using var y = tensor(Ints(fixtureCase["labels"]).Select(v => (long)v).ToArray());
        using var f = new LinearModelObjective(x, y, k, Penalty.L2(0.5), null, 0.2, Doubles(fixtureCase["class_weight"]), WeightConvention.PyTorch);
        double bound = f.LipschitzBound();
        var random = new Random(5);
        double largest = 0;
        for (int trial = 0; trial < 20; trial++)
        {
            var theta = Enumerable.Range(0, f.ParameterCount).Select(_ => random.NextDouble() * 0.2 - 0.1).ToArray();
            using var h = tensor(f.Hessian(theta), new long[] { f.ParameterCount, f.ParameterCount });
            largest = Math.Max(largest, linalg.eigvalsh(h).max().item<double>());
        }
        Assert.True(largest <= bound, $"λmax(∇²f) = {largest} exceeds the bound {bound}");
        Assert.True(largest >= 0.3 * bound, $"the bound {bound} is loose against λmax = {largest}: the weights are scaled wrongly");
    }

    [Fact]
    public void Bad_arguments_throw_before_any_tensor_is_made()
    {
        using var x = tensor(new double[] { 1, 2, 3, 4, 5, 6 }, new long[] { 3, 2 });
        using var y = tensor(new long[] { 0, 1, 2 });
        using var outOfRange = tensor(new long[] { 0, 1, 7 });
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearModelObjective(x, y, 3, Penalty.None, labelSmoothing: 1.5));
        Assert.Throws<ArgumentException>(() => new LinearModelObjective(x, y, 3, Penalty.None, classWeight: new[] { 1.0, 2.0 }));
        // A label outside [0, K) is found by the loss layer after the copies are made: they are disposed with the scope.
        Assert.Throws<ArgumentException>(() => new LinearModelObjective(x, outOfRange, 3, Penalty.None));
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
