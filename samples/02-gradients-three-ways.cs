#:project ../src/TorchLogistic/TorchLogistic.csproj
#:project ../src/TorchLogistic.Plotting/TorchLogistic.Plotting.csproj
// Gradients three ways (the story of notebooks/02-gradients-three-ways.ipynb): the closed form of the logistic
// loss checked against autograd and finite differences, then training with both gradient paths, to PNG.
using TorchLogistic.Checking;
using TorchLogistic.Data;
using TorchLogistic.Losses;
using TorchLogistic.Plotting;
using TorchLogistic.Training;
using static TorchSharp.torch;

string outDir = args.Length > 0 ? args[0] : Path.Combine("runs", "samples");
Directory.CreateDirectory(outDir);

var data = BuiltinDatasets.load("breast-cancer");
var rows = StandardScaler.fit(data).transform(data).subset(Enumerable.Range(0, 60).ToArray());
var x = rows.features_tensor();
var y = rows.labels_tensor().to_type(ScalarType.Float64);
long d = x.shape[1];
Tensor loss(Tensor theta) => LossFunctions.binary_cross_entropy_with_logits(x.matmul(theta.narrow(0, 0, d)) + theta[d], y);
Tensor closedForm(Tensor theta)
{
    var residual = StableMath.sigmoid(x.matmul(theta.narrow(0, 0, d)) + theta[d]) - y;
    return cat(new[] { x.t().matmul(residual) / x.shape[0], residual.mean().unsqueeze(0) });
}
var point = randn(new long[] { d + 1 }, dtype: ScalarType.Float64, generator: new Generator(7)) * 0.3;
Console.WriteLine(GradientChecker.check_gradient(loss, point, closedForm).ensure_passed());

var options = new TrainingOptions { standardize = true, tol = 1e-8 };
using var analytic = Trainer.fit(data, options);
using var autograd = Trainer.fit(data, options with { gradients = GradientMode.Autograd });
LossSeries series(string label, TrainingResult r) =>
    new(label, r.history.Select(h => (double)h.iteration).ToArray(), r.history.Select(h => h.objective).ToArray());
using var plot = LossCurvePlot.create(new[] { series("analytic gradients", analytic.result!), series("autograd", autograd.result!) },
    "breast cancer, L-BFGS: analytic vs autograd gradients", "objective", log_scale: true);
string path = Path.Combine(outDir, "02-gradient-paths.png");
PlotImage.save_png(plot, path, 700, 400);
Console.WriteLine($"wrote {path}");
