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

var data = BuiltinDatasets.Load("breast-cancer");
var rows = StandardScaler.Fit(data).Transform(data).Subset(Enumerable.Range(0, 60).ToArray());
var x = rows.FeaturesTensor();
var y = rows.LabelsTensor().to_type(ScalarType.Float64);
long d = x.shape[1];
Tensor Loss(Tensor theta) => LossFunctions.BinaryCrossEntropyWithLogits(x.matmul(theta.narrow(0, 0, d)) + theta[d], y);
Tensor ClosedForm(Tensor theta)
{
    var residual = StableMath.Sigmoid(x.matmul(theta.narrow(0, 0, d)) + theta[d]) - y;
    return cat(new[] { x.t().matmul(residual) / x.shape[0], residual.mean().unsqueeze(0) });
}
var point = randn(new long[] { d + 1 }, dtype: ScalarType.Float64, generator: new Generator(7)) * 0.3;
Console.WriteLine(GradientChecker.CheckGradient(Loss, point, ClosedForm).EnsurePassed());

var options = new TrainingOptions { Standardize = true, Tolerance = 1e-8 };
using var analytic = Trainer.Fit(data, options);
using var autograd = Trainer.Fit(data, options with { Gradients = GradientMode.Autograd });
LossSeries Series(string label, TrainingResult r) =>
    new(label, r.History.Select(h => (double)h.Iteration).ToArray(), r.History.Select(h => h.Objective).ToArray());
using var plot = LossCurvePlot.Create(new[] { Series("analytic gradients", analytic.Result!), Series("autograd", autograd.Result!) },
    "breast cancer, L-BFGS: analytic vs autograd gradients", "objective", logScale: true);
string path = Path.Combine(outDir, "02-gradient-paths.png");
PlotImage.SavePng(plot, path, 700, 400);
Console.WriteLine($"wrote {path}");
