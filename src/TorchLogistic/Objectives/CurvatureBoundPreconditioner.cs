using TorchLogistic.Native;
using TorchLogistic.Sparse;
using static TorchSharp.torch;

namespace TorchLogistic.Objectives;

/// <summary>
/// The inverse of a fixed upper bound on the objective's Hessian (Böhning's bound), used as the starting inverse
/// Hessian of a quasi-Newton method:
/// <code>
/// M = B ⊗ A + λ₂ I,   A = X̃ᵀ diag(s) X̃ / m,   X̃ = [X, 1],   B = ¼ (K = 1) or ½ (I − 11ᵀ/K) (K ≥ 2)
/// </code>
/// For every θ the Hessian of the data term is at most B ⊗ A (σ′ ≤ ¼; the softmax covariance is at most
/// ½(I − 11ᵀ/K)). M captures what makes raw features ill-conditioned — different scales, means far from zero,
/// correlated columns — so L-BFGS only has to learn the part of the curvature that depends on the predictions.
/// Applying M⁻¹ costs two (K × (d+1)) by ((d+1) × (d+1)) products through the eigendecomposition A = U diag(α) Uᵀ:
/// on class-centred rows (K ≥ 2) the factor is 1/(½αⱼ + λ₂), along the class-sum direction (where the data term
/// is flat) 1/λ₂, or 0 without an L2 term. λ₂ is applied to the intercepts too (a preconditioner need only be
/// positive definite, not exact; measured on raw features, this converges where the exact, unpenalised entry
/// stalls) while λ₂ ≤ <see cref="InterceptL2Cap"/>·βA_bb. Beyond, λ₂ dwarfs the data's curvature: with C = 1e-300
/// (λ₂ ≈ 1e297) it froze the intercepts at 0 (objective log 2, where Newton finds 0.66086 on breast cancer), so
/// there the intercepts get their exact curvature βA_bb and M⁻¹ is applied block-wise: the weights' block through
/// A_ww = U diag(α) Uᵀ, the intercept through its Schur complement βA_bb − qᵀP⁻¹q (q = βA_wb, P = βA_ww + λ₂I),
/// which loses no precision however far apart the two scales are. A is estimated from at most
/// <see cref="MaxRows"/> evenly spaced rows.
/// </summary>
public sealed class CurvatureBoundPreconditioner : IDisposable
{
    /// <summary>Rows used to estimate A: beyond this the estimate barely changes and its cost (m·d² multiply-adds) would.</summary>
    public const int MaxRows = 16384;

    /// <summary>Largest λ₂ applied to the intercepts, as a multiple of their own curvature βA_bb; beyond it, none (block solve).</summary>
    public const double InterceptL2Cap = 100;

    private readonly Tensor _u;          // (p, p) eigenvectors of A, p = d + 1; in the block solve (d, d) of A_ww
    private readonly Tensor _inverse;    // (p) 1/(β αⱼ + λ₂) on class-centred rows; in the block solve (d)
    private readonly Tensor? _q;         // block solve: (d) β·A_wb, the weights–intercept coupling
    private readonly Tensor? _pq;        // block solve: (d) P⁻¹q
    private readonly double _schur;      // block solve: β·A_bb − qᵀP⁻¹q
    private readonly double _meanFactor;
    private readonly int _k, _d, _p;
    private readonly double[]? _uRows;    // _u row-major (p × p), for the managed apply (not the block solve)
    private readonly double[]? _factors;  // _inverse
    private readonly double[]? _work;     // (K × p) scratch of the managed apply

    /// <summary>Builds M for features X (m, d), sample weights s (or null), K outputs and L2 strength λ₂ = (1 − ρ)/(C·m).</summary>
    public CurvatureBoundPreconditioner(FeatureMatrix x, Tensor? sampleWeight, int outputCount, double l2Strength)
        : this(Curvature(x, sampleWeight), outputCount, l2Strength, owned: true)
    {
    }

