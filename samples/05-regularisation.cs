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

var data = BuiltinDatasets.Load("breast-cancer");
var (train, test) = TrainTestSplit.Split(data, 0.2, seed: 0);
TorchSharp.torch.set_num_threads(ThreadPolicy.Choose(train.SampleCount, new PolynomialFeatures(train.FeatureCount, 2).OutputFeatureCount, 1));

var l1 = new TrainingOptions { Penalty = PenaltyKind.L1, Solver = SolverKind.OwlQn, Standardize = true, Tolerance = 1e-8, MaxIterations = 5000 };
double cMin = RegularizationPath.L1MinC(train, l1);
Console.WriteLine($"l1_min_c = {cMin:G6}");
var path = RegularizationPath.Fit(train, l1, RegularizationPath.LogGrid(0.5 * cMin, 500 * cMin, 20), test);
Console.WriteLine($"{"C",9} {"C/C_min",8} {"non-zero",8} {"test accuracy",13} {"test log loss",13} {"iterations",10}");
foreach (var s in path)
    Console.WriteLine($"{s.C,9:G3} {s.C / cMin,8:G3} {s.CoefficientCount - s.ZeroCount,8} {s.Test!.Accuracy,13:F3} {s.Test.LogLoss,13:F4} {s.Iterations,10}");

var none = new TrainingOptions { Penalty = PenaltyKind.None, Standardize = true, MaxIterations = 10_000 };
foreach (double tolerance in new[] { 1e-3, 1e-5, 1e-7, 1e-9 })
{
    using var model = Trainer.Fit(train, none with { Tolerance = tolerance });
    double norm = Math.Sqrt(model.Result!.Theta.Take(train.FeatureCount).Sum(v => v * v));
    Console.WriteLine($"no penalty, tol {tolerance:G1}: converged {model.Result.Converged}, {model.Result.Iterations,3} iterations, ‖w‖ = {norm,9:F1}, train objective {model.Result.Objective:G3}, train accuracy {Evaluation.Of(model, train).Accuracy:F3}, test log loss {Evaluation.Of(model, test).LogLoss:F3}");
}
foreach (double tolerance in new[] { 1e-5, 1e-9 })
{
    using var model = Trainer.Fit(train, new TrainingOptions { Standardize = true, Tolerance = tolerance });
    double norm = Math.Sqrt(model.Result!.Theta.Take(train.FeatureCount).Sum(v => v * v));
    Console.WriteLine($"L2, C = 1, tol {tolerance:G1}: converged {model.Result.Converged}, {model.Result.Iterations,3} iterations, ‖w‖ = {norm,9:F4}, test log loss {Evaluation.Of(model, test).LogLoss:F3}");
}

var poly = new TrainingOptions { Standardize = true, PolynomialDegree = 2, Tolerance = 1e-8, MaxIterations = 5000 };
Console.WriteLine($"{train.FeatureCount} features → {new PolynomialFeatures(train.FeatureCount, 2).OutputFeatureCount} with degree 2, for {train.SampleCount} training rows");
var l2Path = RegularizationPath.Fit(train, poly, RegularizationPath.LogGrid(1e-3, 1e4, 15), test);
Console.WriteLine($"{"C",9} {"‖w‖",8} {"train log loss",14} {"test log loss",13} {"test accuracy",13}");
foreach (var s in l2Path)
    Console.WriteLine($"{s.C,9:G3} {Math.Sqrt(s.Coefficients.Sum(v => v * v)),8:F2} {s.Train.LogLoss,14:F4} {s.Test!.LogLoss,13:F4} {s.Test.Accuracy,13:F3}");
var best = l2Path.MinBy(s => s.Test!.LogLoss)!;
Console.WriteLine($"smallest test log loss {best.Test!.LogLoss:F4} at C = {best.C:G3}");

var cold = RegularizationPath.Fit(train, new TrainingOptions { Standardize = true, Tolerance = 1e-8, MaxIterations = 20_000 }, RegularizationPath.LogGrid(1e-2, 1e4, 7), warmStart: false);
foreach (var s in cold)
    Console.WriteLine($"C = {s.C,8:G3}: λ₂ = 1/(C·m) = {1 / (s.C * train.SampleCount),9:G3}, L-BFGS iterations from θ = 0: {s.Iterations,4}, converged {s.Converged}");

void Save(ScottPlot.Plot plot, string file, int width, int height)
{
    using (plot) PlotImage.SavePng(plot, Path.Combine(outDir, file), width, height);
    Console.WriteLine($"wrote {Path.Combine(outDir, file)}");
}
Save(RegularizationPathPlot.Coefficients(path, data.FeatureNames, "Breast cancer: L1 coefficient paths", l1MinC: cMin), "05-l1-path.png", 900, 500);
Save(RegularizationPathPlot.Losses(l2Path, "Breast cancer, degree-2 features, L2: log loss along the path"), "05-path-losses.png", 800, 450);
