using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Optim;

public class LipschitzTests(ITestOutputHelper output)
{
    private static double LargestHessianEigenvalue(IObjective f, double[] theta)
    {
        int n = f.ParameterCount;
        using var h = tensor(f.Hessian(theta), new long[] { n, n }, ScalarType.Float64);
        using var eigenvalues = linalg.eigvalsh(h);
        return eigenvalues.max().item<double>();
    }

    [Theory]
    [InlineData(2, 60, 4, 1.0, 31)]
    [InlineData(2, 80, 3, 50.0, 32)]
    [InlineData(3, 60, 5, 1.0, 33)]
    [InlineData(5, 90, 3, 10.0, 34)]
    public void The_bound_is_above_the_Hessian_everywhere_and_tight_for_binary_at_zero(int classes, int m, int d, double scale, int seed)
    {
        var r = new Random(seed);
        int k = classes == 2 ? 1 : classes;
        using var x = tensor(Enumerable.Range(0, m * d).Select(_ => scale * (r.NextDouble() * 2 - 1) + 0.3 * scale).ToArray(), new long[] { m, d });
        using var y = tensor(Enumerable.Range(0, m).Select(i => (long)(i % classes)).ToArray());
        using var w = tensor(Enumerable.Range(0, m).Select(_ => 0.2 + 2 * r.NextDouble()).ToArray());
        using var f = new LinearModelObjective(x, y, k, Penalty.L2(0.5), w);
        double bound = f.LipschitzBound();
        for (int trial = 0; trial < 5; trial++)
        {
            var theta = Enumerable.Range(0, f.ParameterCount).Select(_ => trial == 0 ? 0 : (r.NextDouble() * 2 - 1) / scale).ToArray();
            double top = LargestHessianEigenvalue(f, theta);
            Assert.True(top <= bound, $"λmax(H) = {top} > L = {bound}");
            // At θ = 0, p = ½ and H = X̃ᵀSX̃/(4m) + λ₂I_W: the bound is off only by the margin and λ₂ on the intercept.
            if (k == 1 && trial == 0) Assert.True(bound <= 1.1 * top, $"L = {bound} is loose: λmax(H(0)) = {top}");
        }
    }

    [Fact]
    public void Power_iteration_finds_the_largest_eigenvalue()
    {
        var r = new Random(5);
        using var a0 = tensor(Enumerable.Range(0, 400).Select(_ => r.NextDouble() - 0.3).ToArray(), new long[] { 20, 20 });
        using var a = a0.t().matmul(a0);
        double exact = linalg.eigvalsh(a).max().item<double>();
        double estimate = LinearModelGeometry.LargestEigenvalue(v => a.matmul(v), 20, ScalarType.Float64);
        Close.Equal(exact, estimate, 1e-8);
    }

    [Fact]
    public void Gd_lipschitz_never_diverges_on_raw_features_where_a_step_of_1_does()
    {
        // Raw breast cancer: features up to ~4000, so L ≈ 1e5 and a fixed step of 1 explodes at once.
        var data = SolverReferences.BreastCancer;
        var options = new TrainingOptions { Penalty = PenaltyKind.None, MaxIterations = 300 };
        using (var diverged = Trainer.Fit(data, options with { Solver = SolverKind.Gd, LearningRate = 1 })) Assert.Equal(StopReason.Diverged, diverged.Result!.Stop);

        using var x = data.FeaturesTensor();
        using var y = data.LabelsTensor();
        using var f = new LinearModelObjective(x, y, 1, Penalty.None);
        var solver = new LipschitzGradientDescent();
        var result = TrainingLoop.Run(f, solver, new double[f.ParameterCount], 3000, 1e-8);
        var objectives = result.History.Select(h => h.Objective).ToArray();
        output.WriteLine($"L = {solver.Lipschitz:E3}, objective {objectives[0]:F6} → {objectives[^1]:F6} in {result.Iterations} iterations");
        Assert.True(objectives.Zip(objectives.Skip(1)).All(p => p.Second <= p.First + 1e-15), "the objective never increases");
        Assert.True(objectives[^1] < 0.5 * objectives[0]);
        Assert.Equal(0, solver.Doublings);
    }

    [Fact]
    public void Gd_lipschitz_needs_fewer_iterations_than_the_usual_untuned_fixed_steps()
    {
        // Standardised breast cancer, C = 1: 1/L ≈ 0.29. The usual defaults 0.1 and 0.01 are safe but slower.
        // (A step of 1 happens to converge here, faster, because the curvature near the optimum is far below
        // the global bound — but it diverges on the raw features above: only 1/L is safe without a trial run.)
        var options = new TrainingOptions { Standardize = true, Tolerance = 1e-5, MaxIterations = 50_000 };
        using var lipschitz = Trainer.Fit(SolverReferences.BreastCancer, options with { Solver = SolverKind.GdLipschitz });
        Assert.True(lipschitz.Result!.Converged);
        int budget = 2 * lipschitz.Result.Iterations;
        foreach (double learningRate in new[] { 0.1, 0.01 })
        {
            using var gd = Trainer.Fit(SolverReferences.BreastCancer, options with { Solver = SolverKind.Gd, LearningRate = learningRate, MaxIterations = budget });
            output.WriteLine($"gd-lipschitz: {lipschitz.Result.Iterations} iterations; gd lr = {learningRate}: {(gd.Result!.Converged ? gd.Result.Iterations : $"not converged in {budget}")}");
            Assert.False(gd.Result.Converged, $"gd with lr = {learningRate} converged within twice gd-lipschitz's iterations");
        }
    }
}
