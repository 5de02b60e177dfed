using static TorchSharp.torch;

namespace TorchLogistic.Objectives;

/// <summary>
/// The objective every TorchLogistic solver minimises, for every linear model — written once, here:
/// <code>
/// F(θ) = (1/m) Σᵢ sᵢ · ℓ(yᵢ, zᵢ)  +  [ (1 − ρ)·½‖W‖²_F + ρ·‖W‖₁ ] / (C·m)
/// </code>
/// with θ = [vec(W); b], logits <c>zᵢ = W xᵢ + b</c>, sᵢ the sample weight times the class weight of yᵢ
/// (1 by default), m the number of rows (not Σsᵢ), ρ = 0 for L2, 1 for L1, l1_ratio for elastic net, and
/// the penalty dropped for <c>none</c>. The intercepts b are never penalised. ℓ is binary cross-entropy with
/// logits (K = 1 output) or categorical cross-entropy with logits (K ≥ 2 outputs), against one-hot targets or,
/// with label smoothing ε, <c>(1 − ε)·onehot(yᵢ) + ε/K</c> (K = 2 for one output). This is scikit-learn's
/// <c>LogisticRegression</c> objective <c>C Σ sᵢℓᵢ + P(W)</c> divided by C·m: the same optimum, on a
/// scale that does not grow with m.
/// <para>
/// Gradients and Hessians here are the closed forms (the "analytic" path); <see cref="AutogradObjective"/>
/// evaluates the same <see cref="smooth_value"/> through a module and autograd.
/// </para>
/// </summary>
public sealed class LinearModelObjective : IStochasticObjective, IPreconditionedObjective, IDisposable
{
    private readonly Tensor x;
    private readonly Tensor y;
    private readonly Tensor? targets;
    private readonly Tensor? s;
    private readonly long m;
    private readonly long d;
    private readonly long k;
    private readonly double l2;
    private double? lipschitz;
    private readonly FusedSoftmaxKernel? fused;
    private CurvatureBoundPreconditioner? bound;

    /// <summary>Creates the objective over the rows of <paramref name="features"/>.</summary>
    /// <param name="features">X, shape <c>(m, d)</c>, float64 or float32 (the compute dtype).</param>
    /// <param name="labels">Class indices, int64, shape <c>(m)</c>: 0/1 for K = 1, 0..K−1 for K ≥ 2.</param>
    /// <param name="n_outputs">K: 1 for binary logistic regression, the number of classes for softmax.</param>
    /// <param name="penalty">The penalty and C.</param>
    /// <param name="sample_weight">sᵢ ≥ 0, shape <c>(m)</c>, or null for all ones.</param>
    /// <param name="label_smoothing">ε in [0, 1): targets <c>(1 − ε)·onehot(y) + ε/K</c> (PyTorch's), K = 2 for one output; default 0.</param>
    public LinearModelObjective(Tensor features, Tensor labels, int n_outputs, Penalty penalty, Tensor? sample_weight = null, double label_smoothing = 0)
    {
        if (features.dim() != 2) throw new ArgumentException($"Features must be a matrix (m, d); got shape [{string.Join(", ", features.shape)}].");
        m = features.shape[0];
        d = features.shape[1];
        k = n_outputs;
        if (m == 0) throw new ArgumentException("The objective needs at least one row.");
        if (labels.shape.Length != 1 || labels.shape[0] != m)
            throw new ArgumentException($"Labels have shape [{string.Join(", ", labels.shape)}]; expected [{m}] to match the features.");
        if (sample_weight is not null && (sample_weight.shape.Length != 1 || sample_weight.shape[0] != m))
            throw new ArgumentException($"Sample weights have shape [{string.Join(", ", sample_weight.shape)}]; expected [{m}].");
        this.penalty = penalty;
        l2 = penalty.l2_strength(m);
        dtype = features.dtype;
        x = features.detach().clone().DetachFromDisposeScope();
        y = labels.to_type(ScalarType.Int64).detach().clone().DetachFromDisposeScope();
        if (!(label_smoothing >= 0 && label_smoothing < 1))
            throw new ArgumentOutOfRangeException(nameof(label_smoothing), label_smoothing, $"Label smoothing {label_smoothing} must be in [0, 1).");
        // Soft targets still sum to 1 over the classes, so every formula below (loss, p − t, Hessian) holds as is.
        using (var scope = NewDisposeScope())
        {
            var hard = k == 1 ? y.to_type(dtype) : nn.functional.one_hot(y, k).to_type(dtype);
            var soft = label_smoothing == 0 ? hard : hard * (1 - label_smoothing) + label_smoothing / (k == 1 ? 2 : k);
            targets = soft.MoveToOuterDisposeScope().DetachFromDisposeScope();
        }
        s = sample_weight?.to_type(dtype).detach().clone().DetachFromDisposeScope();
        // float32 softmax: one fused pass over X (float32 products, float64 sums) instead of two skinny GEMMs.
        if (dtype == ScalarType.Float32 && k >= 2 && FusedSoftmaxKernel.is_supported)
            fused = new FusedSoftmaxKernel(x, targets, s);
    }

