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
    private readonly StandardScaler? scaler;
    private readonly double[]? classWeight;
    private readonly List<(Tensor X, Tensor Y, Tensor? S)> sets = new();

    /// <summary>Creates the (still empty) set of tensors.</summary>
    /// <param name="scaler">Applied to the raw features, or null to use them as they are.</param>
    /// <param name="class_weight">Weight of each class in sᵢ, or null (all 1).</param>
    public BatchTensors(StandardScaler? scaler = null, double[]? class_weight = null)
    {
        this.scaler = scaler;
        classWeight = class_weight;
    }

    /// <summary>
    /// The tensors holding <paramref name="batch"/>. They are overwritten by the next call with a batch of the same
    /// size and disposed with this object: do not dispose them, and do not keep them.
    /// </summary>
    /// <param name="batch">The rows.</param>
    /// <param name="weighted">Whether to fill sᵢ (false: <c>S</c> is null); when true and neither weights nor class weights exist, S is null too.</param>
    public (Tensor X, Tensor Y, Tensor? S) fill(RowBatch batch, bool weighted = true)
    {
        int rows = batch.n_rows, d = batch.n_features;
        bool hasS = weighted && (batch.sample_weight != null || classWeight != null);
        var set = sets.Find(t => t.X.shape[0] == rows && t.X.shape[1] == d && (t.S is not null) == hasS);
        if (set.X is null)
        {
            set = (empty(rows, d, dtype: ScalarType.Float64).DetachFromDisposeScope(), empty(rows, dtype: ScalarType.Int64).DetachFromDisposeScope(),
                hasS ? empty(rows, dtype: ScalarType.Float64).DetachFromDisposeScope() : null);
            sets.Add(set);
        }
        var x = MemoryMarshal.Cast<byte, double>(set.X.bytes);
        if (scaler != null) scaler.transform(batch.features, x, rows);
        else batch.features.AsSpan().CopyTo(x);
        var y = MemoryMarshal.Cast<byte, long>(set.Y.bytes);
        for (int i = 0; i < rows; i++) y[i] = batch.labels[i];
        if (set.S is not null) SampleWeights.combine(batch.labels, batch.sample_weight, classWeight, MemoryMarshal.Cast<byte, double>(set.S.bytes));
        return set;
    }

    /// <summary>Disposes the tensors.</summary>
    public void Dispose()
    {
        foreach (var (x, y, s) in sets)
        {
            x.Dispose();
            y.Dispose();
            s?.Dispose();
        }
        sets.Clear();
    }
}
