using System.CommandLine;
using System.Globalization;
using System.Text;
using TorchLogistic.Data;
using TorchLogistic.Export;
using TorchLogistic.Inference;
using TorchLogistic.IO;
using TorchLogistic.Models;
using TorchLogistic.Training;

namespace TorchLogistic.Cli.Commands;

/// <summary><c>torchlogistic predict</c>: probabilities of each class for new rows, from a saved model.</summary>
internal static class PredictCommand
{
    private static readonly Option<string> ModelPath = new("--model") { Description = "The model.bin written by train (or a .pt with its .json, or a .json, written by export).", Required = true };
    private static readonly Option<string> Data = new("--data") { Description = "CSV with the model's feature columns (by name; other columns are ignored), a built-in data set, or a LIBSVM/svmlight file (features by index, labels ignored; --format).", Required = true };
    private static readonly Option<string> Out = new("--out") { Description = "Output CSV: one probability column per class, then the predicted class.", Required = true };
    private static readonly Option<bool> MemberProba = new("--member-proba") { Description = "One-vs-rest models: also write each member's own σ(w_k·x + b_k) (member_CLASS columns) beside the normalised probabilities." };
    private static readonly Option<string> Format = InputFormat.Create();
    private static readonly Option<double?> Threshold = new("--threshold") { Description = "Binary models: predict the second class when its probability is at least this (default 0.5)." };
    private static readonly Option<double?> Intervals = new("--intervals") { Description = "Add lower_<class> and upper_<class> columns: confidence intervals at this level (e.g. 0.95) by the delta method, from the covariance train --summary stored in the model." };

    public static Command Create()
    {
        var command = new Command("predict", "Write class probabilities for new rows using a saved model.") { ModelPath, Data, Out, Threshold, MemberProba, Format, Intervals };
        command.SetAction((parse, cancellation) => Task.FromResult(Run(parse, cancellation)));
        return command;
    }

    private static int Run(ParseResult parse, CancellationToken cancellation)
    {
        string outPath = parse.GetValue(Out)!;
        string modelPath = parse.GetValue(ModelPath)!;
        string dataName = parse.GetValue(Data)!;
        // The output is checked first: it must not be one of the inputs, nor an existing folder.
        using var output = OutputSet.File(outPath, modelPath, dataName);
        using var model = ModelExport.Load(modelPath);
        bool memberProba = parse.GetValue(MemberProba);
        if (memberProba && model.Module is not OneVsRest)
            throw new ArgumentException($"--member-proba applies to one-vs-rest models (--model ovr); this model is {ModelFile.KindName(model.Module)}, whose probabilities are not normalised member scores.");
        double? threshold = parse.GetValue(Threshold);
        if (threshold.HasValue && model.Classes.Length != 2)
            throw new ArgumentException($"--threshold applies to binary models; this model has {model.Classes.Length} classes.");
        if (threshold.HasValue && !(threshold > 0 && threshold < 1))
            throw new ArgumentException($"--threshold {threshold} must be in (0, 1).");
        double[] proba;
        double[]? members = null;
        PredictionIntervalsResult? intervals = null;
        int rows;
        if (InputFormat.IsLibSvm(dataName, parse.GetValue(Format)!))
        {
            // Features by their 1-based index; an index beyond the model's features is refused with its line.
            var sparse = LibSvmFile.Load(dataName, featureCount: model.FeatureNames.Length);
            cancellation.ThrowIfCancellationRequested();
            rows = sparse.SampleCount;
            proba = model.PredictProbabilities(sparse).Values;
            if (memberProba || parse.GetValue(Intervals) is not null)
                throw new ArgumentException("--member-proba and --intervals read CSV or built-in data; for a LIBSVM file leave them out.");
        }
        else
        {
            (double[] features, rows) = BuiltinDatasets.Contains(dataName)
                ? BuiltinFeatures(dataName, model)
                : model.Encoding != null ? TabularFeatures(dataName, model)
                : CsvDataset.LoadFeatures(dataName, model.FeatureNames);
            cancellation.ThrowIfCancellationRequested();
            intervals = IntervalsFor(parse, modelPath, model, features, rows);
            proba = model.PredictProbabilities(features, rows, model.FeatureNames.Length).Values;
            members = memberProba ? model.MemberProbabilities(features, rows, model.FeatureNames.Length) : null;
        }
        int k = model.Classes.Length;
        int[] predicted = threshold.HasValue
            ? Enumerable.Range(0, rows).Select(i => proba[i * 2 + 1] >= threshold.Value ? 1 : 0).ToArray()
            : FittedModel.ArgmaxRows(proba, k);
        var text = new StringBuilder();
        var header = model.Classes.Select(c => CsvField($"proba_{c}"));
        if (members != null) header = header.Concat(model.Classes.Select(c => CsvField($"member_{c}")));
        if (intervals != null) header = header.Concat(model.Classes.SelectMany(c => new[] { CsvField($"lower_{c}"), CsvField($"upper_{c}") }));
        text.AppendLine(string.Join(",", header.Append("predicted")));
        for (int i = 0; i < rows; i++)
        {
            if ((i & 0xFFF) == 0) cancellation.ThrowIfCancellationRequested();
            for (int j = 0; j < k; j++) text.Append(proba[i * k + j].ToString("R", CultureInfo.InvariantCulture)).Append(',');
            if (members != null)
            {
                for (int j = 0; j < k; j++) text.Append(members[i * k + j].ToString("R", CultureInfo.InvariantCulture)).Append(',');
            }
            for (int j = 0; intervals != null && j < k; j++)
                text.Append(intervals[i, j].Lower.ToString("R", CultureInfo.InvariantCulture)).Append(',').Append(intervals[i, j].Upper.ToString("R", CultureInfo.InvariantCulture)).Append(',');
            text.AppendLine(CsvField(model.Classes[predicted[i]]));
        }
        output.WriteText("", text.ToString());
        output.Commit(cancellation);
        Console.WriteLine($"wrote {rows} predictions to {outPath}");
        return 0;
    }

