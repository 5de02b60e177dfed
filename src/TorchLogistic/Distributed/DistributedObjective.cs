using TorchLogistic.Native;
using TorchLogistic.Objectives;
using TorchLogistic.Sparse;
using static TorchSharp.torch;

namespace TorchLogistic.Distributed;

/// <summary>
/// The objective of all rows when each rank holds a shard of them: the linear-model objective
/// <code>
/// F(θ) = (1/M) Σ_r Σ_{i∈r} sᵢ ℓᵢ(θ) + λ₂(M)·½‖W‖² + λ₁(M)‖W‖₁,   M = Σ_r m_r
/// </code>
/// from each rank's data term f_r = (1/m_r) Σ_{i∈r} sᵢℓᵢ (an objective built without a penalty on the rank's rows):
/// <c>f = Σ_r (m_r/M)·f_r + λ₂·½‖W‖²</c>, and the same for ∇f, ∇²f·v and ∇²f. Each evaluation is one allreduce
/// (value and gradient travel together, p + 1 doubles); the penalty is added after the sum, with the strengths of M
/// rows. The ranks' terms are added in rank order (<see cref="Collectives.SumInRankOrder"/>), so every rank sees the
/// same bits in every run — those of one process on all rows up to the order of summation — and a deterministic
/// solver takes the same steps on every rank, and the same steps again when the job is run again. The Lipschitz bound (power iteration with an allreduce
/// per product) and the curvature-bound preconditioner (A summed over the same evenly spaced rows one process would
/// take; on sparse binary rows the Jacobi diagonal, summed the same way) are those of the single-process objective too.
/// </summary>
public sealed class DistributedObjective : IPreconditionedObjective
{
    private readonly ICommunicator _communicator;
    private readonly IObjective _local;
    private readonly FeatureMatrix _x;
    private readonly Tensor? _s;
    private readonly RowShard _shard;
    private readonly Penalty _penalty;
    private readonly double _share;
    private readonly int _k;
    private readonly int _d;
    private readonly double[] _buffer;
    private double[]? _scratch;
    private double? _lipschitz;
    private CurvatureBoundPreconditioner? _bound;
    private double[]? _jacobi;
    private long _jacobiVersion = -1;

    /// <summary>Wraps a rank's data term.</summary>
    /// <param name="communicator">The ranks.</param>
    /// <param name="localDataTerm">f_r on this rank's rows, without a penalty (it owns no tensor of <paramref name="features"/>'s; disposed with this).</param>
    /// <param name="features">This rank's X, (m_r, d), dense (a tensor) or sparse (<see cref="SparseFeatureMatrix"/>) (for the Lipschitz bound and the preconditioner; not disposed here).</param>
    /// <param name="sampleWeight">This rank's sᵢ (class weights included), or null (not disposed here).</param>
    /// <param name="shard">This rank's rows among all.</param>
    /// <param name="outputCount">K.</param>
    /// <param name="penalty">The penalty and C, applied with the strengths of all M rows.</param>
    public DistributedObjective(ICommunicator communicator, IObjective localDataTerm, FeatureMatrix features, Tensor? sampleWeight, RowShard shard, int outputCount, Penalty penalty)
    {
        if (localDataTerm.L1Strength != 0 || localDataTerm.L2Strength != 0)
            throw new ArgumentException("The local data term must be built without a penalty; the distributed objective adds it for all rows.", nameof(localDataTerm));
        if (shard.Count != features.RowCount)
            throw new ArgumentException($"The shard has {shard.Count} rows but the features {features.RowCount}.", nameof(shard));
        _communicator = communicator;
        _local = localDataTerm;
        _x = features;
        _s = sampleWeight;
        _shard = shard;
        _penalty = penalty;
        _share = (double)shard.Count / shard.Total;
        _k = outputCount;
        _d = checked((int)features.ColumnCount);
        _buffer = new double[localDataTerm.ParameterCount + 1];
    }

    /// <summary>This rank's rows among all.</summary>
    public RowShard Shard => _shard;

    /// <inheritdoc />
    public int ParameterCount => _local.ParameterCount;

    /// <inheritdoc />
    public int PenalizedCount => _local.PenalizedCount;

    /// <inheritdoc />
    public double L1Strength => _penalty.L1Strength(_shard.Total);

    /// <inheritdoc />
    public double L2Strength => _penalty.L2Strength(_shard.Total);

    /// <inheritdoc />
    public bool IsHessianSupported => _local.IsHessianSupported;

    /// <inheritdoc />
    public IReadOnlyList<double[]> NullDirections => LinearModelGeometry.NullDirections(_k, _d, L2Strength);

    /// <inheritdoc />
    public double Value(double[] theta)
    {
        Span<double> value = stackalloc double[] { _share * _local.Value(theta) };
        _communicator.SumInRankOrder(value);
        return value[0] + 0.5 * L2Strength * SquaredWeights(theta);
    }

    /// <inheritdoc />
    public double ValueAndGradient(double[] theta, double[] gradient)
    {
        int p = ParameterCount;
        var local = _buffer.AsSpan(0, p);
        double value = _local.ValueAndGradient(theta, gradient);
        for (int j = 0; j < p; j++) _buffer[j] = _share * gradient[j];
        _buffer[p] = _share * value;
        Sum(_buffer);
        local.CopyTo(gradient);
        double l2 = L2Strength;
        if (l2 != 0)
        {
            for (int j = 0; j < PenalizedCount; j++) gradient[j] += l2 * theta[j];
        }
        return _buffer[p] + 0.5 * l2 * SquaredWeights(theta);
    }

