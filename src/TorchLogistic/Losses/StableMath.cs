using static TorchSharp.torch;

namespace TorchLogistic.Losses;

/// <summary>
/// Numerically stable sigmoid, log-sigmoid, softplus, softmax, log-softmax and log-sum-exp: finite, correct
/// values for logits of ±1e4 (and beyond) in float32 and float64, where the textbook formulas overflow
/// (<c>e^{1e4}</c>), lose every digit to cancellation (<c>log(1 − σ(z))</c>) or give NaN (<c>∞/∞</c>).
/// <para>
/// Each function is also correct under autograd, including at z = 0 where the usual <c>|z|</c> trick has a
/// kink that autograd differentiates wrongly: the two branches are evaluated on clamped inputs
/// (<c>min(z, 0)</c> and <c>max(z, 0)</c>, the "double where" trick), so neither branch overflows and the
/// unselected branch passes back an exact zero, never <c>0 · ∞</c>. The shifts of softmax and log-sum-exp
/// are detached: the result does not depend on them mathematically, so their gradient is zero anyway.
/// </para>
/// </summary>
/// <remarks>
/// The class is called <c>StableMath</c> rather than mirroring a TorchSharp name so that
/// <c>using TorchLogistic.Losses;</c> next to <c>using static TorchSharp.torch;</c> never makes a name ambiguous.
/// </remarks>
public static class StableMath
{
    /// <summary>σ(z) = 1 / (1 + e^{−z}), element-wise: <c>1/(1 + e^{−z})</c> for z ≥ 0, <c>e^{z}/(1 + e^{z})</c> for z &lt; 0.</summary>
    /// <param name="z">Logits, any shape, floating point.</param>
    /// <returns>Values in [0, 1], same shape and dtype.</returns>
    public static Tensor sigmoid(Tensor z)
    {
        using var scope = NewDisposeScope();
        var positive = 1 / (1 + (-z.clamp_min(0)).exp());
        var en = z.clamp_max(0).exp();
        var negative = en / (1 + en);
        return where(z >= 0, positive, negative).MoveToOuterDisposeScope();
    }

    /// <summary>softplus(z) = log(1 + e^{z}), element-wise: <c>z + log1p(e^{−z})</c> for z &gt; 0, <c>log1p(e^{z})</c> otherwise.</summary>
    /// <remarks>Unlike <c>torch.nn.functional.softplus</c>, no threshold: exact to rounding in float64 for every z.</remarks>
    /// <param name="z">Logits, any shape, floating point.</param>
    public static Tensor softplus(Tensor z)
    {
        using var scope = NewDisposeScope();
        var zp = z.clamp_min(0);
        var positive = zp + (-zp).exp().log1p();
        var negative = z.clamp_max(0).exp().log1p();
        return where(z > 0, positive, negative).MoveToOuterDisposeScope();
    }

    /// <summary>log σ(z) = −softplus(−z), element-wise; never −∞ for finite z (log σ(−1e4) = −1e4).</summary>
    /// <param name="z">Logits, any shape, floating point.</param>
    public static Tensor log_sigmoid(Tensor z)
    {
        using var scope = NewDisposeScope();
        return softplus(-z).neg().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// log Σⱼ e^{zⱼ} along <paramref name="dim"/> = <c>m + log Σⱼ e^{zⱼ − m}</c> with m the (detached) maximum;
    /// a row that is all −∞ gives −∞, as in PyTorch.
    /// </summary>
    /// <param name="z">Logits, floating point.</param>
    /// <param name="dim">Dimension to reduce.</param>
    /// <param name="keepdim">Keep the reduced dimension with size 1 (default false).</param>
    public static Tensor logsumexp(Tensor z, long dim, bool keepdim = false)
    {
        using var scope = NewDisposeScope();
        var m = shift(z, dim);
        var result = m + (z - m).exp().sum(dim, keepdim: true).log();
        return (keepdim ? result : result.squeeze(dim)).MoveToOuterDisposeScope();
    }

    /// <summary>log softmax(z) along <paramref name="dim"/> = <c>(z − m) − log Σⱼ e^{zⱼ − m}</c>, as PyTorch computes it.</summary>
    /// <param name="z">Logits, floating point.</param>
    /// <param name="dim">The class dimension.</param>
    public static Tensor log_softmax(Tensor z, long dim)
    {
        using var scope = NewDisposeScope();
        var shifted = z - shift(z, dim);
        return (shifted - shifted.exp().sum(dim, keepdim: true).log()).MoveToOuterDisposeScope();
    }

    /// <summary>softmax(z) along <paramref name="dim"/> = <c>e^{z − m} / Σⱼ e^{zⱼ − m}</c>; rows sum to 1.</summary>
    /// <param name="z">Logits, floating point.</param>
    /// <param name="dim">The class dimension.</param>
    public static Tensor softmax(Tensor z, long dim)
    {
        using var scope = NewDisposeScope();
        var e = (z - shift(z, dim)).exp();
        return (e / e.sum(dim, keepdim: true)).MoveToOuterDisposeScope();
    }

    /// <summary>The detached row maximum, with non-finite maxima (rows of ±∞) replaced by 0 so that z − m stays defined.</summary>
    private static Tensor shift(Tensor z, long dim)
    {
        var m = z.detach().amax(new[] { dim }, keepdim: true);
        return where(m.isfinite(), m, zeros_like(m));
    }
}
