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

var data = BuiltinDatasets.load("breast-cancer");
TorchSharp.torch.set_num_threads(ThreadPolicy.choose(data.n_samples, data.n_features, 1));
var options = new TrainingOptions { standardize = true, penalty = PenaltyKind.L2, C = 1, tol = 1e-10, max_iter = 3000 };
SolverKind[] solvers = { SolverKind.Gd, SolverKind.GdLipschitz, SolverKind.Adagrad, SolverKind.Newton, SolverKind.Lbfgs };
// A short warm-up keeps one-time costs (JIT compilation, libtorch's lazy initialisation) out of the timings.
SolverComparison.run(data, options with { max_iter = 3 }, solvers, SolverDefaults.learning_rate_for);
var rows = SolverComparison.run(data, options, solvers, SolverDefaults.learning_rate_for);
Console.WriteLine(SolverComparison.to_markdown(rows));

double optimum = rows.Where(r => r.converged).Min(r => r.objective);
var tooLarge = SolverComparison.run(data, options with { lr = 30 }, new[] { SolverKind.Gd })[0];
string label(SolverComparison.Row r) => r.solver switch
{
    SolverKind.Gd => $"gd, step {SolverDefaults.learning_rate_for(SolverKind.Gd)}",
    SolverKind.Adagrad => $"adagrad, base step {SolverDefaults.learning_rate_for(SolverKind.Adagrad)}",
    _ => SolverRegistry.name_of(r.solver),
};
var labelled = rows.Select(r => (Label: label(r), Row: r)).Append((Label: "gd, step 30 (too large)", Row: tooLarge)).ToList();
var runs = labelled.Select(x => new ConvergenceRun(x.Label, x.Row.history!)).ToList();
Console.WriteLine($"F* = {optimum:R}");
Console.WriteLine($"gd with step 30: {tooLarge.stop_reason}; final gap {tooLarge.objective - optimum:G3}");
foreach (var (name, r) in labelled)
    Console.WriteLine($"{name,-28} {r.iterations,5} iterations  {1000 * r.seconds / Math.Max(1, r.iterations),7:F3} ms per iteration  {r.function_evaluations,5} f/∇f evaluations  {r.hessian_evaluations,2} Hessians");

void save(ScottPlot.Plot plot, string file)
{
    using (plot) PlotImage.save_png(plot, Path.Combine(outDir, file), 800, 500);
    Console.WriteLine($"wrote {Path.Combine(outDir, file)}");
}
save(ConvergencePlot.create(runs, optimum, ConvergenceAxis.Iteration, "Breast cancer, L2, C = 1: gap to the optimum per iteration"), "03-gap-per-iteration.png");
save(ConvergencePlot.create(runs.Take(rows.Count).ToList(), optimum, ConvergenceAxis.Seconds, "Breast cancer, L2, C = 1: gap to the optimum against wall time"),
    "03-gap-per-second.png");

double lipschitz(Dataset rows)
{
    using var f = new LinearModelObjective(rows.features_tensor(), rows.labels_tensor(), 1, Penalty.l2(1));
    return f.lipschitz_bound();
}
var scaled = StandardScaler.fit(data).transform(data);
Console.WriteLine($"standardised features: L = {lipschitz(scaled):G4}, safe step 1/L = {1 / lipschitz(scaled):G4}");
Console.WriteLine($"raw features:          L = {lipschitz(data):G4}, safe step 1/L = {1 / lipschitz(data):G4}");
foreach (var r in SolverComparison.run(data, options with { standardize = false, lr = 1, max_iter = 300 }, new[] { SolverKind.Gd, SolverKind.GdLipschitz }))
{
    var h = r.history!;
    bool monotone = h.Zip(h.Skip(1)).All(p => p.Second.objective <= p.First.objective);
    Console.WriteLine(r.error != null
        ? $"{SolverRegistry.name_of(r.solver)} with step 1 on raw features: {r.error}"
        : $"{SolverRegistry.name_of(r.solver)} on raw features: objective {h[0].objective:G4} → {r.objective:G4} in {r.iterations} iterations, decreasing at every step: {monotone}");
}
