using static TorchSharp.torch;

namespace TorchLogistic.Models;

/// <summary>
/// Multinomial (softmax) logistic regression: <c>P(y = k | x) = softmax(W x + b)ₖ</c> over K ≥ 2 classes.
/// <see cref="LinearClassifier.forward"/> returns the logits, shape <c>(m, K)</c>, which <c>CrossEntropyLoss</c> trains.
/// </summary>
public sealed class SoftmaxRegression : LinearClassifier
{
    /// <summary>Creates an untrained model (all parameters zero).</summary>
    /// <param name="featureCount">Number of input features d.</param>
    /// <param name="classCount">Number of classes K ≥ 2.</param>
    /// <param name="dtype">Parameter dtype, float64 by default.</param>
    /// <param name="fitIntercept">Whether the model has intercepts (default true; false: scikit-learn's <c>fit_intercept=False</c>).</param>
    public SoftmaxRegression(long featureCount, int classCount, ScalarType dtype = ScalarType.Float64, bool fitIntercept = true)
        : base(nameof(SoftmaxRegression), featureCount, classCount >= 2 ? classCount : throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "Softmax regression needs at least 2 classes."), dtype, fitIntercept) { }

    /// <inheritdoc />
    public override int ClassCount => (int)OutputCount;

    /// <summary>Class probabilities <c>softmax(X Wᵀ + b)</c>, shape <c>(m, K)</c>.</summary>
    public override Tensor PredictProbabilities(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return nn.functional.softmax(forward(x), 1).MoveToOuterDisposeScope();
    }
}