    /// <inheritdoc />
    public void HessianVectorProduct(double[] theta, double[] v, double[] result)
    {
        _local.HessianVectorProduct(theta, v, result);
        for (int j = 0; j < result.Length; j++) result[j] *= _share;
        Sum(result);
        double l2 = L2Strength;
        if (l2 != 0)
        {
            for (int j = 0; j < PenalizedCount; j++) result[j] += l2 * v[j];
        }
    }

    /// <inheritdoc />
    public double[] Hessian(double[] theta)
    {
        var h = _local.Hessian(theta);
        for (int j = 0; j < h.Length; j++) h[j] *= _share;
        _communicator.SumInRankOrder(h);
        double l2 = L2Strength;
        int p = ParameterCount;
        if (l2 != 0)
        {
            for (int j = 0; j < PenalizedCount; j++) h[(long)j * p + j] += l2;
        }
        return h;
    }

    /// <summary>
    /// <see cref="LinearModelGeometry.LipschitzBound"/> of all rows: the same power iteration, each product
    /// X̃ᵀ S X̃ v / M summed over the ranks.
    /// </summary>
    public double LipschitzBound() => _lipschitz ??= ComputeLipschitz();

    /// <inheritdoc />
    public void Precondition(double[] v, double[] result)
    {
        if (_local is LinearModelObjective { IsJacobiPreconditioned: true } sparseBinary)
        {
            // As one process on sparse binary rows: Jacobi, the Hessian's diagonal at the last gradient's θ, summed over the ranks.
            // Refreshed after every gradient pass, as one process refreshes it (the diagonal may itself run a pass first).
            if (_jacobi is null || _jacobiVersion != sparseBinary.CurvatureVersion)
            {
                var diagonal = sparseBinary.DataCurvatureDiagonal();
                _jacobiVersion = sparseBinary.CurvatureVersion;
                for (int j = 0; j < diagonal.Length; j++) diagonal[j] *= _share;
                _communicator.SumInRankOrder(diagonal);
                _jacobi = LinearModelObjective.JacobiInverse(diagonal, _k * _d, L2Strength);
            }
            for (int i = 0; i < v.Length; i++) result[i] = v[i] * _jacobi[i];
            return;
        }
        (_bound ??= BuildPreconditioner()).Apply(v, result);
    }

    /// <summary>Disposes the local data term and the preconditioner.</summary>
    public void Dispose()
    {
        _local.Dispose();
        _bound?.Dispose();
    }

    /// <summary>Σ over ranks in rank order, reusing one scratch buffer (value and gradient, Hv: the per-iteration sums).</summary>
    private void Sum(double[] values)
    {
        _scratch ??= new double[(long)_communicator.Size * (ParameterCount + 1)];
        _communicator.SumInRankOrder(values, _scratch);
    }

    private double SquaredWeights(double[] theta)
    {
        double squared = 0;
        for (int j = 0; j < PenalizedCount; j++) squared += theta[j] * theta[j];
        return squared;
    }

    private double ComputeLipschitz()
    {
        using var scope = NewDisposeScope();
        long total = _shard.Total;
        var buffer = new double[_d + 1];
        double lambda = LinearModelGeometry.LargestEigenvalue(v =>
        {
            var xv = _x.Linear(v.narrow(0, 0, _d).unsqueeze(0), null).squeeze(1).Plus(v.narrow(0, _d, 1));
            var u = (_s is null ? xv : xv * _s).DividedBy(total);
            var local = cat(new[] { _x.TransposeMultiply(u.unsqueeze(1)).squeeze(0), u.sum().reshape(1) }).to_type(ScalarType.Float64).contiguous();
            local.data<double>().CopyTo(buffer);
            _communicator.SumInRankOrder(buffer);
            return tensor(buffer, ScalarType.Float64).to_type(v.dtype);
        }, _d + 1, _x.DType);
        double curvature = _k == 1 ? 0.25 : 0.5;
        return curvature * LinearModelGeometry.PowerIterationMargin * lambda + L2Strength;
    }

    private CurvatureBoundPreconditioner BuildPreconditioner()
    {
        using var scope = NewDisposeScope();
        long stride = CurvatureBoundPreconditioner.SampleStride(_shard.Total);
        // The rows one process would take: global indices 0, stride, 2·stride, … that fall in this shard.
        long first = (stride - _shard.Offset % stride) % stride;
        int p = _d + 1;
        var sums = new double[p * p + 1];
        if (first < _shard.Count)
        {
            using var start = Scalars.Of(first);
            using var stop = Scalars.Of(_shard.Count);
            using var step = Scalars.Of(stride);
            var rows = _x.SelectRows(arange(start, stop, step, dtype: ScalarType.Int64));
            var weights = _s?.slice(0, first, _shard.Count, stride);
            long n = rows.RowCount;
            rows.WeightedGram(weights?.to_type(rows.DType)).to_type(ScalarType.Float64).contiguous().data<double>().CopyTo(sums);
            sums[p * p] = n;
        }
        _communicator.SumInRankOrder(sums);
        var a = tensor(sums.AsSpan(0, p * p).ToArray(), new long[] { p, p }, ScalarType.Float64).DividedBy(sums[p * p]);
        return new CurvatureBoundPreconditioner(a, _k, L2Strength);
    }
}
