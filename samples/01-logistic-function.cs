#:project ../src/TorchLogistic/TorchLogistic.csproj
#:project ../src/TorchLogistic.Plotting/TorchLogistic.Plotting.csproj
// The logistic function and its derivative, written to PNG (the story of notebooks/01-logistic-function.ipynb).
using TorchLogistic.Plotting;

string outDir = args.Length > 0 ? args[0] : Path.Combine("runs", "samples");
Directory.CreateDirectory(outDir);
using var plot = SigmoidPlot.Create();
string path = Path.Combine(outDir, "01-sigmoid.png");
PlotImage.SavePng(plot, path, 700, 400);
Console.WriteLine($"wrote {path}");
