#:project ../src/TorchLogistic/TorchLogistic.csproj
#:project ../src/TorchLogistic.Plotting/TorchLogistic.Plotting.csproj
// Solvers on one chart (the story of notebooks/03-solvers-on-one-chart.ipynb): gd with a fixed step, gd with the
// Lipschitz step, Adagrad, Newton and L-BFGS on standardised breast cancer (L2, C = 1), the gap to the optimum per
// iteration and per second to PNG, and why the Lipschitz step is safe where a fixed step diverges.
using TorchLogistic.Data;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Plotting;
using TorchLogistic.Training;

string outDir = args.Length > 0 ? args[0] : Path.Combine("runs", "samples");
Directory.CreateDirectory(outDir);

var data = BuiltinDatasets.Load("breast-cancer");
TorchSharp.torch.set_num_threads(ThreadPolicy.Choose(data.SampleCount, data.FeatureCount, 1));
var options = new TrainingOptions { Standardize = true, Penalty = PenaltyKind.L2, C = 1, Tolerance = 1e-10, MaxIterations = 3000 };
SolverKind[] solvers = { SolverKind.Gd, SolverKind.GdLipschitz, SolverKind.Adagrad, SolverKind.Newton, SolverKind.Lbfgs };
// A short warm-up keeps one-time costs (JIT compilation, libtorch's lazy initialisation) out of the timings.
SolverComparison.Run(data, options with { MaxIterations = 3 }, solvers, SolverDefaults.LearningRateFor);
var rows = SolverComparison.Run(data, options, solvers, SolverDefaults.LearningRateFor);
Console.WriteLine(SolverComparison.ToMarkdown(rows));

double optimum = rows.Where(r => r.Converged).Min(r => r.Objective);
var tooLarge = SolverComparison.Run(data, options with { LearningRate = 30 }, new[] { SolverKind.Gd })[0];
string Label(SolverComparison.Row r) => r.Solver switch
{
    SolverKind.Gd => $"gd, step {SolverDefaults.LearningRateFor(SolverKind.Gd)}",
    SolverKind.Adagrad => $"adagrad, base step {SolverDefaults.LearningRateFor(SolverKind.Adagrad)}",
    _ => SolverRegistry.NameOf(r.Solver),
};
var labelled = rows.Select(r => (Label: Label(r), Row: r)).Append((Label: "gd, step 30 (too large)", Row: tooLarge)).ToList();
var runs = labelled.Select(x => new ConvergenceRun(x.Label, x.Row.History!)).ToList();
Console.WriteLine($"F* = {optimum:R}");
Console.WriteLine($"gd with step 30: {tooLarge.StopDescription}; final gap {tooLarge.Objective - optimum:G3}");
foreach (var (name, r) in labelled)
    Console.WriteLine($"{name,-28} {r.Iterations,5} iterations  {1000 * r.Seconds / Math.Max(1, r.Iterations),7:F3} ms per iteration  {r.FunctionEvaluations,5} f/∇f evaluations  {r.HessianEvaluations,2} Hessians");

void Save(ScottPlot.Plot plot, string file)
{
    using (plot) PlotImage.SavePng(plot, Path.Combine(outDir, file), 800, 500);
    Console.WriteLine($"wrote {Path.Combine(outDir, file)}");
}
Save(ConvergencePlot.Create(runs, optimum, ConvergenceAxis.Iteration, "Breast cancer, L2, C = 1: gap to the optimum per iteration"), "03-gap-per-iteration.png");
Save(ConvergencePlot.Create(runs.Take(rows.Count).ToList(), optimum, ConvergenceAxis.Seconds, "Breast cancer, L2, C = 1: gap to the optimum against wall time"),
    "03-gap-per-second.png");

double Lipschitz(Dataset rows)
{
    using var f = new LinearModelObjective(rows.FeaturesTensor(), rows.LabelsTensor(), 1, Penalty.L2(1));
    return f.LipschitzBound();
}
var scaled = StandardScaler.Fit(data).Transform(data);
Console.WriteLine($"standardised features: L = {Lipschitz(scaled):G4}, safe step 1/L = {1 / Lipschitz(scaled):G4}");
Console.WriteLine($"raw features:          L = {Lipschitz(data):G4}, safe step 1/L = {1 / Lipschitz(data):G4}");
foreach (var r in SolverComparison.Run(data, options with { Standardize = false, LearningRate = 1, MaxIterations = 300 }, new[] { SolverKind.Gd, SolverKind.GdLipschitz }))
{
    var h = r.History!;
    bool monotone = h.Zip(h.Skip(1)).All(p => p.Second.Objective <= p.First.Objective);
    Console.WriteLine(r.Error != null
        ? $"{SolverRegistry.NameOf(r.Solver)} with step 1 on raw features: {r.Error}"
        : $"{SolverRegistry.NameOf(r.Solver)} on raw features: objective {h[0].Objective:G4} → {r.Objective:G4} in {r.Iterations} iterations, decreasing at every step: {monotone}");
}
