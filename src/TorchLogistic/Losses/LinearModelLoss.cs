using static TorchSharp.torch;

namespace TorchLogistic.Losses;

/// <summary>
/// A <see cref="PointwiseLoss"/> composed with a linear model, as scikit-learn's <c>LinearModelLoss</c>:
/// <code>
/// L(θ) = Σᵢ sᵢ·ℓ(yᵢ, zᵢ) + ½·λ·‖W‖²_F,      zᵢ = W xᵢ + b,      θ = [vec(W) row-major; b]
/// </code>
/// with W of shape <c>(K, d)</c>, b of shape <c>(K)</c> (never penalised), and its closed-form gradient, Hessian
/// and Hessian-vector product with respect to θ:
/// <code>
/// G = ∂/∂Z Σ sᵢℓᵢ  (m × K)        ∇_W = Gᵀ X + λW        ∇_b = Σᵢ Gᵢ
/// ∇²L = Σᵢ Hᵢ ⊗ x̃ᵢ x̃ᵢᵀ + λ·I_W   (x̃ = [x; 1], Hᵢ the per-sample block)      H·v: dZ = X Vᵀ + v_b, R = Hᵢ dZᵢ, [Rᵀ X + λV; Σ R]
/// </code>
/// For a mean over m samples pass sᵢ/m as the sample weights. For a module's reduction use its
/// <see cref="LogitLoss.pointwise_form"/>: <c>var f = loss.pointwise_form(Z, y); new LinearModelLoss(f.loss, d, K).gradient(θ, X, f.y_true, f.sample_weight)</c>.
/// When K = 1 and the loss is element-wise with targets of shape <c>(m)</c>, the logits are <c>(m)</c> (binary logistic regression).
/// </summary>
public sealed class LinearModelLoss
{
    /// <summary>Creates the loss for d features and K outputs.</summary>
    /// <param name="base_loss">The pointwise loss ℓ.</param>
    /// <param name="n_features">d ≥ 1.</param>
    /// <param name="n_outputs">K ≥ 1 (1 for binary logistic regression).</param>
    public LinearModelLoss(PointwiseLoss base_loss, long n_features, long n_outputs)
    {
        ArgumentNullException.ThrowIfNull(base_loss);
        if (n_features < 1) throw new ArgumentOutOfRangeException(nameof(n_features), n_features, "A linear model needs at least one feature.");
        if (n_outputs < 1) throw new ArgumentOutOfRangeException(nameof(n_outputs), n_outputs, "A linear model needs at least one output.");
        this.base_loss = base_loss;
        this.n_features = n_features;
        this.n_outputs = n_outputs;
    }

    /// <summary>ℓ.</summary>
    public PointwiseLoss base_loss { get; }

    /// <summary>d.</summary>
    public long n_features { get; }

    /// <summary>K.</summary>
    public long n_outputs { get; }

    /// <summary>Length of θ: K·d + K.</summary>
    public long n_parameters => n_outputs * n_features + n_outputs;

    /// <summary>θ = [vec(W); b] from W <c>(K, d)</c> and b <c>(K)</c>.</summary>
    /// <param name="weight">W.</param>
    /// <param name="bias">b.</param>
    public static Tensor pack(Tensor weight, Tensor bias) => cat(new[] { weight.flatten(), bias.flatten() });

    /// <summary>W <c>(K, d)</c> and b <c>(K)</c> as views of θ (autograd flows through them).</summary>
    /// <param name="theta">θ, shape <c>(K·d + K)</c>.</param>
    public (Tensor weight, Tensor bias) unpack(Tensor theta)
    {
        if (theta.dim() != 1 || theta.shape[0] != n_parameters)
            throw new ArgumentException($"θ has shape {FormChecks.shape(theta)}; this model needs [{n_parameters}] (K·d + K = {n_outputs}·{n_features} + {n_outputs}).", nameof(theta));
        long kd = n_outputs * n_features;
        return (theta.narrow(0, 0, kd).view(n_outputs, n_features), theta.narrow(0, kd, n_outputs));
    }

