using TorchLogistic.Native;
using static TorchSharp.torch;

namespace TorchLogistic.Losses;

/// <summary>
/// Categorical cross-entropy with logits per sample, scikit-learn's <c>HalfMultinomialLoss</c> with PyTorch's
/// options. Every form is a weighted log-likelihood over an effective target row q ≥ 0:
/// <code>
/// ℓ(y, z) = −Σ_c q_c·log softmax(z)_c      ∇ℓ = (Σ_c q_c)·p − q      ∇²ℓ = (Σ_c q_c)·(diag p − p pᵀ)
/// </code>
/// with p = softmax(z) and, for K classes, class weights w and label smoothing ε:
/// <list type="bullet">
/// <item>class-index targets y: <c>q = (1 − ε)·w_y·e_y + (ε/K)·w</c>, and q = 0 where y = ignore_index;</item>
/// <item>probability targets t (rows of the logits' shape): <c>q = ((1 − ε)·t + ε/K) ⊙ w</c>.</item>
/// </list>
/// These are exactly the per-sample values of PyTorch's <c>cross_entropy(reduction: none)</c>. The Hessian
/// blocks are positive semi-definite when q ≥ 0. Logits are <c>(m, K)</c>.
/// </summary>
public sealed class PointwiseCrossEntropy : PointwiseLoss
{
    // Trusted class-index targets: their factored q, computed once, and whether every row's Σ_c q_c is exactly 1
    // (no class weights, no smoothing, nothing ignored), when the multiplications by Σ_c q_c are skipped (×1: the same bits).
    private (Tensor index, Tensor target_weight, Tensor? smoothing_weight, Tensor total)? _trustedTerms;
    private bool _unitTotals;
    private bool _indexIsTargets; // the cached index is the targets tensor itself (int64 targets): not ours to dispose

