using static TorchSharp.torch;

namespace TorchLogistic.Models;

/// <summary>
/// Multinomial (softmax) logistic regression: <c>P(y = k | x) = softmax(W x + b)ₖ</c> over K ≥ 2 classes.
/// <see cref="LinearClassifier.forward"/> returns the logits, shape <c>(m, K)</c>, which <c>CrossEntropyLoss</c> trains.
/// </summary>
public sealed class SoftmaxRegression : LinearClassifier
{
    /// <summary>Creates an untrained model (all parameters zero).</summary>
    /// <param name="in_features">Number of input features d.</param>
    /// <param name="n_classes">Number of classes K ≥ 2.</param>
    /// <param name="dtype">Parameter dtype, float64 by default.</param>
    public SoftmaxRegression(long in_features, int n_classes, ScalarType dtype = ScalarType.Float64)
        : base(nameof(SoftmaxRegression), in_features, n_classes >= 2 ? n_classes : throw new ArgumentOutOfRangeException(nameof(n_classes), n_classes, "Softmax regression needs at least 2 classes."), dtype) { }

    /// <inheritdoc />
    public override int n_classes => (int)n_outputs;

    /// <summary>Class probabilities <c>softmax(X Wᵀ + b)</c>, shape <c>(m, K)</c>.</summary>
    public override Tensor predict_proba(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return nn.functional.softmax(forward(x), 1).MoveToOuterDisposeScope();
    }
}
