using TorchLogistic.Data;
using TorchLogistic.Training;

namespace TorchLogistic.Metrics;

/// <summary>How well a model does on a set of rows.</summary>
/// <param name="n_samples">Rows evaluated.</param>
/// <param name="accuracy">Share of rows classified correctly.</param>
/// <param name="log_loss">scikit-learn's log loss (mean, natural log).</param>
public sealed record Evaluation(int n_samples, double accuracy, double log_loss)
{
    /// <summary>Evaluates <paramref name="model"/> on <paramref name="data"/> (raw features; the model's scaler applies).</summary>
    public static Evaluation of(FittedModel model, Dataset data)
    {
        double[] proba = model.predict_proba(data);
        int k = model.classes.Length;
        return new Evaluation(data.n_samples,
            ClassificationMetrics.accuracy(data.labels, FittedModel.argmax_rows(proba, k)),
            ClassificationMetrics.log_loss(data.labels, proba, k));
    }
}
