using TorchLogistic.Native;
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
    private Tensor? _hardLabelSign; // u = 1 − 2y of trusted targets that are all 0 or 1, when there are no weights and the log is natural

    /// <summary>Creates the loss.</summary>
    /// <param name="positiveWeight">p, the weight of the positive term, broadcastable against the logits (e.g. one per output column), or null for 1 (PyTorch's <c>pos_weight</c>).</param>
    /// <param name="classWeight">α₀/α₁, explicit or <see cref="BinaryClassWeights.Balanced"/>, or null for 1.</param>
    /// <param name="logBase">Base of the logarithm, &gt; 1 (default e; 2 gives bits, as log₂-based formulas do).</param>
    public PointwiseBinaryCrossEntropy(Tensor? positiveWeight = null, BinaryClassWeights? classWeight = null, double logBase = Math.E)
    {
        if (!(logBase > 1) || !double.IsFinite(logBase))
            throw new ArgumentOutOfRangeException(nameof(logBase), logBase, $"log_base = {logBase} must be a finite number > 1 (use Math.E for nats or 2 for bits).");
        if (positiveWeight is not null && !positiveWeight.is_floating_point())
            throw new ArgumentException($"pos_weight is {positiveWeight.dtype}; give a floating-point tensor.", nameof(positiveWeight));
        this.PositiveWeight = positiveWeight;
        this.ClassWeight = classWeight;
        this.LogBase = logBase;
    }

    /// <summary>p, or null.</summary>
    public Tensor? PositiveWeight { get; }

    /// <summary>α₀/α₁, or null.</summary>
    public BinaryClassWeights? ClassWeight { get; }

    /// <summary>Base of the logarithm.</summary>
    public double LogBase { get; }

    /// <inheritdoc />
    protected override Tensor EntryValue(Tensor yTrue, Tensor rawPrediction)
    {
        using var scope = NewDisposeScope();
        if (HardLabelSign(yTrue) is { } sign) return LogisticTerms.HardLabelValue(sign, rawPrediction).MoveToOuterDisposeScope();
        var (a, b) = Coefficients(yTrue, rawPrediction);
        return Scaled(LogisticTerms.Value(yTrue, rawPrediction, a, b)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override Tensor EntryDerivative(Tensor yTrue, Tensor rawPrediction)
    {
        using var scope = NewDisposeScope();
        if (HardLabelSign(yTrue) is { } sign) return LogisticTerms.HardLabelDerivative(sign, rawPrediction).MoveToOuterDisposeScope();
        var (a, b) = Coefficients(yTrue, rawPrediction);
        return Scaled(LogisticTerms.Derivative(yTrue, rawPrediction, a, b)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override (Tensor value, Tensor derivative) EntryValueDerivative(Tensor yTrue, Tensor rawPrediction)
    {
        using var scope = NewDisposeScope();
        if (HardLabelSign(yTrue) is { } sign)
        {
            var (v, dv) = LogisticTerms.HardLabelValueAndDerivative(sign, rawPrediction);
            return (v.MoveToOuterDisposeScope(), dv.MoveToOuterDisposeScope());
        }
        var (a, b) = Coefficients(yTrue, rawPrediction);
        var (value, derivative) = LogisticTerms.ValueAndDerivative(yTrue, rawPrediction, a, b);
        return (Scaled(value).MoveToOuterDisposeScope(), Scaled(derivative).MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    protected override Tensor EntryCurvature(Tensor yTrue, Tensor rawPrediction)
    {
        using var scope = NewDisposeScope();
        if (HardLabelSign(yTrue) is not null) return LogisticTerms.HardLabelCurvature(rawPrediction).MoveToOuterDisposeScope();
        var (a, b) = Coefficients(yTrue, rawPrediction);
        return Scaled(LogisticTerms.Curvature(yTrue, rawPrediction, a, b)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// For trusted targets that are all exactly 0 or 1, with no weights and the natural log, u = 1 − 2y, which the
    /// same terms with fewer operations take (<see cref="LogisticTerms.HardLabelValueAndDerivative"/>: the same bits).
    /// </summary>
    private protected override void OnTargetsTrusted(Tensor yTrue, Tensor rawPrediction)
    {
        if (PositiveWeight is not null || ClassWeight is not null || LogBase != Math.E || yTrue.dtype != rawPrediction.dtype) return;
        using var scope = NewDisposeScope();
        if (!((yTrue == Scalars.Zero) | (yTrue == Scalars.One)).all().item<bool>()) return;
        _hardLabelSign = yTrue.Times(2).SubtractedFrom(1).DetachFromDisposeScope();
    }

    /// <inheritdoc />
    private protected override void OnTargetsReleased()
    {
        _hardLabelSign?.Dispose();
        _hardLabelSign = null;
    }

    /// <summary>u = 1 − 2y when <paramref name="yTrue"/> is the trusted 0/1 target tensor, else null.</summary>
    private Tensor? HardLabelSign(Tensor yTrue) => _hardLabelSign is not null && IsTrusted(yTrue) ? _hardLabelSign : null;

    /// <summary>a = α₁·p and b = α₀ (null where they are 1).</summary>
    private (Tensor? a, Tensor? b) Coefficients(Tensor yTrue, Tensor rawPrediction)
    {
        Tensor? a = PositiveWeight?.to_type(rawPrediction.dtype);
        Tensor? b = null;
        if (ClassWeight is not null)
        {
            var (alpha0, alpha1) = ClassWeight.Resolve(yTrue, rawPrediction.dtype);
            a = a is null ? alpha1 : a * alpha1;
            b = alpha0;
        }
        return (a, b);
    }

    private Tensor Scaled(Tensor values) => LogBase == Math.E ? values : values.DividedBy(Math.Log(LogBase));
}
