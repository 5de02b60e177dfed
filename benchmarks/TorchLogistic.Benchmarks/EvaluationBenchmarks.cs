using BenchmarkDotNet.Attributes;
using TorchLogistic.Models;
using TorchLogistic.Objectives;
using static TorchSharp.torch;

namespace TorchLogistic.Benchmarks;

/// <summary>
/// One value-and-gradient evaluation of the softmax objective on a Fashion-MNIST-shaped problem (60 000 × 784, K = 10,
/// L2, C = 1), closed form (<see cref="LinearModelObjective"/>) against autograd (<see cref="AutogradObjective"/>),
/// in float32 and float64. The data are synthetic and seeded — pixels uniform in [0, 1), labels uniform over the ten
/// classes — so the benchmark runs without the data set and the same bytes are timed every time; θ is seeded too
/// (0.01·N(0, 1)), giving realistic logits.
/// </summary>
[MemoryDiagnoser]
public class EvaluationBenchmarks
{
    private const int Rows = 60_000;
    private const int Features = 784;
    private const int Classes = 10;

    private LinearModelObjective analytic = null!;
    private AutogradObjective autograd = null!;
    private SoftmaxRegression module = null!;
    private double[] theta = null!;
    private double[] gradient = null!;

    /// <summary>The compute dtype.</summary>
    [Params(ScalarType.Float32, ScalarType.Float64)]
    public ScalarType dtype { get; set; }

    /// <summary>Builds the data and both objectives.</summary>
    [GlobalSetup]
    public void setup()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(8);
        var x = rand(new long[] { Rows, Features }, dtype: ScalarType.Float64, generator: generator).to_type(dtype);
        var y = randint(0, Classes, new long[] { Rows }, generator: generator);
        module = new SoftmaxRegression(Features, Classes, dtype);
        analytic = new LinearModelObjective(x, y, Classes, Penalty.l2(1.0));
        autograd = new AutogradObjective(module, x, y, Penalty.l2(1.0));
        theta = (randn(new long[] { module.n_parameters }, dtype: ScalarType.Float64, generator: generator) * 0.01).data<double>().ToArray();
        gradient = new double[theta.Length];
    }

    /// <summary>Releases the objectives' tensors and the module.</summary>
    [GlobalCleanup]
    public void cleanup()
    {
        analytic.Dispose();
        autograd.Dispose();
        module.Dispose();
    }

    /// <summary>Closed-form value and gradient.</summary>
    [Benchmark(Baseline = true)]
    public double analytic_value_and_gradient() => analytic.value_and_gradient(theta, gradient);

    /// <summary>Value through the module and TorchSharp's cross_entropy, gradient by autograd.</summary>
    [Benchmark]
    public double autograd_value_and_gradient() => autograd.value_and_gradient(theta, gradient);
}
