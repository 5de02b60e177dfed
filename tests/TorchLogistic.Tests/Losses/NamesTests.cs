using TorchLogistic.Checking;
using TorchLogistic.Losses;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TorchLogistic.Tests.Losses;

/// <summary>
/// This file imports TorchSharp the way PyTorch users do (<c>using static torch; using static torch.nn;</c> and the
/// module types) next to TorchLogistic's losses: it compiles only if no name is ambiguous.
/// </summary>
public class NamesTests
{
    [Fact]
    public void TorchLogistic_names_do_not_clash_with_TorchSharps()
    {
        using var scope = NewDisposeScope();
        var z = tensor(new[] { 0.5, -1, 2, 0.1, 0.3, -0.2 }, new long[] { 2, 3 }, device: new Device(DeviceType.CPU));
        var y = tensor(new long[] { 2, 0 });
        using CrossEntropyLoss builtin = nn.CrossEntropyLoss();
        using var ours = new CategoricalCrossEntropy(reduction: Reduction.Mean);
        var expected = Numbers.Value(builtin.call(z, y));
        Assert.Equal(expected, Numbers.Value(ours.call(z, y)), 15);
        Assert.Equal(expected, Numbers.Value(functional.cross_entropy(z, y)), 15);
        Assert.Equal(expected, Numbers.Value(LossFunctions.CrossEntropy(z, y)), 15);
        LogitLoss[] modules = { new BinaryCrossEntropyWithLogits(), new SoftMargin(), new MultiLabelSoftMargin() };
        Assert.Equal(new[] { "BinaryCrossEntropyWithLogits", "SoftMargin", "MultiLabelSoftMargin" }, modules.Select(m => m.GetName()));
        foreach (var m in modules) m.Dispose();
        Assert.True(GradientChecker.Gradcheck(t => StableMath.LogSumExp(t, 1).sum(), z));
    }
}