    /// <summary>Creates the loss.</summary>
    /// <param name="weight">w, one weight per class, shape <c>(K)</c>, or null for 1.</param>
    /// <param name="ignoreIndex">A class-index target equal to this contributes nothing (default −100, as PyTorch).</param>
    /// <param name="labelSmoothing">ε in [0, 1] (default 0).</param>
    public PointwiseCrossEntropy(Tensor? weight = null, long ignoreIndex = -100, double labelSmoothing = 0)
    {
        if (weight is not null && (weight.dim() != 1 || !weight.is_floating_point()))
            throw new ArgumentException($"weight has shape [{string.Join(", ", weight.shape)}] and dtype {weight.dtype}; give a floating-point vector with one weight per class.", nameof(weight));
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, $"label_smoothing = {labelSmoothing} must be in [0, 1].");
        this.Weight = weight;
        this.IgnoreIndex = ignoreIndex;
        this.LabelSmoothing = labelSmoothing;
    }

    /// <summary>w, or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>The ignored class index.</summary>
    public long IgnoreIndex { get; }

    /// <summary>ε.</summary>
    public double LabelSmoothing { get; }

    /// <inheritdoc />
    public override bool IsElementwise => false;

    /// <summary>
    /// The effective target rows q, shape <c>(m, K)</c>: the weights that multiply −log softmax(z) in ℓ.
    /// Σ_c q_c is a sample's total weight (w_y without smoothing; 0 for ignored samples).
    /// </summary>
    /// <param name="yTrue">Class indices <c>(m)</c> (int64) or probabilities <c>(m, K)</c>.</param>
    /// <param name="rawPrediction">Logits <c>(m, K)</c> (for the shape and dtype).</param>
    public Tensor EffectiveTargets(Tensor yTrue, Tensor rawPrediction)
    {
        ValidateTargets(yTrue, rawPrediction);
        return TargetsQ(yTrue, rawPrediction);
    }

    private Tensor TargetsQ(Tensor yTrue, Tensor rawPrediction)
    {
        using var scope = NewDisposeScope();
        var dtype = rawPrediction.dtype;
        long k = rawPrediction.shape[1];
        double epsilon = LabelSmoothing;
        var w = Weight?.to_type(dtype);
        Tensor q;
        if (yTrue.is_floating_point())
        {
            var t = yTrue.to_type(dtype);
            if (epsilon > 0) t = t.Times(1 - epsilon).Plus(epsilon / k);
            q = w is null ? t : t * w;
        }
        else
        {
            var y = yTrue.to_type(ScalarType.Int64);
            using var ignoreIndex = Scalars.Of(IgnoreIndex);
            var ignored = y == ignoreIndex;
            var onehot = nn.functional.one_hot(where(ignored, zeros_like(y), y), k).to_type(dtype);
            q = w is null ? onehot : onehot * w;
            if (epsilon > 0)
            {
                using var share = Scalars.Of(epsilon / k);
                q = q.Times(1 - epsilon).Plus(w is null ? full(1, k, share, dtype: dtype) : w.unsqueeze(0) * share);
            }
            q = q * (~ignored).to_type(dtype).unsqueeze(1);
        }
        return q.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override Tensor UnweightedLoss(Tensor yTrue, Tensor rawPrediction)
    {
        using var scope = NewDisposeScope();
        var logp = StableMath.LogSoftmax(rawPrediction, 1);
        var loss = yTrue.is_floating_point()
            ? -(TargetsQ(yTrue, rawPrediction) * logp).sum(1)
            : IndexLoss(IndexTerms(yTrue, rawPrediction), logp);
        return loss.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override Tensor UnweightedGradient(Tensor yTrue, Tensor rawPrediction) => UnweightedLossGradient(yTrue, rawPrediction).gradient;

    /// <inheritdoc />
    protected override (Tensor loss, Tensor gradient) UnweightedLossGradient(Tensor yTrue, Tensor rawPrediction)
    {
        using var scope = NewDisposeScope();
        var logp = StableMath.LogSoftmax(rawPrediction, 1);
        var p = logp.exp();
        Tensor loss, gradient;
        if (yTrue.is_floating_point())
        {
            var q = TargetsQ(yTrue, rawPrediction);
            loss = -(q * logp).sum(1);
            gradient = q.sum(1, keepdim: true) * p - q;
        }
        else
        {
            // (Σq)·p − q without forming q: scatter −(1 − ε)·w_y into the target column, subtract (ε/K)·w from every row.
            var t = Terms(yTrue, rawPrediction);
            bool unit = UnitTotals(yTrue);
            loss = IndexLoss(t, logp, unit);
            gradient = unit ? p.scatter_add_(1, t.index.unsqueeze(1), -t.target_weight.unsqueeze(1))
                : (t.total.unsqueeze(1) * p).scatter_add_(1, t.index.unsqueeze(1), -t.target_weight.unsqueeze(1));
            if (t.smoothing_weight is not null) gradient = gradient - t.smoothing_weight;
        }
        return (loss.MoveToOuterDisposeScope(), gradient.MoveToOuterDisposeScope());
    }

    /// <summary>−Σ_c q_c·log p_c per row for class-index targets.</summary>
    private static Tensor IndexLoss((Tensor index, Tensor target_weight, Tensor? smoothing_weight, Tensor total) t, Tensor logp, bool unitTotals = false)
    {
        var loss = unitTotals ? -logp.gather(1, t.index.unsqueeze(1)).squeeze(1) : -logp.gather(1, t.index.unsqueeze(1)).squeeze(1) * t.target_weight;
        if (t.smoothing_weight is not null) loss = loss - (logp * t.smoothing_weight).sum(1);
        return loss;
    }

    /// <summary>Σ_c q_c per row, shape (m).</summary>
    private Tensor RowTotal(Tensor yTrue, Tensor rawPrediction) =>
        yTrue.is_floating_point() ? TargetsQ(yTrue, rawPrediction).sum(1) : Terms(yTrue, rawPrediction).total;

    /// <summary>The factored q: computed once for trusted targets, else now.</summary>
    private (Tensor index, Tensor target_weight, Tensor? smoothing_weight, Tensor total) Terms(Tensor yTrue, Tensor rawPrediction) =>
        _trustedTerms is { } t && IsTrusted(yTrue) ? t : IndexTerms(yTrue, rawPrediction);

    /// <summary>True when <paramref name="yTrue"/> are the trusted targets and every Σ_c q_c is exactly 1.</summary>
    private bool UnitTotals(Tensor yTrue) => _unitTotals && IsTrusted(yTrue);

    /// <inheritdoc />
    private protected override void OnTargetsTrusted(Tensor yTrue, Tensor rawPrediction)
    {
        if (yTrue.is_floating_point()) return;
        using var scope = NewDisposeScope();
        var t = IndexTerms(yTrue, rawPrediction);
        _unitTotals = t.smoothing_weight is null && (t.total == Scalars.One).all().item<bool>();
        _indexIsTargets = ReferenceEquals(t.index, yTrue);
        _trustedTerms = (_indexIsTargets ? t.index : t.index.DetachFromDisposeScope(), t.target_weight.DetachFromDisposeScope(), t.smoothing_weight?.DetachFromDisposeScope(), ReferenceEquals(t.total, t.target_weight) ? t.target_weight : t.total.DetachFromDisposeScope());
    }

    /// <inheritdoc />
    private protected override void OnTargetsReleased()
    {
        if (_trustedTerms is { } t)
        {
            if (!_indexIsTargets) t.index.Dispose();
            t.target_weight.Dispose();
            t.smoothing_weight?.Dispose();
            if (!ReferenceEquals(t.total, t.target_weight)) t.total.Dispose();
        }
        _trustedTerms = null;
        _unitTotals = false;
    }

    /// <summary>
    /// q for class-index targets in factored form, q = target_weight·e_index + smoothing_weight: the class index (0 where
    /// ignored), target_weight = (1 − ε)·w_y (0 where ignored), smoothing_weight = (ε/K)·w per row (null without
    /// smoothing), and total = Σ_c q_c.
    /// </summary>
    private (Tensor index, Tensor target_weight, Tensor? smoothing_weight, Tensor total) IndexTerms(Tensor yTrue, Tensor rawPrediction)
    {
        var dtype = rawPrediction.dtype;
        long k = rawPrediction.shape[1];
        var y = yTrue.to_type(ScalarType.Int64);
        // Labels are validated to lie in [0, K) or equal ignore_index, so an ignore_index outside [0, K) is present only if min(y) < 0.
        using var ignoreIndex = Scalars.Of(IgnoreIndex);
        bool anyIgnored = IgnoreIndex >= 0 && IgnoreIndex < k ? (y == ignoreIndex).any().item<bool>() : y.numel() > 0 && y.min().item<long>() < 0;
        var ignored = anyIgnored ? y == ignoreIndex : null;
        var index = ignored is null ? y : where(ignored, zeros_like(y), y);
        var keep = ignored is null ? null : (~ignored).to_type(dtype);
        var w = Weight?.to_type(dtype);
        double epsilon = LabelSmoothing;
        var targetWeight = w is null ? ones(y.shape[0], dtype: dtype) : w.index_select(0, index);
        if (epsilon > 0) targetWeight = targetWeight.Times(1 - epsilon);
        if (keep is not null) targetWeight = targetWeight * keep;
        if (epsilon == 0) return (index, targetWeight, null, targetWeight);
        var smoothing = (w is null ? ones(1, k, dtype: dtype) : w.unsqueeze(0)).Times(epsilon / k);
        if (keep is not null) smoothing = smoothing * keep.unsqueeze(1);
        var total = targetWeight.Plus(w is null ? (keep ?? ones_like(targetWeight)).Times(epsilon) : w.sum().Times(epsilon / k) * (keep ?? ones_like(targetWeight)));
        return (index, targetWeight, smoothing, total);
    }

    /// <inheritdoc />
    protected override Tensor UnweightedHessianBlocks(Tensor yTrue, Tensor rawPrediction)
    {
        using var scope = NewDisposeScope();
        var p = StableMath.Softmax(rawPrediction, 1);
        // diag p − p pᵀ with the diagonal p_a(1 − p_a) taken from the other classes' probabilities: for a row that is
        // nearly certain, 1 − p_a by subtraction keeps only rounding noise, and the Hessian would lose its exact null
        // direction (equal shifts of all logits) to eigenvalues of ±ε·‖x‖².
        var outer = p.unsqueeze(2) * p.unsqueeze(1);
        var blocks = (p * RestProbability(p)).diag_embed() - (outer - outer.diagonal(0, 1, 2).diag_embed());
        return (UnitTotals(yTrue) ? blocks : RowTotal(yTrue, rawPrediction).reshape(-1, 1, 1) * blocks).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override Tensor UnweightedHessianProduct(Tensor yTrue, Tensor rawPrediction, Tensor direction)
    {
        using var scope = NewDisposeScope();
        var p = StableMath.Softmax(rawPrediction, 1);
        // The Hessian ignores equal shifts of a row of v; shifting by v at the most probable class removes the large
        // p_top·v_top term from p·v, so p ⊙ v − p (p·v) does not cancel for nearly certain rows.
        var v = direction - direction.gather(1, p.argmax(1, keepdim: true));
        var pv = p * v;
        var product = pv - p * pv.sum(1, keepdim: true);
        return (UnitTotals(yTrue) ? product : RowTotal(yTrue, rawPrediction).unsqueeze(1) * product).MoveToOuterDisposeScope();
    }

    /// <summary>Σ_{c≠a} p_c (= 1 − p_a) per entry without cancellation: 1 − p_a where p_a ≤ ½, the sum of the others for the top class.</summary>
    private static Tensor RestProbability(Tensor p)
    {
        var top = nn.functional.one_hot(p.argmax(1), p.shape[1]).to_type(ScalarType.Bool);
        var othersOfTop = p.masked_fill(top, Scalars.Zero).sum(1, keepdim: true);
        return where(top, othersOfTop.expand_as(p), p.SubtractedFrom(1));
    }

    /// <inheritdoc />
    protected override void ValidateTargets(Tensor yTrue, Tensor rawPrediction)
    {
        if (rawPrediction.dim() != 2)
            throw new ArgumentException($"The logits have shape [{string.Join(", ", rawPrediction.shape)}]; cross-entropy needs (m, K).", nameof(rawPrediction));
        long m = rawPrediction.shape[0], k = rawPrediction.shape[1];
        if (Weight is not null && Weight.shape[0] != k)
            throw new ArgumentException($"weight has {Weight.shape[0]} entries but there are {k} classes; give one weight per class.");
        if (yTrue.is_floating_point())
        {
            if (!yTrue.shape.SequenceEqual(rawPrediction.shape))
                throw new ArgumentException($"Probability targets have shape [{string.Join(", ", yTrue.shape)}]; they need the logits' shape [{m}, {k}].", nameof(yTrue));
            return;
        }
        if (yTrue.dim() != 1 || yTrue.shape[0] != m)
            throw new ArgumentException($"Class-index targets have shape [{string.Join(", ", yTrue.shape)}]; expected [{m}] (int64 class indices, one per row).", nameof(yTrue));
        if (m == 0) return;
        using var scope = NewDisposeScope();
        var y = yTrue.to_type(ScalarType.Int64);
        if (y.min().item<long>() >= 0 && y.max().item<long>() < k) return;
        using var classCount = Scalars.Of(k);
        using var ignoreIndex = Scalars.Of(IgnoreIndex);
        var bad = (y < Scalars.Zero | y >= classCount) & (y != ignoreIndex);
        if (bad.any().item<bool>())
        {
            long value = y.masked_select(bad)[0].item<long>();
            throw new ArgumentException($"Class index {value} is outside [0, {k}) for {k} classes (and is not ignore_index {IgnoreIndex}). Labels must be 0..{k - 1}.", nameof(yTrue));
        }
    }
}
