using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace TorchLogistic.Data;

/// <summary>
/// The tensors of a mini-batch, made once per batch size (a pass has at most two: full batches and the last one) and
/// refilled from each <see cref="RowBatch"/> by copying into their storage, so streaming allocates no memory per
/// batch: features <c>(rows, d)</c> float64 (standardised on the way when a scaler is given), labels <c>(rows)</c>
/// int64, and the row factors <c>sᵢ = sample_weightᵢ · class_weight[yᵢ]</c> <c>(rows)</c> float64 when either is given.
/// </summary>
public sealed class BatchTensors : IDisposable
{
    private readonly StandardScaler? _scaler;
    private readonly double[]? _classWeight;
    private readonly List<(Tensor X, Tensor Y, Tensor? S)> _sets = new();

    /// <summary>Creates the (still empty) set of tensors.</summary>
    /// <param name="scaler">Applied to the raw features, or null to use them as they are.</param>
    /// <param name="classWeight">Weight of each class in sᵢ, or null (all 1).</param>
    public BatchTensors(StandardScaler? scaler = null, double[]? classWeight = null)
    {
        this._scaler = scaler;
        _classWeight = classWeight;
    }

    /// <summary>
    /// The tensors holding <paramref name="batch"/>. They are overwritten by the next call with a batch of the same
    /// size and disposed with this object: do not dispose them, and do not keep them.
    /// </summary>
    /// <param name="batch">The rows.</param>
    /// <param name="weighted">Whether to fill sᵢ (false: <c>S</c> is null); when true and neither weights nor class weights exist, S is null too.</param>
    public (Tensor X, Tensor Y, Tensor? S) Fill(RowBatch batch, bool weighted = true)
    {
        int rows = batch.RowCount, d = batch.FeatureCount;
        bool hasS = weighted && (batch.SampleWeight != null || _classWeight != null);
        var set = _sets.Find(t => t.X.shape[0] == rows && t.X.shape[1] == d && (t.S is not null) == hasS);
        if (set.X is null)
        {
            set = (empty(rows, d, dtype: ScalarType.Float64).DetachFromDisposeScope(), empty(rows, dtype: ScalarType.Int64).DetachFromDisposeScope(),
                hasS ? empty(rows, dtype: ScalarType.Float64).DetachFromDisposeScope() : null);
            _sets.Add(set);
        }
        var x = MemoryMarshal.Cast<byte, double>(set.X.bytes);
        if (_scaler != null) _scaler.Transform(batch.Features, x, rows);
        else batch.Features.AsSpan().CopyTo(x);
        var y = MemoryMarshal.Cast<byte, long>(set.Y.bytes);
        for (int i = 0; i < rows; i++) y[i] = batch.Labels[i];
        if (set.S is not null) SampleWeights.Combine(batch.Labels, batch.SampleWeight, _classWeight, MemoryMarshal.Cast<byte, double>(set.S.bytes));
        return set;
    }

    /// <summary>Disposes the tensors.</summary>
    public void Dispose()
    {
        foreach (var (x, y, s) in _sets)
        {
            x.Dispose();
            y.Dispose();
            s?.Dispose();
        }
        _sets.Clear();
    }
}
