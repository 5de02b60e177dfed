using TorchLogistic.Native;
using TorchLogistic.Sparse;
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
/// <see cref="LogitLoss.PointwiseForm"/>: <c>var f = loss.PointwiseForm(Z, y); new LinearModelLoss(f.Loss, d, K).Gradient(θ, X, f.YTrue, f.SampleWeight)</c>.
/// When K = 1 and the loss is element-wise with targets of shape <c>(m)</c>, the logits are <c>(m)</c> (binary logistic regression).
/// Without an intercept (<see cref="FitIntercept"/> false, scikit-learn's <c>fit_intercept=False</c>) b is absent:
/// θ = vec(W), zᵢ = W xᵢ, x̃ = x, and every formula above drops its b terms.
/// </summary>
public sealed class LinearModelLoss
{
    /// <summary>Creates the loss for d features and K outputs.</summary>
    /// <param name="baseLoss">The pointwise loss ℓ.</param>
    /// <param name="featureCount">d ≥ 1.</param>
    /// <param name="outputCount">K ≥ 1 (1 for binary logistic regression).</param>
    /// <param name="fitIntercept">Whether θ ends with the K intercepts b (default true); false fixes b = 0 and θ = vec(W).</param>
    public LinearModelLoss(PointwiseLoss baseLoss, long featureCount, long outputCount, bool fitIntercept = true)
    {
        ArgumentNullException.ThrowIfNull(baseLoss);
        if (featureCount < 1) throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "A linear model needs at least one feature.");
        if (outputCount < 1) throw new ArgumentOutOfRangeException(nameof(outputCount), outputCount, "A linear model needs at least one output.");
        this.BaseLoss = baseLoss;
        this.FeatureCount = featureCount;
        this.OutputCount = outputCount;
        this.FitIntercept = fitIntercept;
    }

    /// <summary>Whether θ holds the intercepts b (last); false for a model through the origin.</summary>
    public bool FitIntercept { get; }

    /// <summary>Number of intercepts in θ: K with an intercept, else 0.</summary>
    private long InterceptCount => FitIntercept ? OutputCount : 0;

    /// <summary>ℓ.</summary>
    public PointwiseLoss BaseLoss { get; }

    /// <summary>d.</summary>
    public long FeatureCount { get; }

    /// <summary>K.</summary>
    public long OutputCount { get; }

    /// <summary>Length of θ: K·d + K, or K·d without an intercept.</summary>
    public long ParameterCount => OutputCount * FeatureCount + InterceptCount;

    /// <summary>θ = [vec(W); b] from W <c>(K, d)</c> and b <c>(K)</c>.</summary>
    /// <param name="weight">W.</param>
    /// <param name="bias">b.</param>
    public static Tensor Pack(Tensor weight, Tensor bias) => cat(new[] { weight.flatten(), bias.flatten() });

    /// <summary>W <c>(K, d)</c> and b <c>(K)</c> (null without an intercept) as views of θ (autograd flows through them).</summary>
    /// <param name="theta">θ, shape <c>(K·d + K)</c>, or <c>(K·d)</c> without an intercept.</param>
    public (Tensor weight, Tensor? bias) Unpack(Tensor theta)
    {
        if (theta.dim() != 1 || theta.shape[0] != ParameterCount)
            throw new ArgumentException($"θ has shape {FormChecks.Shape(theta)}; this model needs [{ParameterCount}] ({(FitIntercept ? $"K·d + K = {OutputCount}·{FeatureCount} + {OutputCount}" : $"K·d = {OutputCount}·{FeatureCount}, no intercept")}).", nameof(theta));
        long kd = OutputCount * FeatureCount;
        return (theta.narrow(0, 0, kd).view(OutputCount, FeatureCount), FitIntercept ? theta.narrow(0, kd, OutputCount) : null);
    }

    /// <summary>The logits Z = X Wᵀ + b: <c>(m)</c> for an element-wise loss with K = 1 and targets <c>(m)</c>, else <c>(m, K)</c>.</summary>
    /// <param name="theta">θ.</param>
    /// <param name="x">Features <c>(m, d)</c>, θ's dtype.</param>
    /// <param name="yTrue">Targets (for the shape of the logits).</param>
    public Tensor RawPrediction(Tensor theta, FeatureMatrix x, Tensor yTrue)
    {
        using var scope = NewDisposeScope();
        return Forward(theta, x, yTrue).z.MoveToOuterDisposeScope();
    }

    /// <summary>The checked W (a view of θ) and the logits, for the methods that need both.</summary>
    private (Tensor weight, Tensor z) Forward(Tensor theta, FeatureMatrix x, Tensor yTrue)
    {
        CheckFeatures(theta, x);
        var (w, b) = Unpack(theta);
        return (w, Logits(x.Linear(w, b), yTrue));
    }

    /// <summary>L(θ), a scalar.</summary>
    /// <param name="theta">θ.</param>
    /// <param name="x">Features <c>(m, d)</c>: a dense tensor or a sparse <see cref="FeatureMatrix"/>.</param>
    /// <param name="yTrue">Targets, in the form <see cref="BaseLoss"/> takes.</param>
    /// <param name="sampleWeight">sᵢ, or null for 1.</param>
    /// <param name="l2RegStrength">λ ≥ 0 (default 0).</param>
    public Tensor Loss(Tensor theta, FeatureMatrix x, Tensor yTrue, Tensor? sampleWeight = null, double l2RegStrength = 0)
    {
        using var scope = NewDisposeScope();
        var (w, z) = Forward(theta, x, yTrue);
        var value = BaseLoss.Loss(yTrue, z, sampleWeight).sum();
        return AddPenalty(value, w, l2RegStrength).MoveToOuterDisposeScope();
    }

    /// <summary>L(θ) and ∇L(θ) (shape of θ), sharing the work.</summary>
    /// <inheritdoc cref="Loss" path="/param"/>
    public (Tensor loss, Tensor gradient) LossGradient(Tensor theta, FeatureMatrix x, Tensor yTrue, Tensor? sampleWeight = null, double l2RegStrength = 0)
    {
        using var scope = NewDisposeScope();
        var (w, z) = Forward(theta, x, yTrue);
        var (perSample, g) = BaseLoss.LossGradient(yTrue, z, sampleWeight);
        var value = AddPenalty(perSample.sum(), w, l2RegStrength);
        var gradient = Chain(g, w, x, l2RegStrength, FitIntercept);
        return (value.MoveToOuterDisposeScope(), gradient.MoveToOuterDisposeScope());
    }

    /// <summary>∇L(θ), the shape of θ.</summary>
    /// <inheritdoc cref="Loss" path="/param"/>
    public Tensor Gradient(Tensor theta, FeatureMatrix x, Tensor yTrue, Tensor? sampleWeight = null, double l2RegStrength = 0)
    {
        using var scope = NewDisposeScope();
        var (w, z) = Forward(theta, x, yTrue);
        return Chain(BaseLoss.Gradient(yTrue, z, sampleWeight), w, x, l2RegStrength, FitIntercept).MoveToOuterDisposeScope();
    }

    /// <summary>∇²L(θ), <c>(ParameterCount, ParameterCount)</c> in θ's order; symmetric, and PSD for the convex losses with weights ≥ 0.</summary>
    /// <inheritdoc cref="Loss" path="/param"/>
    public Tensor Hessian(Tensor theta, FeatureMatrix x, Tensor yTrue, Tensor? sampleWeight = null, double l2RegStrength = 0)
    {
        using var scope = NewDisposeScope();
        var z = RawPrediction(theta, x, yTrue);
        var (_, blocks) = BaseLoss.GradientHessian(yTrue, z, sampleWeight);
        long m = x.RowCount, d = FeatureCount, k = OutputCount, p = FitIntercept ? d + 1 : d;
        if (blocks.dim() == 1) blocks = blocks.reshape(m, 1, 1);
        var full = zeros(k, p, k, p, dtype: x.DType);
        for (long a = 0; a < k; a++)
        {
            for (long c = a; c < k; c++)
            {
                if (c != a && BaseLoss.IsElementwise) continue;
                var h = blocks.select(1, a).select(1, c);
                var block = x.WeightedGram(h, FitIntercept);
                full.index_put_(block, TensorIndex.Single(a), TensorIndex.Colon, TensorIndex.Single(c), TensorIndex.Colon);
                if (c != a) full.index_put_(block.t(), TensorIndex.Single(c), TensorIndex.Colon, TensorIndex.Single(a), TensorIndex.Colon);
            }
        }
        var result = full.reshape(k * p, k * p);
        if (FitIntercept)
        {
            var order = ThetaOrder();
            result = result.index_select(0, order).index_select(1, order);
        }
        if (l2RegStrength != 0)
        {
            using var strength = Scalars.Of(l2RegStrength);
            result = result.Plus(cat(new[] { full_like(theta.narrow(0, 0, k * d), strength), zeros(InterceptCount, dtype: theta.dtype) }).diag_embed());
        }
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>∇²L(θ)·v without forming the Hessian, the shape of θ.</summary>
    /// <param name="theta">θ.</param>
    /// <param name="v">Direction, the shape of θ.</param>
    /// <param name="x">Features <c>(m, d)</c>: a dense tensor or a sparse <see cref="FeatureMatrix"/>.</param>
    /// <param name="yTrue">Targets.</param>
    /// <param name="sampleWeight">sᵢ, or null.</param>
    /// <param name="l2RegStrength">λ ≥ 0.</param>
    public Tensor HessianVectorProduct(Tensor theta, Tensor v, FeatureMatrix x, Tensor yTrue, Tensor? sampleWeight = null, double l2RegStrength = 0)
    {
        using var scope = NewDisposeScope();
        var z = RawPrediction(theta, x, yTrue);
        var (vw, vb) = Unpack(v.to_type(theta.dtype));
        var dz = Logits(x.Linear(vw, vb), yTrue);
        var r = BaseLoss.HessianProduct(yTrue, z, dz, sampleWeight);
        return Chain(r, vw, x, l2RegStrength, FitIntercept).MoveToOuterDisposeScope();
    }

    /// <summary>[Gᵀ X + λ·V; Σᵢ Gᵢ] (without the sum when there is no intercept) for G in logit space and V = W (gradient) or the direction's W part (Hessian-vector product).</summary>
    private static Tensor Chain(Tensor g, Tensor weight, FeatureMatrix x, double l2, bool intercept)
    {
        var g2 = g.dim() == 1 ? g.unsqueeze(1) : g;
        var gw = x.TransposeMultiply(g2);
        if (l2 != 0) gw = gw.Plus(weight.Times(l2));
        return intercept ? cat(new[] { gw.flatten(), g2.sum(0L) }) : gw.flatten();
    }

    private static Tensor AddPenalty(Tensor value, Tensor weight, double l2) =>
        l2 == 0 ? value : value.Plus(weight.Squared().sum().Times(0.5 * l2));

    private Tensor Logits(Tensor z, Tensor yTrue) =>
        OutputCount == 1 && BaseLoss.IsElementwise && yTrue.dim() == 1 ? z.squeeze(1) : z;

    private void CheckFeatures(Tensor theta, FeatureMatrix x)
    {
        if (x.ColumnCount != FeatureCount)
            throw new ArgumentException($"X has shape {x.ShapeText}; this model needs (m, {FeatureCount}).", nameof(x));
        if (x.DType != theta.dtype)
            throw new ArgumentException($"X is {x.DType} but θ is {theta.dtype}; use one dtype.", nameof(x));
    }

    /// <summary>For each θ position, its position in the (k, j) layout with j = d the intercept.</summary>
    private Tensor ThetaOrder()
    {
        long d = FeatureCount, k = OutputCount, p = d + 1;
        var order = new long[k * p];
        for (long a = 0; a < k; a++)
        {
            for (long j = 0; j < p; j++) order[j < d ? a * d + j : k * d + a] = a * p + j;
        }
        return tensor(order);
    }
}