    /// <summary>The logits Z = X Wᵀ + b: <c>(m)</c> for an element-wise loss with K = 1 and targets <c>(m)</c>, else <c>(m, K)</c>.</summary>
    /// <param name="theta">θ.</param>
    /// <param name="X">Features <c>(m, d)</c>, θ's dtype.</param>
    /// <param name="y_true">Targets (for the shape of the logits).</param>
    public Tensor raw_prediction(Tensor theta, Tensor X, Tensor y_true)
    {
        using var scope = NewDisposeScope();
        return forward(theta, X, y_true).z.MoveToOuterDisposeScope();
    }

    /// <summary>The checked W (a view of θ) and the logits, for the methods that need both.</summary>
    private (Tensor weight, Tensor z) forward(Tensor theta, Tensor X, Tensor y_true)
    {
        check_features(theta, X);
        var (w, b) = unpack(theta);
        return (w, logits(nn.functional.linear(X, w, b), y_true));
    }

    /// <summary>L(θ), a scalar.</summary>
    /// <param name="theta">θ.</param>
    /// <param name="X">Features <c>(m, d)</c>.</param>
    /// <param name="y_true">Targets, in the form <see cref="base_loss"/> takes.</param>
    /// <param name="sample_weight">sᵢ, or null for 1.</param>
    /// <param name="l2_reg_strength">λ ≥ 0 (default 0).</param>
    public Tensor loss(Tensor theta, Tensor X, Tensor y_true, Tensor? sample_weight = null, double l2_reg_strength = 0)
    {
        using var scope = NewDisposeScope();
        var (w, z) = forward(theta, X, y_true);
        var value = base_loss.loss(y_true, z, sample_weight).sum();
        return add_penalty(value, w, l2_reg_strength).MoveToOuterDisposeScope();
    }

    /// <summary>L(θ) and ∇L(θ) (shape of θ), sharing the work.</summary>
    /// <inheritdoc cref="loss" path="/param"/>
    public (Tensor loss, Tensor gradient) loss_gradient(Tensor theta, Tensor X, Tensor y_true, Tensor? sample_weight = null, double l2_reg_strength = 0)
    {
        using var scope = NewDisposeScope();
        var (w, z) = forward(theta, X, y_true);
        var (perSample, g) = base_loss.loss_gradient(y_true, z, sample_weight);
        var value = add_penalty(perSample.sum(), w, l2_reg_strength);
        var gradient = chain(g, w, X, l2_reg_strength);
        return (value.MoveToOuterDisposeScope(), gradient.MoveToOuterDisposeScope());
    }

    /// <summary>∇L(θ), the shape of θ.</summary>
    /// <inheritdoc cref="loss" path="/param"/>
    public Tensor gradient(Tensor theta, Tensor X, Tensor y_true, Tensor? sample_weight = null, double l2_reg_strength = 0)
    {
        using var scope = NewDisposeScope();
        var (w, z) = forward(theta, X, y_true);
        return chain(base_loss.gradient(y_true, z, sample_weight), w, X, l2_reg_strength).MoveToOuterDisposeScope();
    }

