using System.CommandLine;
using System.Globalization;
using TorchLogistic.Data;
using TorchLogistic.IO;
using TorchLogistic.Plotting;
using TorchLogistic.Reporting;
using TorchLogistic.Selection;

namespace TorchLogistic.Cli.Commands;

/// <summary>
/// <c>torchlogistic importance</c>: permutation importance of a saved model's raw features on labelled rows
/// (<see cref="PermutationImportance"/>): a table on stdout, importance.json and importance.png.
/// </summary>
internal static class ImportanceCommand
{
    private static readonly Option<string> ModelPath = new("--model") { Description = "The model.bin written by train.", Required = true };
    private static readonly Option<string> Data = new("--data")
    {
        Description = $"Labelled CSV with the model's raw feature columns (by name; a tabular model's categorical columns as text; other columns are ignored) and a label column, or a built-in data set ({string.Join(", ", BuiltinDatasets.Names)}).",
        Required = true,
    };
    private static readonly Option<string?> Label = new("--label") { Description = "Label column of the CSV (default: the last column)." };
    private static readonly Option<string?> SampleWeight = new("--sample-weight") { Description = "CSV column of row weights (≥ 0) that weigh every score; rows keep their weight when a feature is permuted." };
    private static readonly Option<int> Repeats = new("--repeats") { Description = $"Permutations per feature, 1 … {PermutationImportanceOptions.MaxRepeats} (default 10).", DefaultValueFactory = _ => 10 };
    private static readonly Option<string> Scoring = new("--scoring") { Description = "The score whose drop is measured: log_loss (default; importance = rise of the loss), accuracy, roc_auc or balanced_accuracy.", DefaultValueFactory = _ => "log_loss" };
    private static readonly Option<int> Seed = new("--seed") { Description = "Seed of the permutations (default 0): the same seed gives the same numbers.", DefaultValueFactory = _ => 0 };
    private static readonly Option<string?> DataDir = new("--data-dir") { Description = $"Folder of fashion-mnist's IDX files (default {FashionMnist.DefaultDirectory})." };
    private static readonly Option<string?> Out = new("--out") { Description = "Output folder for importance.json and importance.png (default runs/<data>-importance)." };
    private static readonly Option<bool> Quiet = new("--quiet") { Description = "No table." };

    public static Command Create()
    {
        var command = new Command("importance", "Permutation importance of a saved model's features on labelled data (a categorical column permuted as a whole): a table, importance.json and importance.png.")
        {
            ModelPath, Data, Label, SampleWeight, Repeats, Scoring, Seed, DataDir, Out, Quiet,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(Run(parse, cancellation)));
        return command;
    }

    private static int Run(ParseResult parse, CancellationToken cancellation)
    {
        string modelPath = parse.GetValue(ModelPath)!;
        string dataName = parse.GetValue(Data)!;
        string outDir = parse.GetValue(Out) ?? Path.Combine("runs", Path.GetFileNameWithoutExtension(dataName) + "-importance");
        // The output folder is checked before any input is read: it must not hold an input it would replace.
        using var output = OutputSet.Folder(outDir, File.Exists(dataName) ? dataName : null, modelPath);
        var options = new PermutationImportanceOptions
        {
            Repeats = parse.GetValue(Repeats),
            Scoring = FoldScore.Parse(parse.GetValue(Scoring)!),
            Seed = parse.GetValue(Seed),
        };
        options.Validate();
        using var model = ModelFile.Load(modelPath);
        if (LibSvmFile.HasExtension(dataName))
            throw new ArgumentException($"importance reads CSV files or built-in data sets; '{dataName}' is a LIBSVM file. Convert it to CSV with the model's feature columns and a label column.");
        Dataset rows;
        if (BuiltinDatasets.Contains(dataName))
        {
            if (parse.GetValue(Label) != null || parse.GetValue(SampleWeight) != null)
                throw new ArgumentException($"--label and --sample-weight name CSV columns; the built-in data set '{dataName}' has fixed columns. Drop them.");
            var loaded = BuiltinDatasets.HasOfficialSplit(dataName)
                ? Datasets.LoadSplit(dataName, null, 0, null, null, parse.GetValue(DataDir)).Test!
                : Datasets.Load(dataName, null, null, parse.GetValue(DataDir));
            rows = LabelledRows.Align(loaded, model.FeatureNames, model.Classes);
        }
        else
        {
            // Raw columns through the model's own encoder (levels, fills, indicators), as evaluate and predict do.
            var table = TabularTable.Load(dataName);
            string? label = parse.GetValue(Label);
            var raw = PermutationImportance.Groups(model).Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
            if (label == null && table.ColumnNames.Count > 0 && raw.Contains(table.ColumnNames[^1]))
                throw new DataFormatException($"'{dataName}' has no label column: its last column '{table.ColumnNames[^1]}' is one of the model's features. Add the label column (last, or name it with --label); importance needs labelled rows.");
            if (label != null && raw.Contains(label))
                throw new DataFormatException($"--label '{label}' is one of the model's features, not a label. Name the label column.");
            rows = LabelledRows.FromTable(table, model.Encode(table), model.FeatureNames, model.Classes, label, sampleWeight: parse.GetValue(SampleWeight));
        }
        cancellation.ThrowIfCancellationRequested();
        var result = PermutationImportance.Compute(model, rows, options);
        var file = ImportanceFile.Of(result, dataName, modelPath, options.Seed, model.FeatureNames);
        string title = $"Permutation importance: {Path.GetFileNameWithoutExtension(dataName)}";
        byte[] png;
        using (var plot = PermutationImportancePlot.Create(result, title))
            png = PlotImage.Png(plot, 800, Math.Clamp(160 + 28 * Math.Min(result.Features.Count, PermutationImportancePlot.MaxBars), 400, 1400));
        output.WriteText("importance.json", file.ToText());
        output.WriteBytes("importance.png", png);
        output.Commit(cancellation);

        if (!parse.GetValue(Quiet))
        {
            var c = CultureInfo.InvariantCulture;
            string direction = file.LowerIsBetter ? "rise of the loss" : "drop of the score";
            Console.WriteLine(string.Create(c, $"baseline   {file.Scoring} {file.BaselineScore:G6} on {file.Rows} rows{(file.Weighted ? " (weighted)" : "")}; importance = {direction} when a feature is permuted ({file.Repeats} repeats, seed {file.Seed})"));
            int width = Math.Max(7, file.Features.Max(f => f.Feature.Length));
            Console.WriteLine($"{"feature".PadRight(width)}  {"mean",12}  {"sd",12}");
            foreach (var f in file.Features)
                Console.WriteLine(string.Create(c, $"{f.Feature.PadRight(width)}  {f.Mean,12:F6}  {f.Sd,12:F6}{(f.Columns.Length > 1 ? $"  ({f.Columns.Length} columns)" : "")}"));
            Console.WriteLine($"wrote      {Path.Combine(outDir, "importance.json")}, importance.png");
        }
        return 0;
    }
}
