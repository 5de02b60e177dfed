using TorchLogistic.Data;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Selection;
using TorchLogistic.Tests.Metrics;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.Training;

/// <summary>The L1 path against scikit-learn 1.2.1 (Fixtures/regularization_path_sklearn.json, made by Fixtures/scripts/regularization_path_sklearn.py).</summary>
public class RegularizationPathTests
{
    private static readonly Dataset BreastCancer = BuiltinDatasets.Load("breast-cancer");

    private static readonly TrainingOptions L1 = new()
    {
        Penalty = PenaltyKind.L1, Solver = SolverKind.OwlQn, Standardize = true, Tolerance = 1e-11, MaxIterations = 20_000,
    };

    [Fact]
    public void L1_min_c_is_scikit_learns_on_standardised_breast_cancer()
    {
        var reference = FixtureFile.Read("regularization_path_sklearn.json");
        Close.Equal((double)reference["l1_min_c"]!, RegularizationPath.L1MinC(BreastCancer, L1), 1e-12);
        // Elastic net: only the L1 share ρ counts, so C_min scales with ρ.
        Close.Equal(0.25 * (double)reference["l1_min_c"]!,
            RegularizationPath.L1MinC(BreastCancer, L1 with { Penalty = PenaltyKind.ElasticNet, L1Ratio = 0.25 }), 1e-12);
    }

    [Fact]
    public void The_warm_started_path_has_scikit_learns_coefficients_and_zeros()
    {
        var reference = FixtureFile.Read("regularization_path_sklearn.json");
        var steps = reference["path"]!.AsArray();
        double[] cs = steps.Select(s => (double)s!["C"]!).ToArray();
        var path = RegularizationPath.Fit(BreastCancer, L1, cs);
        Assert.Equal(cs.Length, path.Count);
        for (int i = 0; i < cs.Length; i++)
        {
            var expected = FixtureFile.Doubles(steps[i]!["coef"]).Append((double)steps[i]!["intercept"]!).ToArray();
            var step = path[i];
            Assert.True(step.Converged, $"C = {step.C}: not converged");
            Assert.Equal(cs[i], step.C);
            Assert.Equal(30, step.CoefficientCount);
            Assert.Equal((int)steps[i]!["n_zeros"]!, step.ZeroCount);
            double error = Close.RelativeError(step.Theta, expected);
            Assert.True(error < 1e-7, $"C = {step.C}: θ is {error:E2} relative from scikit-learn's");
            Close.Equal((double)steps[i]!["objective"]!, step.Objective, 1e-10, 0, $"objective at C = {step.C}");
            Assert.Equal(BreastCancer.SampleCount, step.Train.SampleCount);
            Assert.Null(step.Test);
        }
        // Below C_min (the first step) every coefficient is exactly zero.
        Assert.All(path[0].Coefficients, c => Assert.Equal(0.0, c));
    }

    [Fact]
    public void L1_min_c_is_where_the_first_coefficient_leaves_zero_with_weights_and_for_softmax()
    {
        // Class weights and sample weights change p̄ and the correlations; no reference library covers that, so the
        // definition is checked directly: all zero just below C_min, not all zero just above.
        var weighted = new Dataset("weighted", BreastCancer.Features, BreastCancer.SampleCount, BreastCancer.FeatureCount, BreastCancer.Labels,
            BreastCancer.Classes, BreastCancer.FeatureNames, Enumerable.Range(0, BreastCancer.SampleCount).Select(i => 1 + 0.5 * (i % 3)).ToArray());
        var cases = new (Dataset Data, TrainingOptions Options)[]
        {
            (weighted, L1 with { ClassWeight = ClassWeightMode.Balanced }),
            (BuiltinDatasets.Load("iris"), L1 with { Model = ModelKind.Softmax }),
        };
        foreach (var (data, options) in cases)
        {
            double c = RegularizationPath.L1MinC(data, options);
            var path = RegularizationPath.Fit(data, options, new[] { 0.98 * c, 1.05 * c });
            Assert.Equal(path[0].CoefficientCount, path[0].ZeroCount);
            Assert.True(path[1].ZeroCount < path[1].CoefficientCount, $"{data.Name}: still {path[1].ZeroCount} zeros at 1.05·C_min = {1.05 * c}");
        }
    }

    [Fact]
    public void Log_grid_is_geometric_with_exact_ends_and_bad_input_is_refused_with_the_fix()
    {
        double[] grid = RegularizationPath.LogGrid(1e-3, 1e3, 7);
        Assert.Equal(1e-3, grid[0]);
        Assert.Equal(1e3, grid[^1]);
        for (int i = 1; i < grid.Length; i++) Close.Equal(10, grid[i] / grid[i - 1], 1e-13);
        Assert.Throws<ArgumentOutOfRangeException>(() => RegularizationPath.LogGrid(1, 10, 1));
        Assert.Throws<ArgumentException>(() => RegularizationPath.LogGrid(0, 10, 5));
        Assert.Contains("Use penalty L1 or ElasticNet", Assert.Throws<ArgumentException>(() => RegularizationPath.L1MinC(BreastCancer, new TrainingOptions())).Message);
        Assert.Contains("C = -1", Assert.Throws<ArgumentException>(() => RegularizationPath.Fit(BreastCancer, L1, new[] { 1.0, -1 })).Message);
        Assert.Throws<ArgumentException>(() => RegularizationPath.Fit(BreastCancer, L1, Array.Empty<double>()));
    }
}