    /// <summary>
    /// True when full-batch values and gradients use the fused float32 kernel (float32 features, K ≥ 2, a CPU
    /// with AVX2 and FMA): one pass over X per evaluation with float64 accumulation. Its buffers are the objective's
    /// own, so one objective must not be evaluated from two threads at once (solvers never do).
    /// </summary>
    public bool is_fused => fused is not null;

    /// <summary>The penalty and C.</summary>
    public Penalty penalty { get; }

    /// <summary>Compute dtype (that of the features).</summary>
    public ScalarType dtype { get; }

    /// <inheritdoc />
    public long n_samples => m;

    /// <inheritdoc />
    public int n_parameters => checked((int)(k * d + k));

    /// <inheritdoc />
    public int n_penalized => checked((int)(k * d));

    /// <inheritdoc />
    public double l1_strength => penalty.l1_strength(m);

    /// <inheritdoc />
    public double l2_strength => l2;

    /// <inheritdoc />
    public bool is_hessian_supported => true;

    /// <summary>
    /// The smooth part of F from per-sample losses: <c>(1/m) Σ sᵢℓᵢ + λ₂·½‖W‖²</c>. Both gradient paths call
    /// this, so the analytic and autograd objectives are the same function by construction.
    /// </summary>
    /// <param name="per_sample_loss">ℓᵢ, shape <c>(m)</c>.</param>
    /// <param name="sample_weight">sᵢ, shape <c>(m)</c>, or null.</param>
    /// <param name="weight">W (any shape).</param>
    /// <param name="l2_strength">λ₂ = (1 − ρ)/(C·m).</param>
    public static Tensor smooth_value(Tensor per_sample_loss, Tensor? sample_weight, Tensor weight, double l2_strength)
    {
        using var scope = NewDisposeScope();
        long rows = per_sample_loss.shape[0];
        var data = (sample_weight is null ? per_sample_loss.sum() : (sample_weight * per_sample_loss).sum()) / rows;
        var total = l2_strength == 0 ? data : data + 0.5 * l2_strength * weight.square().sum();
        return total.MoveToOuterDisposeScope();
    }

    /// <summary>Binary cross-entropy with logits per sample, <c>log(1 + eᶻ) − y·z</c>, computed without overflow.</summary>
    public static Tensor binary_loss_per_sample(Tensor z, Tensor y)
    {
        using var scope = NewDisposeScope();
        // log(1 + e^z) = max(z, 0) + log1p(e^{-|z|})
        return (z.clamp_min(0) - y * z + z.abs().neg().exp().log1p()).MoveToOuterDisposeScope();
    }

