using System.CommandLine;
using System.Globalization;
using TorchLogistic.Data;
using TorchLogistic.IO;
using TorchLogistic.Reporting;

namespace TorchLogistic.Cli.Commands;

/// <summary>
/// <c>torchlogistic evaluate</c>: a saved model scored on any labelled file, with the metrics.json <c>test</c> and
/// <c>curves</c> sections and the plots that <c>train</c> writes for its test rows.
/// </summary>
internal static class EvaluateCommand
{
    private static readonly Option<string> ModelPath = new("--model") { Description = "The model.bin written by train.", Required = true };
    private static readonly Option<string> Data = new("--data")
    {
        Description = $"Labelled CSV with the model's feature columns (by name; other columns are ignored) and a label column, a LIBSVM file (see --format), or a built-in data set ({string.Join(", ", BuiltinDatasets.Names)}; fashion-mnist: its official test part).",
        Required = true,
    };
    private static readonly Option<string?> Label = new("--label") { Description = "Label column of a CSV (default: the last column)." };
    private static readonly Option<string?> DataDir = new("--data-dir") { Description = $"Folder of fashion-mnist's IDX files (default {FashionMnist.DefaultDirectory})." };
    private static readonly Option<string?> Out = new("--out") { Description = "Output folder for metrics.json and the plots (default runs/<data>-evaluate)." };
    private static readonly Option<double?> Threshold = new("--threshold") { Description = "Binary models: predict the second class when its probability is at least this (default 0.5)." };
    private static readonly Option<bool> Quiet = new("--quiet") { Description = "No summary." };
    private static readonly Option<string> Format = InputFormat.Create();

    public static Command Create()
    {
        var command = new Command("evaluate", "Score a saved model on labelled data: metrics.json (test metrics and curves) and the plots train writes for its test rows.")
        {
            ModelPath, Data, Label, DataDir, Out, Threshold, Quiet, Format,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(Run(parse, cancellation)));
        return command;
    }

    private static int Run(ParseResult parse, CancellationToken cancellation)
    {
        string modelPath = parse.GetValue(ModelPath)!;
        string dataName = parse.GetValue(Data)!;
        string outDir = parse.GetValue(Out) ?? Path.Combine("runs", Path.GetFileNameWithoutExtension(dataName) + "-evaluate");
        // The output folder is checked before any input is read: it must not hold an input it would replace.
        using var output = OutputSet.Folder(outDir, File.Exists(dataName) ? dataName : null, modelPath);
        using var model = ModelFile.Load(modelPath);
        double? threshold = parse.GetValue(Threshold);
        if (threshold.HasValue && !(threshold > 0 && threshold < 1))
            throw new ArgumentException($"--threshold {threshold} must be in (0, 1).");
        if (threshold.HasValue && model.Classes.Length != 2)
            throw new ArgumentException($"--threshold applies to binary models; this model has {model.Classes.Length} classes. Leave --threshold out.");
        EvaluationFile report;
        IReadOnlyDictionary<string, byte[]> plots;
        string title = Path.GetFileNameWithoutExtension(dataName);
        // Everything is computed before the first file is written, and each file is replaced atomically.
        if (InputFormat.IsLibSvm(dataName, parse.GetValue(Format)!))
        {
            if (parse.GetValue(Label) != null) throw new ArgumentException("--label does not apply to LIBSVM data: a LIBSVM row's label is its first token. Drop --label.");
            // Sparse rows as train scores them: the model's column count and classes, probabilities without densifying.
            var sparse = LibSvmFile.Load(dataName, featureCount: model.FeatureNames.Length, classes: model.Classes);
            cancellation.ThrowIfCancellationRequested();
            double[] proba = model.PredictProbabilities(sparse).Values;
            report = EvaluationReport.Create(dataName, modelPath, model, sparse.Labels, proba, threshold);
            plots = ReportPlots.RenderStreamed(model, global::TorchLogistic.Metrics.Evaluation.Of(sparse.Labels, proba, model.Classes.Length, threshold), "test", title);
        }
        else
        {
            Dataset rows;
            if (model.Encoding != null && !BuiltinDatasets.Contains(dataName))
            {
                // A tabular model reads the raw columns through its own encoder (levels, fills, indicators), as predict does.
                var table = TabularTable.Load(dataName);
                rows = LabelledRows.FromTable(table, model.Encode(table), model.FeatureNames, model.Classes, parse.GetValue(Label));
            }
            else
            {
                var loaded = BuiltinDatasets.HasOfficialSplit(dataName)
                    ? Datasets.LoadSplit(dataName, null, 0, parse.GetValue(Label), null, parse.GetValue(DataDir)).Test!
                    : Datasets.Load(dataName, parse.GetValue(Label), null, parse.GetValue(DataDir));
                rows = LabelledRows.Align(loaded, model.FeatureNames, model.Classes);
            }
            cancellation.ThrowIfCancellationRequested();
            report = EvaluationReport.Create(dataName, modelPath, model, rows, threshold);
            plots = ReportPlots.Render(model, rows, "test", title, threshold);
        }
        output.WriteText("metrics.json", EvaluationReport.ToText(report));
        foreach (var (name, png) in plots) output.WriteBytes(name, png);
        output.Commit(cancellation);

        if (!parse.GetValue(Quiet))
        {
            var c = CultureInfo.InvariantCulture;
            var t = report.Test;
            string auc = t.RocAuc is double a ? string.Create(c, $"  AUC {a:F4}") : "";
            Console.WriteLine(string.Create(c, $"data       {dataName}  ({report.NTest} rows, {model.Classes.Length} classes{(report.ClassesWithoutRows.Length > 0 ? $"; none of {string.Join(", ", report.ClassesWithoutRows)}" : "")})"));
            Console.WriteLine($"model      {modelPath}  ({report.Model})");
            Console.WriteLine(string.Create(c, $"test       accuracy {t.Accuracy:F4}  balanced {t.BalancedAccuracy:F4}  F1 {t.F1:F4}{auc}  log loss {t.LogLoss:F6}  Brier {t.BrierScore:F4}"));
            Console.WriteLine($"wrote      {Path.Combine(outDir, "metrics.json")}, {string.Join(", ", plots.Keys)}");
        }
        return 0;
    }
}
