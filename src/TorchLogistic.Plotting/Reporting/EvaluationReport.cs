using System.Text.Json;
using TorchLogistic.Data;
using TorchLogistic.IO;
using TorchLogistic.Training;

namespace TorchLogistic.Reporting;

/// <summary>
/// The content of <c>torchlogistic evaluate</c>'s <c>metrics.json</c> (<see cref="EvaluationFile"/>): a fitted model
/// scored on labelled rows with the same metrics and curves a training run reports for its test rows
/// (<see cref="TrainingReport.Create"/>), computed by the same code.
/// </summary>
public static class EvaluationReport
{
    /// <summary>Scores <paramref name="model"/> on <paramref name="rows"/>.</summary>
    /// <param name="data">What the data is (a built-in name or a path).</param>
    /// <param name="modelFile">The model file's path.</param>
    /// <param name="model">The model (loaded or just trained).</param>
    /// <param name="rows">Labelled rows in the model's layout (<see cref="LabelledRows.Align"/>).</param>
    /// <param name="threshold">Binary models: the decision threshold of the label metrics (default 0.5).</param>
    public static EvaluationFile Create(string data, string modelFile, FittedModel model, Dataset rows, double? threshold = null)
    {
        if (!rows.Classes.SequenceEqual(model.Classes))
            throw new ArgumentException($"The rows' classes ({string.Join(", ", rows.Classes)}) are not the model's ({string.Join(", ", model.Classes)}); bring them into the model's layout with LabelledRows.Align.");
        if (rows.SampleCount == 0) throw new ArgumentException($"'{data}' has no rows to evaluate.");
        if (threshold.HasValue && model.Classes.Length != 2)
            throw new ArgumentException($"A decision threshold applies to binary models; this one has {model.Classes.Length} classes. Leave TrainingReport.threshold out.");
        var evaluation = global::TorchLogistic.Metrics.Evaluation.Of(model, rows, threshold);
        return Build(data, modelFile, model, rows.Labels, model.PredictProbabilities(rows).Values, TrainingReport.Evaluation(model, rows, evaluation));
    }

    /// <summary>
    /// Scores <paramref name="model"/> from its probabilities of rows held elsewhere (sparse LIBSVM rows): the same
    /// report, without one-vs-rest's member agreement (which needs the rows themselves).
    /// </summary>
    /// <param name="data">What the data is.</param>
    /// <param name="modelFile">The model file's path.</param>
    /// <param name="model">The model.</param>
    /// <param name="labels">Class indices in the model's class order.</param>
    /// <param name="proba">The model's probabilities of the rows, row-major <c>(m, K)</c>.</param>
    /// <param name="threshold">Binary models: the decision threshold (default 0.5).</param>
    public static EvaluationFile Create(string data, string modelFile, FittedModel model, int[] labels, double[] proba, double? threshold = null)
    {
        if (labels.Length == 0) throw new ArgumentException($"'{data}' has no rows to evaluate.");
        if (threshold.HasValue && model.Classes.Length != 2)
            throw new ArgumentException($"A decision threshold applies to binary models; this one has {model.Classes.Length} classes. Leave TrainingReport.threshold out.");
        var evaluation = global::TorchLogistic.Metrics.Evaluation.Of(labels, proba, model.Classes.Length, threshold);
        return Build(data, modelFile, model, labels, proba, TrainingReport.Evaluation(evaluation));
    }

    private static EvaluationFile Build(string data, string modelFile, FittedModel model, int[] labels, double[] proba, EvaluationJson test)
    {
        var counts = new int[model.Classes.Length];
        foreach (int y in labels) counts[y]++;
        return new EvaluationFile
        {
            Data = data,
            ModelFile = modelFile,
            Model = ModelFile.KindName(model.Module),
            Classes = model.Classes.ToArray(),
            InputFeatures = model.FeatureNames.ToArray(),
            FitIntercept = model.Module.FitIntercept,
            NTest = labels.Length,
            ClassesWithoutRows = model.Classes.Where((_, k) => counts[k] == 0).ToArray(),
            Test = test,
            Curves = TrainingReport.Curves(labels, proba, model.Classes, "test"),
        };
    }

    /// <summary>The report as indented JSON text (the source-generated <see cref="MetricsJsonContext"/>).</summary>
    public static string ToText(EvaluationFile report) => JsonSerializer.Serialize(report, MetricsJsonContext.Default.EvaluationFile);
}
