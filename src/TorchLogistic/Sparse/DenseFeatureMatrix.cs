using static TorchSharp.torch;

namespace TorchLogistic.Sparse;

/// <summary>A dense feature tensor X <c>(m, d)</c> behind <see cref="FeatureMatrix"/>: the products are libtorch's matmul. It neither copies nor owns the tensor.</summary>
public sealed class DenseFeatureMatrix : FeatureMatrix
{
    /// <summary>Wraps <paramref name="values"/>.</summary>
    /// <param name="values">X, shape <c>(m, d)</c>.</param>
    public DenseFeatureMatrix(Tensor values)
    {
        ArgumentNullException.ThrowIfNull(values);
        this.Values = values;
    }

    /// <summary>X.</summary>
    public Tensor Values { get; }

    /// <inheritdoc />
    public override long RowCount => Values.dim() >= 1 ? Values.shape[0] : 0;

    /// <inheritdoc />
    public override long ColumnCount => Values.dim() == 2 ? Values.shape[1] : -1;

    /// <inheritdoc />
    public override ScalarType DType => Values.dtype;

    /// <inheritdoc />
    public override string ShapeText => $"[{string.Join(", ", Values.shape)}]";

    /// <inheritdoc />
    public override Tensor Linear(Tensor weight, Tensor? bias) => nn.functional.linear(Values, weight, bias);

    /// <inheritdoc />
    public override Tensor TransposeMultiply(Tensor g) => g.t().matmul(Values);

    /// <inheritdoc />
    public override Tensor WeightedGram(Tensor? h, bool appendOnes = true)
    {
        using var scope = NewDisposeScope();
        var xt = appendOnes ? cat(new[] { Values, ones(RowCount, 1, dtype: Values.dtype) }, 1) : Values;
        return (h is null ? xt.t().matmul(xt) : xt.t().matmul(xt * h.to_type(Values.dtype).unsqueeze(1))).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override FeatureMatrix SelectRows(Tensor rows) => new DenseFeatureMatrix(Values.index_select(0, rows));

    /// <inheritdoc />
    public override FeatureMatrix EveryRow(long stride) => stride == 1 ? this : new DenseFeatureMatrix(Values.slice(0, 0, RowCount, stride));
}
