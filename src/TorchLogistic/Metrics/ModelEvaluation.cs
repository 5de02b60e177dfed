using TorchLogistic.Data;
using TorchLogistic.Training;

namespace TorchLogistic.Metrics;

/// <summary>
/// <c>model.evaluate(test)</c>: the evaluation of a fitted model as a member-style call. It lives here, beside
/// <see cref="Evaluation"/>, because metrics come after training in the layers (Training does not use Metrics).
/// </summary>
public static class ModelEvaluation
{
    /// <summary>Evaluates <paramref name="model"/> on <paramref name="data"/>: the same as <see cref="Evaluation.Of(FittedModel, Dataset, double?)"/>.</summary>
    /// <param name="model">The trained model.</param>
    /// <param name="data">Rows to evaluate, with labels (raw features; the model's scaler applies).</param>
    /// <param name="threshold">Binary models: predict class 1 when its probability is at least this (default 0.5).</param>
    public static Evaluation Evaluate(this FittedModel model, Dataset data, double? threshold = null) => Evaluation.Of(model, data, threshold);
}