    /// <summary>
    /// Builds M from A = X̃ᵀ diag(s) X̃ / n computed elsewhere (e.g. summed over the shards of a distributed run from
    /// the rows <see cref="SampleStride"/> picks), K outputs and L2 strength λ₂.
    /// </summary>
    /// <param name="curvature">A, float64, shape (d + 1, d + 1).</param>
    /// <param name="outputCount">K.</param>
    /// <param name="l2Strength">λ₂.</param>
    public CurvatureBoundPreconditioner(Tensor curvature, int outputCount, double l2Strength)
        : this(curvature, outputCount, l2Strength, owned: false)
    {
    }

    /// <summary>The stride of the evenly spaced rows A is estimated from: every row up to <see cref="MaxRows"/>, else every ⌈m/MaxRows⌉-th.</summary>
    public static long SampleStride(long m) => (m + MaxRows - 1) / MaxRows;

    /// <summary>A = X̃ᵀ diag(s) X̃ / n over the sampled rows.</summary>
    private static Tensor Curvature(FeatureMatrix x, Tensor? sampleWeight)
    {
        using var scope = NewDisposeScope();
        long m = x.RowCount;
        long stride = SampleStride(m);
        var rows = x.EveryRow(stride);
        var weights = sampleWeight is null ? null : stride == 1 ? sampleWeight : sampleWeight.slice(0, 0, m, stride);
        long n = rows.RowCount;
        // The product in the features' dtype (float32 data: a float32 GEMM, several times faster; a preconditioner
        // need not be exact), the eigendecomposition in float64.
        return rows.WeightedGram(weights?.to_type(rows.DType)).to_type(ScalarType.Float64).DividedBy(n).DetachFromDisposeScope();
    }

    private CurvatureBoundPreconditioner(Tensor curvature, int outputCount, double l2Strength, bool owned)
    {
        _p = checked((int)curvature.shape[0]);
        _d = _p - 1;
        _k = outputCount;
        using var scope = NewDisposeScope();
        var a = curvature.Plus(curvature.t()).DividedBy(2);
        if (owned) curvature.Dispose();
        double beta = _k == 1 ? 0.25 : 0.5;
        _meanFactor = l2Strength > 0 ? 1 / l2Strength : 0;
        double r = beta * a[_d, _d].item<double>();
        if (l2Strength > InterceptL2Cap * r)
        {
            var (alphaW, vectorsW) = linalg.eigh(a.narrow(0, 0, _d).narrow(1, 0, _d).contiguous());
            var factors = tensor(alphaW.data<double>().ToArray().Select(v => 1 / (beta * Math.Max(v, 0) + l2Strength)).ToArray());
            var coupling = a.narrow(0, 0, _d).select(1, _d).Times(beta);
            var pinvq = vectorsW.matmul(factors * vectorsW.t().matmul(coupling));
            // A_bb is the mean weight (> 0); the floor keeps the intercept's factor finite when a column is constant.
            _schur = Math.Max(r - coupling.dot(pinvq).item<double>(), 1e-10 * Math.Max(r, double.Epsilon));
            _u = vectorsW.contiguous().DetachFromDisposeScope();
            _inverse = factors.DetachFromDisposeScope();
            _q = coupling.contiguous().DetachFromDisposeScope();
            _pq = pinvq.contiguous().DetachFromDisposeScope();
            return;
        }
        var (alpha, vectors) = linalg.eigh(a);
        _u = vectors.contiguous().DetachFromDisposeScope();
        var values = alpha.data<double>().ToArray();
        // Without an L2 term, directions A cannot see (collinear columns) get a floor instead of an infinite factor.
        double floor = l2Strength > 0 ? l2Strength : 1e-10 * Math.Max(values[^1], double.Epsilon);
        _factors = values.Select(v => 1 / (beta * Math.Max(v, 0) + floor)).ToArray();
        _inverse = tensor(_factors).DetachFromDisposeScope();
        _uRows = _u.data<double>().ToArray();
        _work = new double[_k * _p];
    }

