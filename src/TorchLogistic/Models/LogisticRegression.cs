using TorchLogistic.Native;
using static TorchSharp.torch;

namespace TorchLogistic.Models;

/// <summary>
/// Binary logistic regression: <c>P(y = 1 | x) = σ(w·x + b)</c>. <see cref="LinearClassifier.forward"/>
/// returns the logit, shape <c>(m, 1)</c>, which <c>BCEWithLogitsLoss</c> trains.
/// </summary>
public sealed class LogisticRegression : LinearClassifier
{
    /// <summary>Creates an untrained model (all parameters zero).</summary>
    /// <param name="featureCount">Number of input features d.</param>
    /// <param name="dtype">Parameter dtype, float64 by default.</param>
    /// <param name="fitIntercept">Whether the model has intercepts (default true; false: scikit-learn's <c>fit_intercept=False</c>).</param>
    public LogisticRegression(long featureCount, ScalarType dtype = ScalarType.Float64, bool fitIntercept = true)
        : base(nameof(LogisticRegression), featureCount, 1, dtype, fitIntercept) { }

    /// <inheritdoc />
    public override int ClassCount => 2;

    /// <summary>Probabilities of class 0 and class 1, shape <c>(m, 2)</c>, like scikit-learn's <c>predict_proba</c>.</summary>
    public override Tensor PredictProbabilities(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var p = sigmoid(forward(x));
        return cat(new[] { p.SubtractedFrom(1), p }, 1).MoveToOuterDisposeScope();
    }

    /// <summary>Class 1 where <c>P(y = 1 | x) ≥ threshold</c>, else class 0; int64, shape <c>(m)</c>.</summary>
    /// <param name="x">Inputs, shape <c>(m, d)</c>.</param>
    /// <param name="threshold">Decision threshold in (0, 1); 0.5 predicts the more probable class.</param>
    public Tensor Predict(Tensor x, double threshold)
    {
        if (!(threshold > 0 && threshold < 1))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, $"Threshold {threshold} must be in (0, 1).");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var cut = Scalars.Of(threshold);
        return sigmoid(forward(x)).squeeze(1).ge(cut).to_type(ScalarType.Int64).MoveToOuterDisposeScope();
    }
}
