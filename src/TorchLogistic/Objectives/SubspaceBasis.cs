namespace TorchLogistic.Objectives;

/// <summary>
/// The part of a <see cref="SubspaceCurvaturePreconditioner"/> that depends on the rows alone: the eigendecomposition
/// A = U diag(α) Uᵀ of the bound's <c>A = X̃ᵀ diag(s) X̃ / n</c> (its Gram product and (d+1)² eigendecomposition are most of
/// the preconditioner's construction). Neither θ nor C enters it, so fits of the same rows at several C (a fold's path
/// in cross-validation) can build it once and hand it on (<see cref="ISubspaceBasisHolder"/>).
/// </summary>
internal sealed class SubspaceBasis
{
    /// <summary>Wraps an eigendecomposition.</summary>
    /// <param name="rows">m: rows of the features it was built from (a basis is only handed to objectives on the same rows).</param>
    /// <param name="eigenvalues">α, ascending (p = d + 1 entries).</param>
    /// <param name="vectors">U, (p × p) row-major, columns in the order of <paramref name="eigenvalues"/>.</param>
    public SubspaceBasis(long rows, double[] eigenvalues, double[] vectors)
    {
        if ((long)eigenvalues.Length * eigenvalues.Length != vectors.Length)
            throw new ArgumentException($"A basis of {eigenvalues.Length} eigenvalues needs {eigenvalues.Length}² vector entries; got {vectors.Length}.");
        Rows = rows;
        Eigenvalues = eigenvalues;
        Vectors = vectors;
    }

    /// <summary>m: rows of the features.</summary>
    public long Rows { get; }

    /// <summary>p = d + 1.</summary>
    public int Dimension => Eigenvalues.Length;

    /// <summary>α, ascending (shared, not copied: never written).</summary>
    public double[] Eigenvalues { get; }

    /// <summary>U, (p × p) row-major (shared, not copied: never written).</summary>
    public double[] Vectors { get; }

    /// <summary>Whether this basis can serve features of <paramref name="rows"/> rows and <paramref name="dimension"/> = d + 1.</summary>
    public bool Fits(long rows, int dimension) => rows == Rows && dimension == Dimension;
}