    /// <summary>Categorical cross-entropy with logits per sample, <c>logsumexp(zᵢ) − zᵢ,yᵢ</c>.</summary>
    public static Tensor categorical_loss_per_sample(Tensor z, Tensor one_hot_targets)
    {
        using var scope = NewDisposeScope();
        return (z.logsumexp(1) - (z * one_hot_targets).sum(1)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public double value(double[] theta)
    {
        if (fused is not null) return fused_evaluate(theta, null);
        using var scope = NewDisposeScope();
        var (w, b) = unpack(theta);
        var z = logits(w, b);
        var loss = k == 1 ? binary_loss_per_sample(z, targets!) : categorical_loss_per_sample(z, targets!);
        return smooth_value(loss, s, w, l2).to_type(ScalarType.Float64).item<double>();
    }

    /// <inheritdoc />
    public double value_and_gradient(double[] theta, double[] gradient)
    {
        if (fused is not null) return fused_evaluate(theta, gradient);
        using var scope = NewDisposeScope();
        return value_and_gradient_on(theta, gradient, x, targets!, s, m);
    }

    /// <inheritdoc />
    public double value_and_gradient(double[] theta, double[] gradient, long[] rows)
    {
        if (rows.Length == 0) throw new ArgumentException("A mini-batch needs at least one row.", nameof(rows));
        using var scope = NewDisposeScope();
        var index = tensor(rows, ScalarType.Int64);
        return value_and_gradient_on(theta, gradient, x.index_select(0, index), targets!.index_select(0, index), s?.index_select(0, index), rows.Length);
    }

    /// <inheritdoc />
    public double lipschitz_bound() => lipschitz ??= LinearModelGeometry.lipschitz_bound(x, s, k, l2);

    /// <summary>Applies the inverse of Böhning's curvature bound (<see cref="CurvatureBoundPreconditioner"/>), built on first use.</summary>
    public void precondition(double[] v, double[] result) =>
        (bound ??= new CurvatureBoundPreconditioner(x, s, checked((int)k), l2)).apply(v, result);

    /// <inheritdoc />
    public IReadOnlyList<double[]> null_directions => LinearModelGeometry.null_directions(k, d, l2);

    private double fused_evaluate(double[] theta, double[]? gradient)
    {
        if (theta.Length != n_parameters)
            throw new ArgumentException($"θ has {theta.Length} entries; this objective has {n_parameters} (K·d + K = {k}·{d} + {k}).");
        int kd = checked((int)(k * d));
        var weight = theta.AsSpan(0, kd);
        var bias = theta.AsSpan(kd);
        double data = gradient is null
            ? fused!.evaluate(weight, bias, default, default, get_num_threads())
            : fused!.evaluate(weight, bias, gradient.AsSpan(0, kd), gradient.AsSpan(kd), get_num_threads());
        double squared = 0;
        for (int i = 0; i < kd; i++) squared += theta[i] * theta[i];
        if (gradient is not null && l2 != 0)
        {
            for (int i = 0; i < kd; i++) gradient[i] += l2 * theta[i];
        }
        return data / m + 0.5 * l2 * squared;
    }

    private double value_and_gradient_on(double[] theta, double[] gradient, Tensor xb, Tensor tb, Tensor? sb, long mb)
    {
        var (w, b) = unpack(theta);
        var z = xb.matmul(w.t()) + b;
        if (k == 1) z = z.squeeze(1);
        Tensor loss, residual;
        if (k == 1)
        {
            loss = binary_loss_per_sample(z, tb);
            residual = z.sigmoid() - tb;
        }
        else
        {
            var lse = z.logsumexp(1, keepdim: true);
            loss = lse.squeeze(1) - (z * tb).sum(1);
            residual = (z - lse).exp() - tb;
        }
        // G = s ⊙ (p − y) / m; ∇W = Gᵀ X + λ₂ W; ∇b = Σᵢ Gᵢ
        var g = sb is null ? residual / mb : residual * (k == 1 ? sb : sb.unsqueeze(1)) / mb;
        var g2 = k == 1 ? g.unsqueeze(1) : g;
        var gradW = g2.t().matmul(xb);
        if (l2 != 0) gradW = gradW + l2 * w;
        var gradB = g2.sum(0L);
        write(cat(new[] { gradW.flatten(), gradB }), gradient);
        return smooth_value(loss, sb, w, l2).to_type(ScalarType.Float64).item<double>();
    }

    /// <inheritdoc />
    public double[] hessian(double[] theta)
    {
        using var scope = NewDisposeScope();
        var (w, b) = unpack(theta);
        var z = logits(w, b);
        long p = d + 1;
        var xt = cat(new[] { x, ones(m, 1, dtype: dtype) }, 1);                      // X̃ = [X, 1], (m, d+1)
        var sw = (s ?? ones(m, dtype: dtype)) / m;
        // Hessian in X̃ coordinates, blocks (k, l): X̃ᵀ diag(sᵢ/m · (pᵢₖδₖₗ − pᵢₖpᵢₗ)) X̃
        var blocks = zeros(k, p, k, p, dtype: dtype);
        if (k == 1)
        {
            var pr = z.sigmoid();
            var h = sw * pr * (1 - pr);
            put_block(blocks, 0, 0, xt.t().matmul(xt * h.unsqueeze(1)));
        }
        else
        {
            var pr = nn.functional.softmax(z, 1);
            for (long a = 0; a < k; a++)
            {
                for (long c = a; c < k; c++)
                {
                    var h = sw * (a == c ? pr.select(1, a) * (1 - pr.select(1, a)) : -pr.select(1, a) * pr.select(1, c));
                    var block = xt.t().matmul(xt * h.unsqueeze(1));
                    put_block(blocks, a, c, block);
                    if (c != a) put_block(blocks, c, a, block.t());
                }
            }
        }
        // Reorder X̃ coordinates (k, j) to θ = [vec(W); b]: (k, j<d) → k·d + j, (k, d) → K·d + k.
        var order = theta_index();
        var flat = blocks.reshape(k * p, k * p);
        var full = flat.index_select(0, order).index_select(1, order);
        if (l2 != 0)
        {
            var diag = cat(new[] { full_like(w.flatten(), l2), zeros(k, dtype: dtype) });
            full = full + diag_embed(diag);
        }
        var result = new double[n_parameters * n_parameters];
        write(full.flatten(), result);
        return result;
    }

    /// <inheritdoc />
    public void hessian_vector_product(double[] theta, double[] v, double[] result)
    {
        using var scope = NewDisposeScope();
        var (w, b) = unpack(theta);
        var (vw, vb) = unpack(v);
        var z = logits(w, b);
        var dz = logits(vw, vb);                                           // X Vᵀ + v_b
        Tensor r;
        if (k == 1)
        {
            var pr = z.sigmoid();
            r = pr * (1 - pr) * dz;
        }
        else
        {
            var pr = nn.functional.softmax(z, 1);
            var pdz = pr * dz;
            r = pdz - pr * pdz.sum(1, keepdim: true);
        }
        r = s is null ? r / m : r * (k == 1 ? s : s.unsqueeze(1)) / m;
        var r2 = k == 1 ? r.unsqueeze(1) : r;
        var hw = r2.t().matmul(x);
        if (l2 != 0) hw = hw + l2 * vw;
        write(cat(new[] { hw.flatten(), r2.sum(0L) }), result);
    }

    /// <summary>Disposes the tensors the objective holds.</summary>
    public void Dispose()
    {
        x.Dispose();
        y.Dispose();
        targets?.Dispose();
        s?.Dispose();
        bound?.Dispose();
    }

    private Tensor logits(Tensor w, Tensor b)
    {
        var z = x.matmul(w.t()) + b;
        return k == 1 ? z.squeeze(1) : z;
    }

    private (Tensor W, Tensor B) unpack(double[] theta)
    {
        if (theta.Length != n_parameters)
            throw new ArgumentException($"θ has {theta.Length} entries; this objective has {n_parameters} (K·d + K = {k}·{d} + {k}).");
        var t = tensor(theta, ScalarType.Float64);
        if (dtype != ScalarType.Float64) t = t.to_type(dtype);
        return (t.narrow(0, 0, k * d).view(k, d), t.narrow(0, k * d, k));
    }

    private Tensor theta_index()
    {
        long p = d + 1;
        var order = new long[k * p];
        for (long a = 0; a < k; a++)
        {
            for (long j = 0; j < p; j++) order[a * p + j] = j < d ? a * d + j : k * d + a;
        }
        // order[θ position] = X̃ position: invert the map above.
        var inverse = new long[k * p];
        for (long i = 0; i < order.Length; i++) inverse[order[i]] = i;
        return tensor(inverse);
    }

    private static void put_block(Tensor blocks, long row, long column, Tensor block) =>
        blocks.index_put_(block, TensorIndex.Single(row), TensorIndex.Colon, TensorIndex.Single(column), TensorIndex.Colon);

    private static void write(Tensor values, double[] destination)
    {
        var cpu = values.to_type(ScalarType.Float64).contiguous();
        cpu.data<double>().CopyTo(destination);
    }
}
