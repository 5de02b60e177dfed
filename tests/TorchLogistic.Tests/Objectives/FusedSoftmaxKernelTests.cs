using System.Runtime.Intrinsics.X86;
using TorchLogistic.Native;
using TorchLogistic.Objectives;
using TorchLogistic.Tests.Support;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Objectives;

/// <summary>
/// The fused float32 kernel against the float64 objective (itself checked against autograd, finite differences and
/// scikit-learn elsewhere) on the same data: float32 products with float64 sums must agree to float32 accuracy.
/// Each comparison runs the AVX-512 loops (where the CPU has them) and the AVX2 loops on the same data.
/// </summary>
public class FusedSoftmaxKernelTests
{
    /// <summary>Both loop sets this CPU can run: AVX-512 (when present) and AVX2.</summary>
    private static readonly bool[] Paths = Avx512F.IsSupported ? [true, false] : [false];

    /// <summary>A fused objective made with the AVX-512 loops preferred or not; the switch is restored at once.</summary>
    private static LinearModelObjective Fused(bool avx512, Func<LinearModelObjective> make)
    {
        bool before = FusedSoftmaxKernel.PreferAvx512;
        FusedSoftmaxKernel.PreferAvx512 = avx512;
        try
        {
            var objective = make();
            Assert.Equal(avx512 && FusedSoftmaxKernel.IsSupported, objective.IsFusedAvx512);
            return objective;
        }
        finally
        {
            FusedSoftmaxKernel.PreferAvx512 = before;
        }
    }

    // (m, d, K): odd m (a pad row), d not a multiple of 16 (pad columns), K below, at and above the class tile of 10,
    // and more rows than one block per thread.
    [Theory]
    [InlineData(257, 13, 3, false, 0.0)]
    [InlineData(1001, 64, 10, true, 0.0)]
    [InlineData(600, 40, 12, false, 0.1)]
    [InlineData(5, 17, 2, true, 0.0)]
    public void Value_and_gradient_equal_the_float64_objective(int m, int d, int k, bool weighted, double smoothing)
    {
        var generator = new Generator(11);
        // Values exactly representable in float32, so both objectives see the same data.
        var x = (randn(new long[] { m, d }, dtype: ScalarType.Float64, generator: generator) * 3).to_type(ScalarType.Float32).to_type(ScalarType.Float64);
        var y = randint(0, k, new long[] { m }, generator: generator);
        var s = weighted ? (rand(new long[] { m }, dtype: ScalarType.Float64, generator: generator) * 2).to_type(ScalarType.Float32).to_type(ScalarType.Float64) : null;
        var penalty = new Penalty(PenaltyKind.L2, 0.5);
        using var exact = new LinearModelObjective(x, y, k, penalty, s, smoothing);
        Assert.False(exact.IsFused);
        var random = new Random(3);
        var theta = Enumerable.Range(0, exact.ParameterCount).Select(_ => (double)(float)(random.NextDouble() - 0.5)).ToArray();
        var expectedGradient = new double[theta.Length];
        double expected = exact.ValueAndGradient(theta, expectedGradient);
        foreach (bool avx512 in Paths)
        {
            using var fused = Fused(avx512, () => new LinearModelObjective(x.to_type(ScalarType.Float32), y, k, penalty, s?.to_type(ScalarType.Float32), smoothing));
            CheckValueAndGradient(fused, theta, expected, expectedGradient, avx512 ? "AVX-512" : "AVX2");
        }
    }

