using static TorchSharp.torch;

namespace TorchLogistic.Sparse;

/// <summary>
/// The features X <c>(m, d)</c> as the loss layer sees them: only through the products a linear model needs —
/// <c>X Wᵀ + b</c>, <c>Gᵀ X</c> and the weighted Gram matrix <c>X̃ᵀ diag(h) X̃</c> — so the same formulas run on a
/// dense tensor (<see cref="DenseFeatureMatrix"/>, what any <see cref="Tensor"/> converts to) or on a CSR matrix
/// (<see cref="SparseFeatureMatrix"/>), whose memory grows with its non-zeros. Results are tensors of
/// <see cref="DType"/>, made in the caller's dispose scope.
/// </summary>
public abstract class FeatureMatrix
{
    /// <summary>m.</summary>
    public abstract long RowCount { get; }

    /// <summary>d, or −1 when the wrapped tensor is not a matrix (the loss layer reports its shape).</summary>
    public abstract long ColumnCount { get; }

    /// <summary>The dtype of the products.</summary>
    public abstract ScalarType DType { get; }

    /// <summary>The shape for messages, e.g. <c>[100, 5]</c> or <c>[100, 5] (sparse, 40 non-zeros)</c>.</summary>
    public abstract string ShapeText { get; }

    /// <summary>The logits <c>X Wᵀ + b</c>, shape <c>(m, K)</c>.</summary>
    /// <param name="weight">W, shape <c>(K, d)</c>.</param>
    /// <param name="bias">b, shape <c>(K)</c>, or null.</param>
    public abstract Tensor Linear(Tensor weight, Tensor? bias);

    /// <summary><c>Gᵀ X</c>, shape <c>(K, d)</c>: the chain rule through X.</summary>
    /// <param name="g">G, shape <c>(m, K)</c>.</param>
    public abstract Tensor TransposeMultiply(Tensor g);

    /// <summary><c>X̃ᵀ diag(h) X̃</c> with <c>X̃ = [X, 1]</c>, shape <c>(d + 1, d + 1)</c> (or X̃ = X, <c>(d, d)</c>): the Hessian's blocks and the curvature bound.</summary>
    /// <param name="h">hᵢ, shape <c>(m)</c>, or null for ones.</param>
    /// <param name="appendOnes">Append the ones column of the intercept (default true); false for a model without one.</param>
    public abstract Tensor WeightedGram(Tensor? h, bool appendOnes = true);

    /// <summary>The rows listed in <paramref name="rows"/> (int64, shape <c>(r)</c>), in that order.</summary>
    /// <param name="rows">Row indices.</param>
    public abstract FeatureMatrix SelectRows(Tensor rows);

    /// <summary>Every <paramref name="stride"/>-th row, from row 0 (a subsample for the curvature bound).</summary>
    /// <param name="stride">≥ 1.</param>
    public abstract FeatureMatrix EveryRow(long stride);

    /// <summary>A dense tensor seen as a feature matrix (not copied, not owned).</summary>
    /// <param name="x">X, shape <c>(m, d)</c>.</param>
    public static implicit operator FeatureMatrix(Tensor x) => new DenseFeatureMatrix(x);
}
