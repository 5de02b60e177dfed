using TorchLogistic.Native;
using static TorchSharp.torch;

namespace TorchLogistic.Losses;

/// <summary>
/// Numerically stable sigmoid, log-sigmoid, softplus, softmax, log-softmax and log-sum-exp: finite, correct
/// values for logits of ±1e4 (and beyond) in float32 and float64, where the textbook formulas overflow
/// (<c>e^{1e4}</c>), lose every digit to cancellation (<c>log(1 − σ(z))</c>) or give NaN (<c>∞/∞</c>), and correct
/// under autograd (including at z = 0, where the usual <c>|z|</c> trick has a kink autograd differentiates wrongly).
/// <para>
/// Where TorchSharp's fused kernel already has these properties (sigmoid, logsigmoid, logsumexp: max-shifted or
/// branch-free, with analytic backward passes) it is used — one pass over memory instead of several. The tests of
/// this class are the guarantee that it stays so. softplus is computed here: TorchSharp's switches to the identity
/// above a threshold (z &gt; 20), an error of e^{−20} ≈ 2e-9 that float64 can see. log_softmax and softmax are
/// composed here from the same max-shifted terms as libtorch's kernels: those kernels measured 4–5× slower than
/// logsumexp on rows of ten classes (digits, float64), which made them the most expensive step of a softmax objective.
/// </para>
/// </summary>
/// <remarks>
/// The class is called <c>StableMath</c> rather than mirroring a TorchSharp name so that
/// <c>using TorchLogistic.Losses;</c> next to <c>using static TorchSharp.torch;</c> never makes a name ambiguous.
/// </remarks>
public static class StableMath
{
    /// <summary>σ(z) = 1 / (1 + e^{−z}), element-wise (TorchSharp's kernel: never overflows, 0 and 1 at ∓1e4).</summary>
    /// <param name="z">Logits, any shape, floating point.</param>
    /// <returns>Values in [0, 1], same shape and dtype.</returns>
    public static Tensor Sigmoid(Tensor z) => z.sigmoid();

    /// <summary>
    /// softplus(z) = log(1 + e^{z}), element-wise: <c>z + log1p(e^{−z})</c> for z &gt; 0, <c>log1p(e^{z})</c> otherwise, each
    /// branch on a clamped input ("double where") so that neither overflows and autograd gets σ(z) everywhere, 1/2 at 0.
    /// </summary>
    /// <remarks>Unlike <c>torch.nn.functional.softplus</c>, no threshold: exact to rounding in float64 for every z.</remarks>
    /// <param name="z">Logits, any shape, floating point.</param>
    public static Tensor Softplus(Tensor z)
    {
        using var scope = NewDisposeScope();
        var zp = z.clamp_min(Scalars.Zero);
        var positive = zp.Plus((-zp).exp().log1p());
        var negative = z.clamp_max(Scalars.Zero).exp().log1p();
        return where(z > Scalars.Zero, positive, negative).MoveToOuterDisposeScope();
    }

    /// <summary>log σ(z) = min(z, 0) − log1p(e^{−|z|}), element-wise (TorchSharp's kernel); never −∞ for finite z (log σ(−1e4) = −1e4).</summary>
    /// <param name="z">Logits, any shape, floating point.</param>
    public static Tensor LogSigmoid(Tensor z) => nn.functional.logsigmoid(z);

    /// <summary>log Σⱼ e^{zⱼ} along <paramref name="dim"/>, shifted by the maximum (TorchSharp's kernel); a row that is all −∞ gives −∞.</summary>
    /// <param name="z">Logits, floating point.</param>
    /// <param name="dim">Dimension to reduce.</param>
    /// <param name="keepdim">Keep the reduced dimension with size 1 (default false).</param>
    public static Tensor LogSumExp(Tensor z, long dim, bool keepdim = false) => z.logsumexp(dim, keepdim);

    /// <summary>
    /// log softmax(z) along <paramref name="dim"/> = <c>(z − m) − log Σⱼ e^{zⱼ − m}</c> with m the row maximum (0 where it is
    /// infinite), so no digit of the small term is lost to a large m. m is a constant to autograd: the value does
    /// not depend on it.
    /// </summary>
    /// <param name="z">Logits, floating point.</param>
    /// <param name="dim">The class dimension.</param>
    public static Tensor LogSoftmax(Tensor z, long dim)
    {
        using var scope = NewDisposeScope();
        var max = z.amax(new[] { dim }, keepdim: true).detach();
        var shifted = z - max.masked_fill(max.isinf(), Scalars.Zero);
        return (shifted - shifted.exp().sum(dim, keepdim: true).log()).MoveToOuterDisposeScope();
    }

    /// <summary>softmax(z) along <paramref name="dim"/> = <c>e^{log softmax(z)}</c>; rows sum to 1 to rounding, never overflows.</summary>
    /// <param name="z">Logits, floating point.</param>
    /// <param name="dim">The class dimension.</param>
    public static Tensor Softmax(Tensor z, long dim)
    {
        using var scope = NewDisposeScope();
        return LogSoftmax(z, dim).exp_().MoveToOuterDisposeScope();
    }
}
