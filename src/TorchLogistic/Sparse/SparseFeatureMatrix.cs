using TorchLogistic.Native;
using static TorchSharp.torch;

namespace TorchLogistic.Sparse;

/// <summary>
/// A <see cref="CsrMatrix"/> behind <see cref="FeatureMatrix"/>, float64: <c>X Wᵀ</c> by the CSR kernel parallel
/// over rows, <c>Gᵀ X</c> as <c>Xᵀ G</c> on the transpose (built once, on first use, for a matrix that is used
/// many times; a row subset such as a mini-batch scatters instead), the Gram matrix by summing each row's outer
/// product. Threads: libtorch's count (<c>torch.get_num_threads()</c>), so <c>--threads</c> governs both paths.
/// </summary>
public sealed class SparseFeatureMatrix : FeatureMatrix
{
    private readonly bool _cacheTranspose;
    private CsrMatrix? _transpose;

    /// <summary>Wraps <paramref name="matrix"/> (not copied).</summary>
    /// <param name="matrix">X.</param>
    /// <param name="cacheTranspose">Build Xᵀ once for <see cref="TransposeMultiply"/> (true: the full training matrix; false: a small row subset).</param>
    public SparseFeatureMatrix(CsrMatrix matrix, bool cacheTranspose = true)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        this.Matrix = matrix;
        _cacheTranspose = cacheTranspose;
    }

    /// <summary>X.</summary>
    public CsrMatrix Matrix { get; }

    /// <inheritdoc />
    public override long RowCount => Matrix.RowCount;

    /// <inheritdoc />
    public override long ColumnCount => Matrix.ColumnCount;

    /// <inheritdoc />
    public override ScalarType DType => ScalarType.Float64;

    /// <inheritdoc />
    public override string ShapeText => $"[{Matrix.RowCount}, {Matrix.ColumnCount}] (sparse, {Matrix.NonZeroCount} non-zeros)";

    /// <inheritdoc />
    public override Tensor Linear(Tensor weight, Tensor? bias)
    {
        using var scope = NewDisposeScope();
        int k = checked((int)weight.shape[0]);
        // Wᵀ row-major (d, K) is what the kernel reads.
        var b = ToArray(weight.t());
        var z = new double[(long)Matrix.RowCount * k];
        Matrix.Multiply(b, k, z, get_num_threads());
        var result = tensor(z, new long[] { Matrix.RowCount, k }, ScalarType.Float64);
        return (bias is null ? result : result.Plus(bias.to_type(ScalarType.Float64))).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor TransposeMultiply(Tensor g)
    {
        using var scope = NewDisposeScope();
        int k = checked((int)g.shape[1]);
        var values = ToArray(g);
        var c = new double[(long)Matrix.ColumnCount * k];
        if (_cacheTranspose)
            (_transpose ??= Matrix.Transpose()).Multiply(values, k, c, get_num_threads());
        else
            Matrix.TransposeMultiply(values, k, c);
        return tensor(c, new long[] { Matrix.ColumnCount, k }, ScalarType.Float64).t().MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor WeightedGram(Tensor? h, bool appendOnes = true)
    {
        using var scope = NewDisposeScope();
        long p = Matrix.ColumnCount + 1;
        var gram = tensor(Matrix.WeightedGram(h is null ? null : ToArray(h)), new[] { p, p }, ScalarType.Float64);
        return (appendOnes ? gram : gram.narrow(0, 0, p - 1).narrow(1, 0, p - 1).contiguous()).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override FeatureMatrix SelectRows(Tensor rows)
    {
        var index = rows.to_type(ScalarType.Int64).contiguous().data<long>().ToArray();
        return new SparseFeatureMatrix(Matrix.SelectRows(index.Select(i => checked((int)i)).ToArray()), cacheTranspose: false);
    }

    /// <inheritdoc />
    public override FeatureMatrix EveryRow(long stride)
    {
        if (stride == 1) return this;
        var rows = new List<int>();
        for (long i = 0; i < Matrix.RowCount; i += stride) rows.Add((int)i);
        return new SparseFeatureMatrix(Matrix.SelectRows(rows), cacheTranspose: false);
    }

    private static double[] ToArray(Tensor t) => t.to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
}
