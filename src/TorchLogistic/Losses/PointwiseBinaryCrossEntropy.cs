using static TorchSharp.torch;

namespace TorchLogistic.Losses;

/// <summary>
/// Binary cross-entropy with logits per entry, scikit-learn's <c>HalfBinomialLoss</c> generalised to PyTorch's and
/// seed-style options:
/// <code>
/// e(y, z) = −[α₁·p·y·log σ(z) + α₀·(1 − y)·log σ(−z)] / ln(base)
/// e′ = [α₀(1 − y)·σ(z) − α₁·p·y·σ(−z)] / ln(base)        e″ = (α₁·p·y + α₀(1 − y))·σ(z)·σ(−z) / ln(base)
/// </code>
/// with y ∈ [0, 1] (soft targets allowed), p = pos_weight, α the <see cref="BinaryClassWeights"/>. With the defaults
/// this is <c>log(1 + eᶻ) − y·z</c>; e″ ≥ 0, so the loss is convex in z.
/// </summary>
public sealed class PointwiseBinaryCrossEntropy : ElementwiseLoss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="pos_weight">p, the weight of the positive term, broadcastable against the logits (e.g. one per output column), or null for 1 (PyTorch's <c>pos_weight</c>).</param>
    /// <param name="class_weight">α₀/α₁, explicit or <see cref="BinaryClassWeights.balanced"/>, or null for 1.</param>
    /// <param name="log_base">Base of the logarithm, &gt; 1 (default e; 2 gives bits, as log₂-based formulas do).</param>
    public PointwiseBinaryCrossEntropy(Tensor? pos_weight = null, BinaryClassWeights? class_weight = null, double log_base = Math.E)
    {
        if (!(log_base > 1) || !double.IsFinite(log_base))
            throw new ArgumentOutOfRangeException(nameof(log_base), log_base, $"log_base = {log_base} must be a finite number > 1 (use Math.E for nats or 2 for bits).");
        if (pos_weight is not null && !pos_weight.is_floating_point())
            throw new ArgumentException($"pos_weight is {pos_weight.dtype}; give a floating-point tensor.", nameof(pos_weight));
        this.pos_weight = pos_weight;
        this.class_weight = class_weight;
        this.log_base = log_base;
    }

    /// <summary>p, or null.</summary>
    public Tensor? pos_weight { get; }

    /// <summary>α₀/α₁, or null.</summary>
    public BinaryClassWeights? class_weight { get; }

    /// <summary>Base of the logarithm.</summary>
    public double log_base { get; }

    /// <inheritdoc />
    protected override Tensor entry_value(Tensor y_true, Tensor raw_prediction)
    {
        using var scope = NewDisposeScope();
        var (a, b) = coefficients(y_true, raw_prediction);
        return scaled(LogisticTerms.value(y_true, raw_prediction, a, b)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override Tensor entry_derivative(Tensor y_true, Tensor raw_prediction)
    {
        using var scope = NewDisposeScope();
        var (a, b) = coefficients(y_true, raw_prediction);
        return scaled(LogisticTerms.derivative(y_true, raw_prediction, a, b)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override (Tensor value, Tensor derivative) entry_value_derivative(Tensor y_true, Tensor raw_prediction)
    {
        using var scope = NewDisposeScope();
        var (a, b) = coefficients(y_true, raw_prediction);
        var (value, derivative) = LogisticTerms.value_and_derivative(y_true, raw_prediction, a, b);
        return (scaled(value).MoveToOuterDisposeScope(), scaled(derivative).MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    protected override Tensor entry_curvature(Tensor y_true, Tensor raw_prediction)
    {
        using var scope = NewDisposeScope();
        var (a, b) = coefficients(y_true, raw_prediction);
        return scaled(LogisticTerms.curvature(y_true, raw_prediction, a, b)).MoveToOuterDisposeScope();
    }

    /// <summary>a = α₁·p and b = α₀ (null where they are 1).</summary>
    private (Tensor? a, Tensor? b) coefficients(Tensor y_true, Tensor raw_prediction)
    {
        Tensor? a = pos_weight?.to_type(raw_prediction.dtype);
        Tensor? b = null;
        if (class_weight is not null)
        {
            var (alpha0, alpha1) = class_weight.resolve(y_true, raw_prediction.dtype);
            a = a is null ? alpha1 : a * alpha1;
            b = alpha0;
        }
        return (a, b);
    }

    private Tensor scaled(Tensor values) => log_base == Math.E ? values : values / Math.Log(log_base);
}