    /// <summary>result = M⁻¹ v, for v in θ layout [vec(W); b] with K·(d + 1) entries.</summary>
    public void Apply(double[] v, double[] result)
    {
        if (v.Length != _k * _p || result.Length != _k * _p)
            throw new ArgumentException($"The preconditioner works on vectors of K·(d + 1) = {_k * _p} entries; got {v.Length} and {result.Length}.");
        if (_uRows is not null)
        {
            ApplyManaged(v, result);
            return;
        }
        using var scope = NewDisposeScope();
        var theta = tensor(v);
        // Rows of V in X̃ coordinates: V[c] = [W_c, b_c].
        var rows = cat(new[] { theta.narrow(0, 0, (long)_k * _d).view(_k, _d), theta.narrow(0, (long)_k * _d, _k).view(_k, 1) }, 1);
        var mean = _k > 1 ? rows.mean(new long[] { 0 }, keepdim: true) : zeros(1, _p, dtype: ScalarType.Float64);
        var centred = rows - mean;
        Tensor back;
        if (_q is null || _pq is null)
        {
            back = centred.matmul(_u).mul_(_inverse).matmul(_u.t()).PlusInPlace(mean.Times(_meanFactor));
        }
        else
        {
            // [P q; qᵀ r] [x_w; x_b] = [v_w; v_b]: x_b = (v_b − qᵀP⁻¹v_w)/s, x_w = P⁻¹v_w − x_b P⁻¹q.
            var pinvw = centred.narrow(1, 0, _d).matmul(_u).mul_(_inverse).matmul(_u.t());
            var xb = (centred.select(1, _d) - pinvw.matmul(_q)).DividedBy(_schur);
            back = cat(new[] { pinvw - xb.unsqueeze(1) * _pq.unsqueeze(0), xb.unsqueeze(1) }, 1).PlusInPlace(mean.Times(_meanFactor));
        }
        var flat = cat(new[] { back.narrow(1, 0, _d).flatten(), back.select(1, _d) }).contiguous();
        flat.data<double>().CopyTo(result);
    }

    /// <summary>
    /// The same M⁻¹v as the tensor path without the block solve, in managed code: U is read twice, row by row, with
    /// all K rows of V updated per row of U (vectorised axpy and dot products), and no libtorch call — so no
    /// libtorch thread pool wakes between the solver's passes over the data.
    /// </summary>
    private void ApplyManaged(double[] v, double[] result)
    {
        int k = _k, d = _d, p = _p;
        var u = _uRows!;
        var factors = _factors!;
        var t = _work!;
        // Rows of V in X̃ coordinates, centred over classes: centred[c] = [W_c, b_c] − mean.
        var centred = new double[k * p];
        var mean = new double[p];
        for (int c = 0; c < k; c++)
        {
            for (int j = 0; j < d; j++) centred[c * p + j] = v[c * d + j];
            centred[c * p + d] = v[k * d + c];
        }
        if (k > 1)
        {
            for (int c = 0; c < k; c++)
            {
                for (int j = 0; j < p; j++) mean[j] += centred[c * p + j];
            }
            for (int j = 0; j < p; j++) mean[j] /= k;
            for (int c = 0; c < k; c++)
            {
                for (int j = 0; j < p; j++) centred[c * p + j] -= mean[j];
            }
        }
        // T = centred · U, then T ∘ factors.
        Array.Clear(t);
        for (int i = 0; i < p; i++)
        {
            var row = u.AsSpan(i * p, p);
            for (int c = 0; c < k; c++)
            {
                double a = centred[c * p + i];
                if (a != 0) SpanMath.Axpy(a, row, t.AsSpan(c * p, p));
            }
        }
        for (int c = 0; c < k; c++)
        {
            for (int j = 0; j < p; j++) t[c * p + j] *= factors[j];
        }
        // back = T · Uᵀ + mean · meanFactor, written in θ layout.
        for (int i = 0; i < p; i++)
        {
            var row = u.AsSpan(i * p, p);
            for (int c = 0; c < k; c++)
            {
                double value = SpanMath.Dot(t.AsSpan(c * p, p), row) + mean[i] * _meanFactor;
                if (i < d) result[c * d + i] = value;
                else result[k * d + c] = value;
            }
        }
    }



    /// <summary>Frees the eigenvectors.</summary>
    public void Dispose()
    {
        _u.Dispose();
        _inverse.Dispose();
        _q?.Dispose();
        _pq?.Dispose();
    }
}
