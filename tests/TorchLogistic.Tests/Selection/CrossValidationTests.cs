using TorchLogistic.Data;
using TorchLogistic.Selection;
using TorchLogistic.Tests.Metrics;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.Selection;

/// <summary>
/// Cross-validation against scikit-learn 1.2.1's LogisticRegressionCV and R glmnet 4.1-6's cv.glmnet on the same folds
/// (Fixtures/cross_validation_sklearn.json and cross_validation_glmnet.json, made by
/// Fixtures/scripts/cross_validation_sklearn.py and cross_validation_glmnet.R from Fixtures/cv_breast_cancer.csv and cv_iris.csv).
/// </summary>
public class CrossValidationTests
{
    internal static readonly TrainingOptions Tight = new() { Tolerance = 1e-11, MaxIterations = 100_000, Solver = TorchLogistic.Optim.SolverKind.Newton };

    internal static (Dataset Data, int[] Folds) Load(string file, string label = "label") =>
        StratifiedFolds.TakeColumn(CsvDataset.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", file), label), "fold");

    public static TheoryData<string, string, string> Cases => new()
    {
        { "cv_breast_cancer.csv", "breast_cancer", "neg_log_loss" },
        { "cv_breast_cancer.csv", "breast_cancer", "accuracy" },
        { "cv_breast_cancer.csv", "breast_cancer", "roc_auc" },
        { "cv_breast_cancer.csv", "breast_cancer", "balanced_accuracy" },
        { "cv_iris.csv", "iris", "neg_log_loss" },
        { "cv_iris.csv", "iris", "accuracy" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fold_scores_chosen_C_and_refit_equal_LogisticRegressionCV_on_the_same_folds(string file, string name, string sklearnScoring)
    {
        var reference = FixtureFile.Read("cross_validation_sklearn.json");
        var expected = reference[name]![sklearnScoring]!;
        var (data, folds) = Load(file);
        // CrossValidation's own defaults: solver auto (newton for these few parameters), fold tolerance 1e-10.
        var options = new TrainingOptions { Model = data.ClassCount == 2 ? ModelKind.Logistic : ModelKind.Softmax };
        var scoring = FoldScore.Parse(sklearnScoring == "neg_log_loss" ? "log_loss" : sklearnScoring);
        var result = CrossValidation.Run(data, options, new CrossValidationOptions
        {
            Cs = FixtureFile.Doubles(reference["Cs"]), FoldAssignment = folds, Scoring = scoring,
        });
        Assert.Equal(5, result.FoldCount);
        Assert.All(result.Converged[0].SelectMany(f => f), Assert.True);
        // scikit-learn's second-order paths (newton-cholesky for breast cancer, newton-cg for iris, tol 1e-10) reach each
        // fold's optimum for C ≤ 1 292: equal to 1e-6. At C = 1e4 neither converges (nearly separable folds: newton-cholesky's
        // inner solve falls back to lbfgs, 1.7e-2 from the optimum's held-out log loss; newton-cg's line search fails on
        // rounding errors; see the fixture script), so there the reference is the optimum itself (Fixtures/cross_validation_exact.json,
        // Newton to |∇|∞ ≤ 1e-13), to 1e-6, and scikit-learn's value only to 2e-2.
        var rows = expected["fold_scores"]!.AsArray();
        var exact = name == "breast_cancer" && sklearnScoring is "neg_log_loss" or "roc_auc"
            ? FixtureFile.Read("cross_validation_exact.json")[sklearnScoring == "roc_auc" ? "roc_auc" : "log_loss"]!.AsArray() : null;
        for (int f = 0; f < 5; f++)
        {
            double[] want = FixtureFile.Doubles(rows[f]);
            for (int c = 0; c < want.Length; c++)
            {
                bool unconverged = result.Cs[c] >= 1e4;
                Close.Equal(want[c], result.FoldScores[0][f][c], 0, unconverged ? 2e-2 : 1e-6, $"{name} {sklearnScoring} fold {f}, C = {result.Cs[c]}");
                if (exact != null)
                    Close.Equal(FixtureFile.Doubles(exact[f])[c], result.FoldScores[0][f][c], 0, 1e-6, $"{name} {sklearnScoring} fold {f}, C = {result.Cs[c]} (optimum)");
            }
        }
        Assert.Equal((double)expected["C"]!, result.BestC, 12);
        using var refit = CrossValidation.Refit(data, Tight with { Model = options.Model }, result.BestC, result.BestL1Ratio);
        double[] theta = refit.Module.ParametersToVector();
        double[] wantTheta = expected["coef"]!.AsArray().SelectMany(r => FixtureFile.Doubles(r)).Concat(FixtureFile.Doubles(expected["intercept"])).ToArray();
        if (data.ClassCount > 2)
        {
            // The softmax intercepts are defined up to a common shift; compare them centred.
            int k = data.ClassCount, d = data.FeatureCount;
            foreach (var v in new[] { theta, wantTheta })
            {
                double mean = v.Skip(k * d).Average();
                for (int a = 0; a < k; a++) v[k * d + a] -= mean;
            }
        }
        Assert.True(Close.RelativeError(theta, wantTheta) < 1e-3, $"refit θ is {Close.RelativeError(theta, wantTheta):E2} relative from scikit-learn's");
    }

    [Theory]
    [InlineData("cv_iris.csv", "iris")]
    [InlineData("cv_breast_cancer.csv", "breast_cancer")]
    public void Newton_hcg_with_its_factor_kept_along_each_fold_path_gives_the_same_fold_scores(string file, string name)
    {
        var reference = FixtureFile.Read("cross_validation_sklearn.json");
        var (data, folds) = Load(file);
        var options = new TrainingOptions { Model = data.ClassCount == 2 ? ModelKind.Logistic : ModelKind.Softmax, Solver = TorchLogistic.Optim.SolverKind.NewtonHcg };
        var result = CrossValidation.Run(data, options, new CrossValidationOptions { Cs = FixtureFile.Doubles(reference["Cs"]), FoldAssignment = folds, KeepOutOfFold = false });
        Assert.All(result.Converged[0].SelectMany(f => f), Assert.True);
        var rows = reference[name]!["neg_log_loss"]!["fold_scores"]!.AsArray();
        var exact = name == "breast_cancer" ? FixtureFile.Read("cross_validation_exact.json")["log_loss"]!.AsArray() : null;
        for (int f = 0; f < 5; f++)
        {
            double[] want = FixtureFile.Doubles(exact?[f] ?? rows[f]);
            for (int c = 0; c < want.Length; c++)
            {
                if (exact == null && result.Cs[c] >= 1e4) continue;
                Close.Equal(want[c], result.FoldScores[0][f][c], 0, 1e-6, $"{name} fold {f}, C = {result.Cs[c]}");
            }
        }
    }

    [Fact]
    public void Newton_subspace_with_its_basis_kept_along_each_fold_path_gives_newton_cg_fold_scores()
    {
        // 180 rows, 103 features, 3 classes, 3 folds: the subspace (rank 100 of d + 1 = 104) leaves a tail of 4 directions to the bound.
        var random = new Random(7);
        int m = 180, d = 103;
        var x = new double[m * d];
        for (int i = 0; i < x.Length; i++) x[i] = random.NextDouble() * 2 - 1 + (i % d < 10 ? 2 * random.NextDouble() : 0);
        var labels = new int[m];
        for (int i = 0; i < m; i++)
        {
            double z0 = x[i * d] + x[i * d + 1] - x[i * d + 2], z1 = x[i * d + 3] - x[i * d] + 0.5 * x[i * d + 4];
            double u = random.NextDouble() * 4 - 2;
            labels[i] = z0 + u > 0.5 ? 0 : z1 + u > 0 ? 1 : 2;
        }
        var data = new Dataset("synthetic", x, m, d, labels, new[] { "a", "b", "c" }, Enumerable.Range(0, d).Select(j => $"x{j}").ToArray());
        var cv = new CrossValidationOptions { Folds = 3, Cs = new[] { 3e-2, 1 }, KeepOutOfFold = false, Parallelism = 1, Tolerance = 1e-12 };
        var options = new TrainingOptions { Model = ModelKind.Softmax, Solver = TorchLogistic.Optim.SolverKind.NewtonSubspace };
        var subspace = CrossValidation.Run(data, options, cv);
        var reference = CrossValidation.Run(data, options with { Solver = TorchLogistic.Optim.SolverKind.NewtonCg }, cv);
        Assert.All(subspace.Converged[0].SelectMany(f => f), Assert.True);
        for (int f = 0; f < 3; f++)
        {
            for (int c = 0; c < cv.Cs.Count; c++)
                Close.Equal(reference.FoldScores[0][f][c], subspace.FoldScores[0][f][c], 0, 1e-8, $"fold {f}, C = {cv.Cs[c]}");
        }
        Assert.True(subspace.FoldScores[0].SelectMany(v => v).Max() - subspace.FoldScores[0].SelectMany(v => v).Min() > 0.1, "the fold scores vary with C");
    }

    [Fact]
    public void Auto_picks_newton_for_few_parameters_newton_hcg_then_newton_subspace_for_more_and_keeps_an_explicit_solver_or_owlqn_for_l1()
    {
        var auto = new TrainingOptions();
        Assert.Equal(TorchLogistic.Optim.SolverKind.Newton, CrossValidationOptions.SolverFor(auto, CrossValidationOptions.HessianPreconditionedMinParameters));
        Assert.Equal(TorchLogistic.Optim.SolverKind.NewtonHcg, CrossValidationOptions.SolverFor(auto, CrossValidationOptions.HessianPreconditionedMinParameters + 1));
        Assert.Equal(TorchLogistic.Optim.SolverKind.NewtonHcg, CrossValidationOptions.SolverFor(auto, 650));
        Assert.Equal(TorchLogistic.Optim.SolverKind.NewtonHcg, CrossValidationOptions.SolverFor(auto, CrossValidationOptions.HessianPreconditionedMaxParameters));
        Assert.Equal(TorchLogistic.Optim.SolverKind.NewtonSubspace, CrossValidationOptions.SolverFor(auto, CrossValidationOptions.HessianPreconditionedMaxParameters + 1, 2000, 1));
        Assert.Equal(TorchLogistic.Optim.SolverKind.NewtonSubspace, CrossValidationOptions.SolverFor(auto, 7850, 784, 10));
        // Too wide for its (d+1)² basis, too many classes for its K·r subspace Hessian, or shape not given: newton-cg.
        Assert.Equal(TorchLogistic.Optim.SolverKind.NewtonCg, CrossValidationOptions.SolverFor(auto, 20_101, 20_100, 1));
        Assert.Equal(TorchLogistic.Optim.SolverKind.NewtonCg, CrossValidationOptions.SolverFor(auto, 78_500, 784, 100));
        Assert.Equal(TorchLogistic.Optim.SolverKind.NewtonCg, CrossValidationOptions.SolverFor(auto, 7850));
        Assert.Equal(TorchLogistic.Optim.SolverKind.Lbfgs, CrossValidationOptions.SolverFor(auto with { Solver = TorchLogistic.Optim.SolverKind.Lbfgs }, 31));
        Assert.Equal(TorchLogistic.Optim.SolverKind.Auto, CrossValidationOptions.SolverFor(auto with { Penalty = TorchLogistic.Objectives.PenaltyKind.L1 }, 31));
        Assert.Equal(TorchLogistic.Optim.SolverKind.Auto, CrossValidationOptions.SolverFor(auto with { Gradients = GradientMode.Autograd }, 31));
    }

    [Fact]
    public void One_standard_error_C_equals_cv_glmnet_lambda_1se_on_the_same_folds()
    {
        var glmnet = FixtureFile.Read("cross_validation_glmnet.json");
        var (data, folds) = Load("cv_breast_cancer.csv");
        foreach (string grid in new[] { "fine", "default" })
        {
            var reference = glmnet[grid]!;
            double[] cs = FixtureFile.Doubles(reference["C"]).Reverse().ToArray();
            var result = CrossValidation.Run(data, Tight, new CrossValidationOptions { Cs = cs, FoldAssignment = folds });
            Close.Equal((double)reference["C_min"]!, result.BestC, 1e-9, 0, $"{grid}: best C");
            Close.Equal((double)reference["C_1se"]!, result.OneStandardErrorC, 1e-9, 0, $"{grid}: one-SE C");
            // glmnet's deviance is twice the log loss (its probabilities clipped to [1e-5, 1 − 1e-5]; none is, below C = 10).
            double[] cvm = FixtureFile.Doubles(reference["cvm"]).Reverse().ToArray();
            double[] cvsd = FixtureFile.Doubles(reference["cvsd"]).Reverse().ToArray();
            for (int c = 0; c < cs.Length && cs[c] <= 10; c++)
            {
                Close.Equal(cvm[c], 2 * result.Mean[0][c], 1e-6, 0, $"{grid}: cvm at C = {cs[c]}");
                Close.Equal(cvsd[c], 2 * result.StandardError[0][c], 1e-6, 0, $"{grid}: cvsd at C = {cs[c]}");
            }
        }
        Assert.NotEqual(
            CrossValidation.Run(data, Tight, new CrossValidationOptions { Cs = FixtureFile.Doubles(glmnet["fine"]!["C"]), FoldAssignment = folds, KeepOutOfFold = false }).BestC,
            (double)glmnet["fine"]!["C_1se"]!);
    }
}
