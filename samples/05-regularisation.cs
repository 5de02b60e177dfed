#:project ../src/TorchLogistic/TorchLogistic.csproj
#:project ../src/TorchLogistic.Plotting/TorchLogistic.Plotting.csproj
// Regularisation (the story of notebooks/05-regularisation.ipynb): the L1 path from l1_min_c with warm starts and its
// exact zeros, an unregularised fit on separable data that has no optimum, overfitting with degree-2 features along an
// L2 path, and the iterations a solver needs as C grows; coefficient paths and train/test log loss to PNG.
using TorchLogistic.Data;
using TorchLogistic.Metrics;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Plotting;
using TorchLogistic.Selection;
using TorchLogistic.Training;

string outDir = args.Length > 0 ? args[0] : Path.Combine("runs", "samples");
Directory.CreateDirectory(outDir);

var data = BuiltinDatasets.load("breast-cancer");
var (train, test) = TrainTestSplit.split(data, 0.2, seed: 0);
TorchSharp.torch.set_num_threads(ThreadPolicy.choose(train.n_samples, new PolynomialFeatures(train.n_features, 2).n_output_features, 1));

var l1 = new TrainingOptions { penalty = PenaltyKind.L1, solver = SolverKind.OwlQn, standardize = true, tol = 1e-8, max_iter = 5000 };
double cMin = RegularizationPath.l1_min_c(train, l1);
Console.WriteLine($"l1_min_c = {cMin:G6}");
var path = RegularizationPath.fit(train, l1, RegularizationPath.log_grid(0.5 * cMin, 500 * cMin, 20), test);
Console.WriteLine($"{"C",9} {"C/C_min",8} {"non-zero",8} {"test accuracy",13} {"test log loss",13} {"iterations",10}");
foreach (var s in path)
    Console.WriteLine($"{s.C,9:G3} {s.C / cMin,8:G3} {s.n_coefficients - s.n_zeros,8} {s.test!.accuracy,13:F3} {s.test.log_loss,13:F4} {s.iterations,10}");

var none = new TrainingOptions { penalty = PenaltyKind.None, standardize = true, max_iter = 10_000 };
foreach (double tol in new[] { 1e-3, 1e-5, 1e-7, 1e-9 })
{
    using var model = Trainer.fit(train, none with { tol = tol });
    double norm = Math.Sqrt(model.result!.theta.Take(train.n_features).Sum(v => v * v));
    Console.WriteLine($"no penalty, tol {tol:G1}: converged {model.result.converged}, {model.result.iterations,3} iterations, ‖w‖ = {norm,9:F1}, train objective {model.result.objective:G3}, train accuracy {Evaluation.of(model, train).accuracy:F3}, test log loss {Evaluation.of(model, test).log_loss:F3}");
}
foreach (double tol in new[] { 1e-5, 1e-9 })
{
    using var model = Trainer.fit(train, new TrainingOptions { standardize = true, tol = tol });
    double norm = Math.Sqrt(model.result!.theta.Take(train.n_features).Sum(v => v * v));
    Console.WriteLine($"L2, C = 1, tol {tol:G1}: converged {model.result.converged}, {model.result.iterations,3} iterations, ‖w‖ = {norm,9:F4}, test log loss {Evaluation.of(model, test).log_loss:F3}");
}

var poly = new TrainingOptions { standardize = true, poly_degree = 2, tol = 1e-8, max_iter = 5000 };
Console.WriteLine($"{train.n_features} features → {new PolynomialFeatures(train.n_features, 2).n_output_features} with degree 2, for {train.n_samples} training rows");
var l2Path = RegularizationPath.fit(train, poly, RegularizationPath.log_grid(1e-3, 1e4, 15), test);
Console.WriteLine($"{"C",9} {"‖w‖",8} {"train log loss",14} {"test log loss",13} {"test accuracy",13}");
foreach (var s in l2Path)
    Console.WriteLine($"{s.C,9:G3} {Math.Sqrt(s.coefficients.Sum(v => v * v)),8:F2} {s.train.log_loss,14:F4} {s.test!.log_loss,13:F4} {s.test.accuracy,13:F3}");
var best = l2Path.MinBy(s => s.test!.log_loss)!;
Console.WriteLine($"smallest test log loss {best.test!.log_loss:F4} at C = {best.C:G3}");

var cold = RegularizationPath.fit(train, new TrainingOptions { standardize = true, tol = 1e-8, max_iter = 20_000 }, RegularizationPath.log_grid(1e-2, 1e4, 7), warm_start: false);
foreach (var s in cold)
    Console.WriteLine($"C = {s.C,8:G3}: λ₂ = 1/(C·m) = {1 / (s.C * train.n_samples),9:G3}, L-BFGS iterations from θ = 0: {s.iterations,4}, converged {s.converged}");

void save(ScottPlot.Plot plot, string file, int width, int height)
{
    using (plot) PlotImage.save_png(plot, Path.Combine(outDir, file), width, height);
    Console.WriteLine($"wrote {Path.Combine(outDir, file)}");
}
save(RegularizationPathPlot.coefficients(path, data.feature_names, "Breast cancer: L1 coefficient paths", l1_min_c: cMin), "05-l1-path.png", 900, 500);
save(RegularizationPathPlot.losses(l2Path, "Breast cancer, degree-2 features, L2: log loss along the path"), "05-path-losses.png", 800, 450);
