using System.Runtime.InteropServices;
using TorchLogistic.Data;
using TorchLogistic.Training;
using static TorchSharp.torch;

namespace TorchLogistic.Metrics;

/// <summary>
/// <see cref="Evaluation"/> of a model on rows streamed from a file, in one pass that holds one mini-batch at a time:
/// the confusion matrix, and the sums of the rows' log-loss and Brier terms, are accumulated batch by batch in file
/// order — the same terms, in the same order, as <see cref="Evaluation.Of(FittedModel, Dataset, double?)"/> on the rows
/// in memory. Everything that follows from those is computed too; AUC and average precision, which need every score at
/// once, are null.
/// </summary>
public static class StreamingEvaluation
{
    /// <summary>Evaluates <paramref name="model"/> on every row of <paramref name="data"/> (raw features; the model's scaler applies).</summary>
    /// <param name="model">The trained model (without polynomial features).</param>
    /// <param name="data">The rows; their classes must be the model's.</param>
    /// <param name="threshold">Binary models: predict class 1 when its probability is at least this (default 0.5).</param>
    public static Evaluation Of(FittedModel model, BatchStream data, double? threshold = null)
    {
        int k = model.Classes.Length;
        if (!data.Classes.SequenceEqual(model.Classes))
            throw new ArgumentException($"'{data.Name}' has the classes {string.Join(", ", data.Classes)} but the model predicts {string.Join(", ", model.Classes)}.");
        if (data.FeatureCount != model.FeatureNames.Length)
            throw new ArgumentException($"'{data.Name}' has {data.FeatureCount} features but the model takes {model.FeatureNames.Length}.");
        if (model.Polynomial != null)
            throw new ArgumentException("Streamed evaluation applies the scaler but not polynomial features; this model has polynomial degree " + model.Polynomial.Degree + ".");
        if (threshold.HasValue && k != 2)
            throw new ArgumentException($"A decision threshold applies to binary models; this one has {k} classes. Leave the threshold out.");
        bool binary = k == 2;
        double? t = binary ? threshold ?? 0.5 : null;
        var confusion = new int[k, k];
        double logLoss = 0, brier = 0;
        long n = 0;
        double[] proba = Array.Empty<double>();
        using var tensors = new BatchTensors(model.Scaler);
        data.Rewind(batchRows: data.EvaluationBatchSize);
        while (data.Next() is { } batch)
        {
            int rows = batch.RowCount;
            if (proba.Length != rows * k) proba = new double[rows * k];
            using (var scope = NewDisposeScope())
            {
                var (x, _, _) = tensors.Fill(batch, weighted: false);
                var p = model.Module.PredictProbabilities(x.to_type(model.Module.DType)).to_type(ScalarType.Float64).contiguous();
                MemoryMarshal.Cast<byte, double>(p.bytes).CopyTo(proba);
            }
            int[] predicted = binary ? ClassificationMetrics.PredictWithThreshold(proba, t!.Value) : FittedModel.ArgmaxRows(proba, k);
            for (int i = 0; i < rows; i++)
            {
                int y = batch.Labels[i];
                var row = proba.AsSpan(i * k, k);
                confusion[y, predicted[i]]++;
                logLoss -= ClassificationMetrics.LogLikelihood(row, y);
                if (binary)
                {
                    double e = row[1] - y;
                    brier += e * e;
                }
                else
                {
                    brier += ClassificationMetrics.SquaredError(row, y);
                }
            }
            n += rows;
        }
        return Evaluation.FromConfusion(confusion, logLoss / n, brier / n, t);
    }
}
