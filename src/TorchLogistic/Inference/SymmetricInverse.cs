using static TorchSharp.torch;

namespace TorchLogistic.Inference;

/// <summary>
/// The inverse of a symmetric positive (semi-)definite matrix through the eigendecomposition of its
/// unit-diagonal rescaling <c>S = D^(−½) M D^(−½)</c>, so that the condition number it reports does not depend on
/// the units of the features.
/// </summary>
internal sealed class SymmetricInverse
{
    private SymmetricInverse(double[] inverse, double[] scaled_eigenvalues, double[] scaled_eigenvectors, double[] scale, int n)
    {
        this.inverse = inverse;
        this.scaled_eigenvalues = scaled_eigenvalues;
        this.scaled_eigenvectors = scaled_eigenvectors;
        this.scale = scale;
        this.n = n;
    }

    /// <summary>M⁻¹, row-major <c>(n, n)</c> (garbage when <see cref="is_singular"/>).</summary>
    public double[] inverse { get; }

    /// <summary>Eigenvalues of the rescaled matrix, ascending.</summary>
    public double[] scaled_eigenvalues { get; }

    /// <summary>Eigenvectors of the rescaled matrix, column i for eigenvalue i, row-major <c>(n, n)</c>.</summary>
    public double[] scaled_eigenvectors { get; }

    /// <summary>Dᵢᵢ^(−½), the rescaling.</summary>
    public double[] scale { get; }

    /// <summary>Order of the matrix.</summary>
    public int n { get; }

    /// <summary>Smallest over largest eigenvalue of the rescaled matrix (0 or negative when singular).</summary>
    public double reciprocal_condition => scaled_eigenvalues[^1] > 0 ? scaled_eigenvalues[0] / scaled_eigenvalues[^1] : 0;

    /// <summary>Whether the matrix is numerically singular or not positive definite: reciprocal condition below 1e-13.</summary>
    public bool is_singular => !(reciprocal_condition > 1e-13);

    /// <summary>The eigenvector of the smallest eigenvalue, mapped back to the original coordinates (a direction M barely constrains).</summary>
    public double[] weakest_direction()
    {
        var v = new double[n];
        for (int i = 0; i < n; i++) v[i] = scaled_eigenvectors[i * n] * scale[i];
        return v;
    }

    /// <summary>Decomposes the symmetric matrix <paramref name="matrix"/>, row-major <c>(n, n)</c>.</summary>
    public static SymmetricInverse of(double[] matrix, int n)
    {
        var scale = new double[n];
        for (int i = 0; i < n; i++)
        {
            double d = matrix[i * n + i];
            scale[i] = d > 0 ? 1 / Math.Sqrt(d) : 1;
        }
        using var disposeScope = NewDisposeScope();
        var s = tensor(scale, ScalarType.Float64);
        var m = tensor(matrix, new long[] { n, n }, ScalarType.Float64);
        var scaled = m * s.unsqueeze(1) * s.unsqueeze(0);
        scaled = (scaled + scaled.t()) / 2;
        var (values, vectors) = linalg.eigh(scaled);
        // A singular matrix still gets a finite (huge) inverse; callers check is_singular.
        var inverseValues = values.clamp_min(Math.Max(values.max().item<double>(), 1e-300) * 1e-20).reciprocal();
        var inverseScaled = (vectors * inverseValues.unsqueeze(0)).matmul(vectors.t());
        var inverse = inverseScaled * s.unsqueeze(1) * s.unsqueeze(0);
        return new SymmetricInverse(to_array(inverse), to_array(values), to_array(vectors), scale, n);
    }

    private static double[] to_array(Tensor t) => t.contiguous().data<double>().ToArray();
}