    private static void CheckValueAndGradient(LinearModelObjective fused, double[] theta, double expected, double[] expectedGradient, string path)
    {
        // Without AVX2/FMA the float32 objective keeps the torch path, which the same comparison then checks.
        Assert.Equal(FusedSoftmaxKernel.IsSupported, fused.IsFused);
        var gradient = new double[theta.Length];
        foreach (int threads in new[] { 1, 2 })
        {
            int before = get_num_threads();
            set_num_threads(threads);
            try
            {
                double value = fused.ValueAndGradient(theta, gradient);
                Close.Equal(expected, value, relativeTolerance: 2e-6, what: $"value, {threads} thread(s), {path}");
                Close.Equal(expected, fused.Value(theta), relativeTolerance: 2e-6, what: $"value only, {threads} thread(s), {path}");
                Assert.True(Close.RelativeError(gradient, expectedGradient) < 2e-6,
                    $"gradient relative error {Close.RelativeError(gradient, expectedGradient):E2} with {threads} thread(s), {path}");
                // Fixed contiguous row ranges per thread: the same thread count gives the same bits.
                var again = new double[theta.Length];
                Assert.Equal(value, fused.ValueAndGradient(theta, again));
                Assert.Equal(gradient, again);
            }
            finally
            {
                set_num_threads(before);
            }
        }
    }

    [Fact]
    public void Float32_binary_models_keep_the_torch_path()
    {
        var x = randn(20, 3, dtype: ScalarType.Float32);
        using var objective = new LinearModelObjective(x, zeros(20, dtype: ScalarType.Int64), 1, new Penalty(PenaltyKind.L2, 1.0));
        Assert.False(objective.IsFused);
    }

    // The kept probabilities (the subspace preconditioner's input) in (m, K) row-major order on both loop sets,
    // against softmax(X Wᵀ + b) in float64; 37 rows: a 16-row tail on one thread, a scalar tail on two.
    [Fact]
    public void Kept_probabilities_equal_the_softmax_of_the_logits()
    {
        int m = 37, d = 20, k = 3;
        var generator = new Generator(29);
        var x = randn(new long[] { m, d }, dtype: ScalarType.Float32, generator: generator);
        var targets = nn.functional.one_hot(randint(0, k, new long[] { m }, generator: generator), k).to_type(ScalarType.Float32);
        var random = new Random(7);
        var w = Enumerable.Range(0, k * d).Select(_ => (double)(float)(random.NextDouble() - 0.5)).ToArray();
        var b = Enumerable.Range(0, k).Select(_ => (double)(float)(random.NextDouble() - 0.5)).ToArray();
        var logits = x.to_type(ScalarType.Float64).matmul(tensor(w).view(k, d).t()).Plus(tensor(b));
        var expected = logits.softmax(1).flatten().data<double>().ToArray();
        foreach (bool avx512 in Paths)
        {
            foreach (int threads in new[] { 1, 2 })
            {
                bool before = FusedSoftmaxKernel.PreferAvx512;
                FusedSoftmaxKernel.PreferAvx512 = avx512;
                var kernel = new FusedSoftmaxKernel(x, targets, null);
                FusedSoftmaxKernel.PreferAvx512 = before;
                kernel.Evaluate(w, b, new double[k * d], new double[k], threads);
                var kept = new double[expected.Length];
                kernel.CopyProbabilitiesTo(kept);
                Assert.True(Close.RelativeError(kept, expected) < 1e-6, $"probabilities relative error {Close.RelativeError(kept, expected):E2}, {(avx512 ? "AVX-512" : "AVX2")}, {threads} thread(s)");
            }
        }
    }