    /// <summary>∇²L(θ), <c>(n_parameters, n_parameters)</c> in θ's order; symmetric, and PSD for the convex losses with weights ≥ 0.</summary>
    /// <inheritdoc cref="loss" path="/param"/>
    public Tensor hessian(Tensor theta, Tensor X, Tensor y_true, Tensor? sample_weight = null, double l2_reg_strength = 0)
    {
        using var scope = NewDisposeScope();
        var z = raw_prediction(theta, X, y_true);
        var (_, blocks) = base_loss.gradient_hessian(y_true, z, sample_weight);
        long m = X.shape[0], d = n_features, k = n_outputs, p = d + 1;
        if (blocks.dim() == 1) blocks = blocks.reshape(m, 1, 1);
        var xt = cat(new[] { X, ones(m, 1, dtype: X.dtype) }, 1);
        var full = zeros(k, p, k, p, dtype: X.dtype);
        for (long a = 0; a < k; a++)
        {
            for (long c = a; c < k; c++)
            {
                if (c != a && base_loss.is_elementwise) continue;
                var h = blocks.select(1, a).select(1, c);
                var block = xt.t().matmul(xt * h.unsqueeze(1));
                full.index_put_(block, TensorIndex.Single(a), TensorIndex.Colon, TensorIndex.Single(c), TensorIndex.Colon);
                if (c != a) full.index_put_(block.t(), TensorIndex.Single(c), TensorIndex.Colon, TensorIndex.Single(a), TensorIndex.Colon);
            }
        }
        var order = theta_order();
        var result = full.reshape(k * p, k * p).index_select(0, order).index_select(1, order);
        if (l2_reg_strength != 0)
            result = result + cat(new[] { full_like(theta.narrow(0, 0, k * d), l2_reg_strength), zeros(k, dtype: theta.dtype) }).diag_embed();
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>∇²L(θ)·v without forming the Hessian, the shape of θ.</summary>
    /// <param name="theta">θ.</param>
    /// <param name="v">Direction, the shape of θ.</param>
    /// <param name="X">Features <c>(m, d)</c>.</param>
    /// <param name="y_true">Targets.</param>
    /// <param name="sample_weight">sᵢ, or null.</param>
    /// <param name="l2_reg_strength">λ ≥ 0.</param>
    public Tensor hessian_vector_product(Tensor theta, Tensor v, Tensor X, Tensor y_true, Tensor? sample_weight = null, double l2_reg_strength = 0)
    {
        using var scope = NewDisposeScope();
        var z = raw_prediction(theta, X, y_true);
        var (vw, vb) = unpack(v.to_type(theta.dtype));
        var dz = logits(X.matmul(vw.t()) + vb, y_true);
        var r = base_loss.hessian_product(y_true, z, dz, sample_weight);
        return chain(r, vw, X, l2_reg_strength).MoveToOuterDisposeScope();
    }

    /// <summary>[Gᵀ X + λ·V; Σᵢ Gᵢ] for G in logit space and V = W (gradient) or the direction's W part (Hessian-vector product).</summary>
    private static Tensor chain(Tensor g, Tensor weight, Tensor X, double l2)
    {
        var g2 = g.dim() == 1 ? g.unsqueeze(1) : g;
        var gw = g2.t().matmul(X);
        if (l2 != 0) gw = gw + l2 * weight;
        return cat(new[] { gw.flatten(), g2.sum(0L) });
    }

    private static Tensor add_penalty(Tensor value, Tensor weight, double l2) =>
        l2 == 0 ? value : value + 0.5 * l2 * weight.square().sum();

    private Tensor logits(Tensor z, Tensor y_true) =>
        n_outputs == 1 && base_loss.is_elementwise && y_true.dim() == 1 ? z.squeeze(1) : z;

    private void check_features(Tensor theta, Tensor X)
    {
        if (X.dim() != 2 || X.shape[1] != n_features)
            throw new ArgumentException($"X has shape {FormChecks.shape(X)}; this model needs (m, {n_features}).", nameof(X));
        if (X.dtype != theta.dtype)
            throw new ArgumentException($"X is {X.dtype} but θ is {theta.dtype}; use one dtype.", nameof(X));
    }

    /// <summary>For each θ position, its position in the (k, j) layout with j = d the intercept.</summary>
    private Tensor theta_order()
    {
        long d = n_features, k = n_outputs, p = d + 1;
        var order = new long[k * p];
        for (long a = 0; a < k; a++)
        {
            for (long j = 0; j < p; j++) order[j < d ? a * d + j : k * d + a] = a * p + j;
        }
        return tensor(order);
    }
}
