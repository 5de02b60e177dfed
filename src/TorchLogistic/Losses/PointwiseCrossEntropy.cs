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
    /// <summary>Creates the loss.</summary>
    /// <param name="weight">w, one weight per class, shape <c>(K)</c>, or null for 1.</param>
    /// <param name="ignore_index">A class-index target equal to this contributes nothing (default −100, as PyTorch).</param>
    /// <param name="label_smoothing">ε in [0, 1] (default 0).</param>
    public PointwiseCrossEntropy(Tensor? weight = null, long ignore_index = -100, double label_smoothing = 0)
    {
        if (weight is not null && (weight.dim() != 1 || !weight.is_floating_point()))
            throw new ArgumentException($"weight has shape [{string.Join(", ", weight.shape)}] and dtype {weight.dtype}; give a floating-point vector with one weight per class.", nameof(weight));
        if (!(label_smoothing >= 0 && label_smoothing <= 1))
            throw new ArgumentOutOfRangeException(nameof(label_smoothing), label_smoothing, $"label_smoothing = {label_smoothing} must be in [0, 1].");
        this.weight = weight;
        this.ignore_index = ignore_index;
        this.label_smoothing = label_smoothing;
    }

    /// <summary>w, or null.</summary>
    public Tensor? weight { get; }

    /// <summary>The ignored class index.</summary>
    public long ignore_index { get; }

    /// <summary>ε.</summary>
    public double label_smoothing { get; }

    /// <inheritdoc />
    public override bool is_elementwise => false;

    /// <summary>
    /// The effective target rows q, shape <c>(m, K)</c>: the weights that multiply −log softmax(z) in ℓ.
    /// Σ_c q_c is a sample's total weight (w_y without smoothing; 0 for ignored samples).
    /// </summary>
    /// <param name="y_true">Class indices <c>(m)</c> (int64) or probabilities <c>(m, K)</c>.</param>
    /// <param name="raw_prediction">Logits <c>(m, K)</c> (for the shape and dtype).</param>
    public Tensor effective_targets(Tensor y_true, Tensor raw_prediction)
    {
        validate_targets(y_true, raw_prediction);
        return targets_q(y_true, raw_prediction);
    }

    private Tensor targets_q(Tensor y_true, Tensor raw_prediction)
    {
        using var scope = NewDisposeScope();
        var dtype = raw_prediction.dtype;
        long k = raw_prediction.shape[1];
        double eps = label_smoothing;
        var w = weight?.to_type(dtype);
        Tensor q;
        if (y_true.is_floating_point())
        {
            var t = y_true.to_type(dtype);
            if (eps > 0) t = t * (1 - eps) + eps / k;
            q = w is null ? t : t * w;
        }
        else
        {
            var y = y_true.to_type(ScalarType.Int64);
            var ignored = y == ignore_index;
            var onehot = nn.functional.one_hot(where(ignored, zeros_like(y), y), k).to_type(dtype);
            q = w is null ? onehot : onehot * w;
            if (eps > 0) q = q * (1 - eps) + (w is null ? full(1, k, eps / k, dtype: dtype) : w.unsqueeze(0) * (eps / k));
            q = q * (~ignored).to_type(dtype).unsqueeze(1);
        }
        return q.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override Tensor unweighted_loss(Tensor y_true, Tensor raw_prediction)
    {
        using var scope = NewDisposeScope();
        var logp = StableMath.log_softmax(raw_prediction, 1);
        var loss = y_true.is_floating_point()
            ? -(targets_q(y_true, raw_prediction) * logp).sum(1)
            : index_loss(index_terms(y_true, raw_prediction), logp);
        return loss.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override Tensor unweighted_gradient(Tensor y_true, Tensor raw_prediction) => unweighted_loss_gradient(y_true, raw_prediction).gradient;

    /// <inheritdoc />
    protected override (Tensor loss, Tensor gradient) unweighted_loss_gradient(Tensor y_true, Tensor raw_prediction)
    {
        using var scope = NewDisposeScope();
        var logp = StableMath.log_softmax(raw_prediction, 1);
        var p = logp.exp();
        Tensor loss, gradient;
        if (y_true.is_floating_point())
        {
            var q = targets_q(y_true, raw_prediction);
            loss = -(q * logp).sum(1);
            gradient = q.sum(1, keepdim: true) * p - q;
        }
        else
        {
            // (Σq)·p − q without forming q: scatter −(1 − ε)·w_y into the target column, subtract (ε/K)·w from every row.
            var t = index_terms(y_true, raw_prediction);
            loss = index_loss(t, logp);
            gradient = t.total.unsqueeze(1) * p;
            gradient = gradient.scatter_add(1, t.index.unsqueeze(1), -t.target_weight.unsqueeze(1));
            if (t.smoothing_weight is not null) gradient = gradient - t.smoothing_weight;
        }
        return (loss.MoveToOuterDisposeScope(), gradient.MoveToOuterDisposeScope());
    }

    /// <summary>−Σ_c q_c·log p_c per row for class-index targets.</summary>
    private static Tensor index_loss((Tensor index, Tensor target_weight, Tensor? smoothing_weight, Tensor total) t, Tensor logp)
    {
        var loss = -logp.gather(1, t.index.unsqueeze(1)).squeeze(1) * t.target_weight;
        if (t.smoothing_weight is not null) loss = loss - (logp * t.smoothing_weight).sum(1);
        return loss;
    }

    /// <summary>Σ_c q_c per row, shape (m).</summary>
    private Tensor row_total(Tensor y_true, Tensor raw_prediction) =>
        y_true.is_floating_point() ? targets_q(y_true, raw_prediction).sum(1) : index_terms(y_true, raw_prediction).total;

    /// <summary>
    /// q for class-index targets in factored form, q = target_weight·e_index + smoothing_weight: the class index (0 where
    /// ignored), target_weight = (1 − ε)·w_y (0 where ignored), smoothing_weight = (ε/K)·w per row (null without
    /// smoothing), and total = Σ_c q_c.
    /// </summary>
    private (Tensor index, Tensor target_weight, Tensor? smoothing_weight, Tensor total) index_terms(Tensor y_true, Tensor raw_prediction)
    {
        var dtype = raw_prediction.dtype;
        long k = raw_prediction.shape[1];
        var y = y_true.to_type(ScalarType.Int64);
        // Labels are validated to lie in [0, K) or equal ignore_index, so an ignore_index outside [0, K) is present only if min(y) < 0.
        bool anyIgnored = ignore_index >= 0 && ignore_index < k ? (y == ignore_index).any().item<bool>() : y.numel() > 0 && y.min().item<long>() < 0;
        var ignored = anyIgnored ? y == ignore_index : null;
        var index = ignored is null ? y : where(ignored, zeros_like(y), y);
        var keep = ignored is null ? null : (~ignored).to_type(dtype);
        var w = weight?.to_type(dtype);
        double eps = label_smoothing;
        var targetWeight = w is null ? ones(y.shape[0], dtype: dtype) : w.index_select(0, index);
        if (eps > 0) targetWeight = targetWeight * (1 - eps);
        if (keep is not null) targetWeight = targetWeight * keep;
        if (eps == 0) return (index, targetWeight, null, targetWeight);
        var smoothing = (w is null ? ones(1, k, dtype: dtype) : w.unsqueeze(0)) * (eps / k);
        if (keep is not null) smoothing = smoothing * keep.unsqueeze(1);
        var total = targetWeight + (w is null ? eps : w.sum() * (eps / k)) * (keep ?? ones_like(targetWeight));
        return (index, targetWeight, smoothing, total);
    }

    /// <inheritdoc />
    protected override Tensor unweighted_hessian_blocks(Tensor y_true, Tensor raw_prediction)
    {
        using var scope = NewDisposeScope();
        var total = row_total(y_true, raw_prediction).reshape(-1, 1, 1);
        var p = StableMath.softmax(raw_prediction, 1);
        // diag p − p pᵀ with the diagonal p_a(1 − p_a) taken from the other classes' probabilities: for a row that is
        // nearly certain, 1 − p_a by subtraction keeps only rounding noise, and the Hessian would lose its exact null
        // direction (equal shifts of all logits) to eigenvalues of ±ε·‖x‖².
        var outer = p.unsqueeze(2) * p.unsqueeze(1);
        var blocks = (p * rest_probability(p)).diag_embed() - (outer - outer.diagonal(0, 1, 2).diag_embed());
        return (total * blocks).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override Tensor unweighted_hessian_product(Tensor y_true, Tensor raw_prediction, Tensor direction)
    {
        using var scope = NewDisposeScope();
        var total = row_total(y_true, raw_prediction).unsqueeze(1);
        var p = StableMath.softmax(raw_prediction, 1);
        // The Hessian ignores equal shifts of a row of v; shifting by v at the most probable class removes the large
        // p_top·v_top term from p·v, so p ⊙ v − p (p·v) does not cancel for nearly certain rows.
        var v = direction - direction.gather(1, p.argmax(1, keepdim: true));
        var pv = p * v;
        return (total * (pv - p * pv.sum(1, keepdim: true))).MoveToOuterDisposeScope();
    }

    /// <summary>Σ_{c≠a} p_c (= 1 − p_a) per entry without cancellation: 1 − p_a where p_a ≤ ½, the sum of the others for the top class.</summary>
    private static Tensor rest_probability(Tensor p)
    {
        var top = nn.functional.one_hot(p.argmax(1), p.shape[1]).to_type(ScalarType.Bool);
        var othersOfTop = p.masked_fill(top, 0).sum(1, keepdim: true);
        return where(top, othersOfTop.expand_as(p), 1 - p);
    }

    /// <inheritdoc />
    protected override void validate_targets(Tensor y_true, Tensor raw_prediction)
    {
        if (raw_prediction.dim() != 2)
            throw new ArgumentException($"The logits have shape [{string.Join(", ", raw_prediction.shape)}]; cross-entropy needs (m, K).", nameof(raw_prediction));
        long m = raw_prediction.shape[0], k = raw_prediction.shape[1];
        if (weight is not null && weight.shape[0] != k)
            throw new ArgumentException($"weight has {weight.shape[0]} entries but there are {k} classes; give one weight per class.");
        if (y_true.is_floating_point())
        {
            if (!y_true.shape.SequenceEqual(raw_prediction.shape))
                throw new ArgumentException($"Probability targets have shape [{string.Join(", ", y_true.shape)}]; they need the logits' shape [{m}, {k}].", nameof(y_true));
            return;
        }
        if (y_true.dim() != 1 || y_true.shape[0] != m)
            throw new ArgumentException($"Class-index targets have shape [{string.Join(", ", y_true.shape)}]; expected [{m}] (int64 class indices, one per row).", nameof(y_true));
        if (m == 0) return;
        using var scope = NewDisposeScope();
        var y = y_true.to_type(ScalarType.Int64);
        if (y.min().item<long>() >= 0 && y.max().item<long>() < k) return;
        var bad = (y < 0 | y >= k) & (y != ignore_index);
        if (bad.any().item<bool>())
        {
            long value = y.masked_select(bad)[0].item<long>();
            throw new ArgumentException($"Class index {value} is outside [0, {k}) for {k} classes (and is not ignore_index {ignore_index}). Labels must be 0..{k - 1}.", nameof(y_true));
        }
    }
}
