using TorchLogistic.Native;
using static TorchSharp.torch;

namespace TorchLogistic.Inference;

/// <summary>
/// The inverse of a symmetric positive (semi-)definite matrix through the eigendecomposition of its
/// unit-diagonal rescaling <c>S = D^(−½) M D^(−½)</c>, so that the condition number it reports does not depend on
/// the units of the features.
/// </summary>
internal sealed class SymmetricInverse
{
    private SymmetricInverse(double[] inverse, double[] scaledEigenvalues, double[] scaledEigenvectors, double[] scale, int n)
    {
        this.Inverse = inverse;
        this.ScaledEigenvalues = scaledEigenvalues;
        this.ScaledEigenvectors = scaledEigenvectors;
        this.Scale = scale;
        this.N = n;
    }

    /// <summary>M⁻¹, row-major <c>(n, n)</c> (garbage when <see cref="IsSingular"/>).</summary>
    public double[] Inverse { get; }

    /// <summary>Eigenvalues of the rescaled matrix, ascending.</summary>
    public double[] ScaledEigenvalues { get; }

    /// <summary>Eigenvectors of the rescaled matrix, column i for eigenvalue i, row-major <c>(n, n)</c>.</summary>
    public double[] ScaledEigenvectors { get; }

    /// <summary>Dᵢᵢ^(−½), the rescaling.</summary>
    public double[] Scale { get; }

    /// <summary>Order of the matrix.</summary>
    public int N { get; }

    /// <summary>Smallest over largest eigenvalue of the rescaled matrix (0 or negative when singular).</summary>
    public double ReciprocalCondition => ScaledEigenvalues[^1] > 0 ? ScaledEigenvalues[0] / ScaledEigenvalues[^1] : 0;

    /// <summary>Whether the matrix is numerically singular or not positive definite: reciprocal condition below 1e-13.</summary>
    public bool IsSingular => !(ReciprocalCondition > 1e-13);

    /// <summary>The eigenvector of the smallest eigenvalue, mapped back to the original coordinates (a direction M barely constrains).</summary>
    public double[] WeakestDirection()
    {
        var v = new double[N];
        for (int i = 0; i < N; i++) v[i] = ScaledEigenvectors[i * N] * Scale[i];
        return v;
    }

    /// <summary>Decomposes the symmetric matrix <paramref name="matrix"/>, row-major <c>(n, n)</c>.</summary>
    public static SymmetricInverse Of(double[] matrix, int n)
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
        scaled = scaled.Plus(scaled.t()).DividedBy(2);
        var (values, vectors) = linalg.eigh(scaled);
        // A singular matrix still gets a finite (huge) inverse; callers check is_singular.
        using var floor = Scalars.Of(Math.Max(values.max().item<double>(), 1e-300) * 1e-20);
        var inverseValues = values.clamp_min(floor).reciprocal();
        var inverseScaled = (vectors * inverseValues.unsqueeze(0)).matmul(vectors.t());
        var inverse = inverseScaled * s.unsqueeze(1) * s.unsqueeze(0);
        return new SymmetricInverse(ToArray(inverse), ToArray(values), ToArray(vectors), scale, n);
    }

    private static double[] ToArray(Tensor t) => t.contiguous().data<double>().ToArray();
}
