using TorchLogistic.Native;
using static TorchSharp.torch;

namespace TorchLogistic.Losses;

/// <summary>
/// Class weights α₀ (negatives) and α₁ (positives) of binary cross-entropy: the loss of an entry with target y is
/// <c>−[α₁·p·y·log σ(z) + α₀·(1 − y)·log σ(−z)]</c> (p = pos_weight), so with hard labels a positive row counts α₁
/// times and a negative row α₀ times — scikit-learn's <c>class_weight</c>. <see cref="Balanced"/> is scikit-learn's
/// <c>"balanced"</c>: <c>α_c = n / (2·n_c)</c> with n the number of targets and n_c the count of class c (Σy for the
/// positives, so soft targets count fractionally), computed per output column along dimension 0; a class with no
/// targets gets 0.
/// </summary>
public sealed record BinaryClassWeights
{
    private BinaryClassWeights(double alpha0, double alpha1, bool isBalanced)
    {
        this.Alpha0 = alpha0;
        this.Alpha1 = alpha1;
        this.IsBalanced = isBalanced;
    }

    /// <summary>Explicit weights.</summary>
    /// <param name="alpha0">α₀ ≥ 0, the weight of the negative class (target 0).</param>
    /// <param name="alpha1">α₁ ≥ 0, the weight of the positive class (target 1).</param>
    public BinaryClassWeights(double alpha0, double alpha1) : this(alpha0, alpha1, false)
    {
        if (!(alpha0 >= 0) || !double.IsFinite(alpha0))
            throw new ArgumentOutOfRangeException(nameof(alpha0), alpha0, $"α₀ = {alpha0} must be a finite number ≥ 0.");
        if (!(alpha1 >= 0) || !double.IsFinite(alpha1))
            throw new ArgumentOutOfRangeException(nameof(alpha1), alpha1, $"α₁ = {alpha1} must be a finite number ≥ 0.");
    }

    /// <summary>scikit-learn's "balanced" weights <c>n / (2·n_c)</c>, computed from the targets at each evaluation.</summary>
    public static BinaryClassWeights Balanced { get; } = new(double.NaN, double.NaN, true);

    /// <summary>α₀; NaN for <see cref="Balanced"/> (it depends on the targets).</summary>
    public double Alpha0 { get; }

    /// <summary>α₁; NaN for <see cref="Balanced"/> (it depends on the targets).</summary>
    public double Alpha1 { get; }

    /// <summary>Whether the weights are computed from the targets.</summary>
    public bool IsBalanced { get; }

    /// <summary>
    /// (α₀, α₁) as tensors of <paramref name="dtype"/> that broadcast against targets shaped like <paramref name="yTrue"/>:
    /// 0-dim for explicit weights, <c>y_true.shape[1..]</c> for <see cref="Balanced"/>.
    /// </summary>
    /// <param name="yTrue">Targets in [0, 1], samples along dimension 0.</param>
    /// <param name="dtype">The logits' dtype.</param>
    public (Tensor alpha0, Tensor alpha1) Resolve(Tensor yTrue, ScalarType dtype)
    {
        if (!IsBalanced) return (tensor(Alpha0, dtype), tensor(Alpha1, dtype));
        using var scope = NewDisposeScope();
        var y = yTrue.to_type(dtype);
        if (y.dim() == 0) y = y.reshape(1);
        double n = y.shape[0];
        var n1 = y.sum(0L);
        var n0 = n1.SubtractedFrom(n);
        var a1 = where(n1 > Scalars.Zero, n1.Times(2).DividedInto(n), zeros_like(n1));
        var a0 = where(n0 > Scalars.Zero, n0.Times(2).DividedInto(n), zeros_like(n0));
        return (a0.MoveToOuterDisposeScope(), a1.MoveToOuterDisposeScope());
    }

    /// <summary>Readable form: <c>balanced</c> or <c>α₀=…, α₁=…</c>.</summary>
    public override string ToString() => IsBalanced ? "balanced" : FormattableString.Invariant($"α₀={Alpha0}, α₁={Alpha1}");
}