    /// <summary>The raw rows of a tabular CSV through the model's encoder (its levels, fills and indicators).</summary>
    private static (double[] Features, int Rows) TabularFeatures(string path, FittedModel model)
    {
        var table = TabularTable.Load(path);
        return (model.Encode(table), table.RowCount);
    }

    /// <summary>The intervals --intervals asks for, from the estimates stored in the model file; null without --intervals.</summary>
    private static PredictionIntervalsResult? IntervalsFor(ParseResult parse, string modelPath, FittedModel model, double[] features, int rows)
    {
        if (parse.GetValue(Intervals) is not double level) return null;
        if (!(level > 0 && level < 1)) throw new ArgumentException($"--intervals {level} must be a confidence level in (0, 1), e.g. 0.95.");
        var estimates = ModelFile.LoadEstimates(modelPath)
            ?? throw new ArgumentException($"'{modelPath}' stores no covariance for intervals; train it with --summary (and --penalty none or l2) to predict with --intervals.");
        var data = new Dataset(modelPath, features, rows, model.FeatureNames.Length, new int[rows], model.Classes, model.FeatureNames);
        return PredictionIntervals.Of(estimates, LogitInference.ModelRows(model, data).Features, rows, level);
    }

    private static (double[] Features, int Rows) BuiltinFeatures(string name, FittedModel model)
    {
        if (model.Encoding != null)
            throw new ArgumentException($"The model encodes the raw columns of a tabular CSV ({string.Join(", ", model.Encoding.Columns.Take(5).Select(c => c.Name))}); the built-in data set '{name}' does not have them. Pass a CSV with those columns.");
        var data = BuiltinDatasets.Load(name);
        if (!data.FeatureNames.SequenceEqual(model.FeatureNames))
            throw new ArgumentException($"The built-in data set '{name}' does not have the model's features. Use data with the columns the model was trained on.");
        return (data.Features, data.SampleCount);
    }

    private static string CsvField(string value) =>
        value.Contains(',') || value.Contains('"') ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
}