    [Theory]
    [InlineData(257, 13, 3, false, true)]
    [InlineData(1001, 64, 10, true, true)]
    [InlineData(600, 40, 12, false, false)]
    public void Hessian_vector_products_equal_the_float64_objective(int m, int d, int k, bool weighted, bool intercept)
    {
        var generator = new Generator(17);
        var x = (randn(new long[] { m, d }, dtype: ScalarType.Float64, generator: generator) * 3).to_type(ScalarType.Float32).to_type(ScalarType.Float64);
        var y = randint(0, k, new long[] { m }, generator: generator);
        var s = weighted ? (rand(new long[] { m }, dtype: ScalarType.Float64, generator: generator) * 2).to_type(ScalarType.Float32).to_type(ScalarType.Float64) : null;
        var penalty = new Penalty(PenaltyKind.L2, 0.5);
        using var exact = new LinearModelObjective(x, y, k, penalty, s, fitIntercept: intercept);
        var random = new Random(5);
        var theta = Enumerable.Range(0, exact.ParameterCount).Select(_ => (double)(float)(random.NextDouble() - 0.5)).ToArray();
        var v = Enumerable.Range(0, exact.ParameterCount).Select(_ => (double)(float)(random.NextDouble() - 0.5)).ToArray();
        var expected = new double[theta.Length];
        exact.HessianVectorProduct(theta, v, expected);
        var half = new double[theta.Length];
        exact.HessianVectorProduct(theta, v, half, m / 2);
        foreach (bool avx512 in Paths)
        {
            using var fused = Fused(avx512, () => new LinearModelObjective(x.to_type(ScalarType.Float32), y, k, penalty, s?.to_type(ScalarType.Float32), fitIntercept: intercept));
            CheckHessianVector(fused, theta, v, expected, half, m, avx512 ? "AVX-512" : "AVX2");
        }
    }

    private static void CheckHessianVector(LinearModelObjective fused, double[] theta, double[] v, double[] expected, double[] half, int m, string path)
    {
        var product = new double[theta.Length];
        // No gradient at θ yet: the fused product first makes one (a second pass, counted).
        fused.HessianVectorProduct(theta, v, product);
        Assert.Equal(2, fused.DataPasses);
        Assert.True(Close.RelativeError(product, expected) < 2e-6, $"Hv relative error {Close.RelativeError(product, expected):E2}, {path}");
        fused.HessianVectorProduct(theta, v, product);
        Assert.Equal(3, fused.DataPasses);
        // Over the first half of the rows: the tensor path on those rows, normalised by their count.
        fused.HessianVectorProduct(theta, v, product, m / 2);
        Assert.True(Close.RelativeError(product, half) < 2e-6, $"subsampled Hv relative error {Close.RelativeError(product, half):E2}, {path}");
        Assert.True(Close.RelativeError(half, expected) > 1e-3, "the half-sample product should differ from the full one");
    }

    [Fact]
    public void The_managed_preconditioner_equals_its_definition()
    {
        var generator = new Generator(23);
        int m = 300, d = 7, k = 4;
        var x = randn(new long[] { m, d }, dtype: ScalarType.Float64, generator: generator) + 2;
        var y = randint(0, k, new long[] { m }, generator: generator);
        double l2 = new Penalty(PenaltyKind.L2, 0.5).L2Strength(m);
        using var bound = new CurvatureBoundPreconditioner(x, null, k, l2);
        // M = ½(I − 11ᵀ/K) ⊗ X̃ᵀX̃/m + λ₂I in θ order [vec(W); b], formed densely; M·M⁻¹v must give v back.
        var xt = cat(new[] { x, ones(m, 1, dtype: ScalarType.Float64) }, 1);
        var a = xt.t().matmul(xt) / m;
        var b = (eye(k, dtype: ScalarType.Float64) - 1.0 / k) * 0.5;
        var random = new Random(9);
        var vector = Enumerable.Range(0, k * (d + 1)).Select(_ => random.NextDouble() - 0.5).ToArray();
        var result = new double[vector.Length];
        bound.Apply(vector, result);
        // In (K, d+1) layout: M applied to R is B R A + λ₂ R.
        Tensor Rows(double[] t) => cat(new[] { tensor(t).narrow(0, 0, k * d).view(k, d), tensor(t).narrow(0, k * d, k).view(k, 1) }, 1);
        var r = Rows(result);
        var back = b.matmul(r).matmul(a) + r * l2;
        Assert.True(Close.RelativeError(back.flatten().data<double>().ToArray(), Rows(vector).flatten().data<double>().ToArray()) < 1e-10);
    }

}
