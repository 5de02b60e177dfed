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

    private LinearModelObjective _analytic = null!;
    private AutogradObjective _autograd = null!;
    private SoftmaxRegression _module = null!;
    private double[] _theta = null!;
    private double[] _gradient = null!;

    /// <summary>The compute dtype.</summary>
    [Params(ScalarType.Float32, ScalarType.Float64)]
    public ScalarType DType { get; set; }

    /// <summary>Builds the data and both objectives.</summary>
    [GlobalSetup]
    public void Setup()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(8);
        var x = rand(new long[] { Rows, Features }, dtype: ScalarType.Float64, generator: generator).to_type(DType);
        var y = randint(0, Classes, new long[] { Rows }, generator: generator);
        _module = new SoftmaxRegression(Features, Classes, DType);
        _analytic = new LinearModelObjective(x, y, Classes, Penalty.L2(1.0));
        _autograd = new AutogradObjective(_module, x, y, Penalty.L2(1.0));
        _theta = (randn(new long[] { _module.ParameterCount }, dtype: ScalarType.Float64, generator: generator) * 0.01).data<double>().ToArray();
        _gradient = new double[_theta.Length];
    }

    /// <summary>Releases the objectives' tensors and the module.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _analytic.Dispose();
        _autograd.Dispose();
        _module.Dispose();
    }

    /// <summary>Closed-form value and gradient.</summary>
    [Benchmark(Baseline = true)]
    public double AnalyticValueAndGradient() => _analytic.ValueAndGradient(_theta, _gradient);

    /// <summary>Value through the module and TorchSharp's cross_entropy, gradient by autograd.</summary>
    [Benchmark]
    public double AutogradValueAndGradient() => _autograd.ValueAndGradient(_theta, _gradient);
}
