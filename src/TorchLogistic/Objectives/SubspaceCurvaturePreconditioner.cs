using System.Numerics;
using System.Runtime.InteropServices;
using TorchLogistic.Sparse;
using static TorchSharp.torch;

namespace TorchLogistic.Objectives;

/// <summary>
/// A preconditioner for truncated Newton that is the Hessian itself on the features' leading principal subspace and
/// Böhning's curvature bound on the rest (<c>newton-subspace</c>):
/// <code>
/// A = X̃ᵀ diag(s) X̃ / n = U diag(α) Uᵀ,   U = [U_t, U_r] (U_r: the r largest α),   E = I_K ⊗ U_r
/// M⁻¹ = E H_r⁻¹ Eᵀ + (B ⊗ A + λ₂ I)⁻¹ (I − E Eᵀ),   H_r = Eᵀ ∇²F(θ) E  on a subsample S of rows
/// H_r = (1/|S|) Σ_{i∈S} sᵢ (diag pᵢ − pᵢpᵢᵀ) ⊗ yᵢyᵢᵀ + λ₂ I,   yᵢ = U_rᵀ x̃ᵢ
/// </code>
/// Why: Böhning's bound B ⊗ A (<see cref="CurvatureBoundPreconditioner"/>, B = ½(I − 11ᵀ/K)) charges every row the
/// curvature of a row the model is unsure about. Late in training most rows are fitted, so along the directions where
/// the data vary most (α large, ½α ≫ λ₂) the bound overstates the curvature by orders of magnitude, and conjugate
/// gradients need about a hundred products per Newton step. Along the small-variance directions ½α is close to λ₂
/// and the bound is nearly exact whatever the predictions. So the directions the bound gets wrong are few (the top r
/// principal components, each coupled over the K classes), and on them M is the Hessian at θ — cross-class terms
/// included, unlike a block per class — estimated on the rows S. Because U_r spans an invariant subspace of the bound,
/// M⁻¹ is the bound's inverse with its E-block replaced: symmetric positive definite.
/// <para>
/// Cost: building U (once) is the bound's Gram of at most <see cref="CurvatureBoundPreconditioner.MaxRows"/> rows and one
/// (d+1)² eigendecomposition, plus yᵢ for the rows S; <see cref="Refresh"/> (once per Newton step) is S's logits, the
/// Gram of the (|S|, K·r) matrix [sᵢ^½ pᵢ꜀ yᵢ] and a Cholesky factorisation of K·r; applying M⁻¹ is the bound's two
/// (K, d+1)·(d+1, d+1) products plus one (K·r)² product. <see cref="ConstructionPasses"/> and <see cref="RefreshPasses"/>
/// state these multiply-adds in units of one value-and-gradient evaluation (2·m·(d+1)·K), so a benchmark can count
/// them as passes. λ₂ is applied to the intercepts too (a preconditioner need only be positive definite).
/// </para>
/// </summary>
public sealed class SubspaceCurvaturePreconditioner : IDisposable
{
    /// <summary>Rank r of the subspace by default (clamped to d + 1).</summary>
    public const int DefaultRank = 100;

    /// <summary>Rows of the subsample S by default (evenly spaced; all rows when there are fewer).</summary>
    public const int DefaultRows = 4096;

    private readonly int _k, _d, _p, _r, _t, _kr;
    private readonly double _beta, _l2, _meanFactor;
    private readonly double[] _uRows;      // (p × p) eigenvectors of A, row-major, ascending eigenvalues
    private readonly double[] _factors;    // (t) 1/(β αⱼ + λ₂) on the tail
    private readonly Tensor _sample;       // (n, p) X̃_S float64
    private readonly Tensor _projected;    // (n, r) Y = X̃_S U_r float64
    private readonly Tensor? _weights;     // (n) sᵢ, or null
    private readonly long _m, _n;
    private double[]? _headInverse;        // (Kr × Kr) H_r⁻¹ row-major

    /// <summary>Builds U from features X (m, d) with curvature weights s (or null), and picks the rows S.</summary>
    /// <param name="x">X, (m, d), dense (a sparse matrix's (d+1)² eigendecomposition would not fit).</param>
    /// <param name="sampleWeight">sᵢ (curvature weight of each row relative to 1/m), or null for all ones.</param>
    /// <param name="outputCount">K (1 for binary logistic regression).</param>
    /// <param name="l2Strength">λ₂.</param>
    /// <param name="rank">r ≥ 1 (clamped to d + 1).</param>
    /// <param name="rows">|S| ≥ 1 at most (every ⌈m/rows⌉-th row).</param>
    public SubspaceCurvaturePreconditioner(FeatureMatrix x, Tensor? sampleWeight, int outputCount, double l2Strength, int rank = DefaultRank, int rows = DefaultRows)
    {
        if (rank < 1) throw new ArgumentOutOfRangeException(nameof(rank), rank, "The subspace needs rank ≥ 1.");
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), rows, "The subsample needs at least one row.");
        if (outputCount < 1) throw new ArgumentOutOfRangeException(nameof(outputCount), outputCount, "K must be ≥ 1.");
        if (x is not DenseFeatureMatrix) throw new ArgumentException("The subspace preconditioner needs dense features (use newton-pcg on sparse ones).", nameof(x));
        RequestedRank = rank;
        RequestedRows = rows;
        _m = x.RowCount;
        _d = checked((int)x.ColumnCount);
        _p = _d + 1;
        _k = outputCount;
        _r = Math.Min(rank, _p);
        _t = _p - _r;
        _kr = _k * _r;
        _beta = _k == 1 ? 0.25 : 0.5;
        _l2 = l2Strength;
        using var scope = NewDisposeScope();
        // A as the bound has it: at most MaxRows evenly spaced rows, product in the features' dtype, eigh in float64.
        long stride = CurvatureBoundPreconditioner.SampleStride(_m);
        var boundRows = x.EveryRow(stride);
        var boundWeights = sampleWeight is null ? null : stride == 1 ? sampleWeight : sampleWeight.slice(0, 0, _m, stride);
        var a = boundRows.WeightedGram(boundWeights?.to_type(boundRows.DType)).to_type(ScalarType.Float64) / boundRows.RowCount;
        a = (a + a.t()) / 2;
        var (alpha, vectors) = linalg.eigh(a);
        var values = alpha.data<double>().ToArray();
        double floor = l2Strength > 0 ? l2Strength : 1e-10 * Math.Max(values[^1], double.Epsilon);
        _factors = values.Take(_t).Select(v => 1 / (_beta * Math.Max(v, 0) + floor)).ToArray();
        _meanFactor = l2Strength > 0 ? 1 / l2Strength : 0;
        var u = vectors.contiguous();
        _uRows = u.data<double>().ToArray();
        // The rows S and their coordinates on U_r.
        long sampleStride = (_m + rows - 1) / rows;
        var picked = x.EveryRow(sampleStride);
        _n = picked.RowCount;
        var dense = ((DenseFeatureMatrix)picked).Values.to_type(ScalarType.Float64);
        _sample = cat(new[] { dense, ones(_n, 1, dtype: ScalarType.Float64) }, 1).contiguous().DetachFromDisposeScope();
        _projected = _sample.matmul(u.narrow(1, _t, _r)).contiguous().DetachFromDisposeScope();
        _weights = sampleWeight is null ? null : (sampleStride == 1 ? sampleWeight : sampleWeight.slice(0, 0, _m, sampleStride)).to_type(ScalarType.Float64).clone().DetachFromDisposeScope();
        double evaluation = 2.0 * _m * _p * _k;
        ConstructionPasses = ((double)boundRows.RowCount * _p * _p + 4.0 * _p * _p * _p + (double)_n * _p * _r) / evaluation;
        RefreshPasses = ((double)_n * _p * _k + (double)_n * _kr * _kr + (double)_kr * _kr * _kr / 3 * 2) / evaluation;
    }

    /// <summary>The rank asked for (before clamping to d + 1).</summary>
    public int RequestedRank { get; }

    /// <summary>The subsample's size asked for (at most this many rows are used).</summary>
    public int RequestedRows { get; }

    /// <summary>Rank r of the subspace (d + 1 at most).</summary>
    public int Rank => _r;

    /// <summary>Rows |S| of the subsample.</summary>
    public long SampleRows => _n;

    /// <summary>Multiply-adds of building U and Y, in evaluations (2·m·(d+1)·K multiply-adds each).</summary>
    public double ConstructionPasses { get; }

    /// <summary>Multiply-adds of one <see cref="Refresh"/>, in evaluations.</summary>
    public double RefreshPasses { get; }

    /// <summary>Whether <see cref="Refresh"/> has run.</summary>
    public bool IsBuilt => _headInverse is not null;

    /// <summary>Builds H_r at θ = [vec(W); b] (K·(d + 1) entries; zero intercepts for a model without them).</summary>
    public void Refresh(double[] theta)
    {
        if (theta.Length != _k * _p) throw new ArgumentException($"θ has {theta.Length} entries; the preconditioner expects K·(d + 1) = {_k * _p}.");
        var clock = System.Diagnostics.Stopwatch.StartNew(); // EXPERIMENT
        using var scope = NewDisposeScope();
        var t = tensor(theta, ScalarType.Float64);
        var w = cat(new[] { t.narrow(0, 0, (long)_k * _d).view(_k, _d), t.narrow(0, (long)_k * _d, _k).view(_k, 1) }, 1);
        var z = _sample.matmul(w.t());                     // (n, K)
        var s = _weights ?? ones(_n, dtype: ScalarType.Float64);
        Tensor head;
        if (_k == 1)
        {
            var q = z.select(1, 0).sigmoid();
            var h = q * (1 - q) * s;
            head = _projected.t().matmul(_projected * h.unsqueeze(1)) / _n;
        }
        else
        {
            var q = z.softmax(1);                            // (n, K)
            // Σᵢ sᵢ diag(pᵢ) ⊗ yᵢyᵢᵀ − Σᵢ sᵢ (pᵢ ⊗ yᵢ)(pᵢ ⊗ yᵢ)ᵀ, coordinates (class c, component j) at c·r + j.
            var g = (q.unsqueeze(2) * _projected.unsqueeze(1) * s.sqrt().view(-1, 1, 1)).reshape(_n, _kr).to_type(ScalarType.Float32);
            var outer = g.t().matmul(g).to_type(ScalarType.Float64);
            var diagonal = zeros(_kr, _kr, dtype: ScalarType.Float64);
            for (int c = 0; c < _k; c++)
            {
                var block = _projected.t().matmul(_projected * (q.select(1, c) * s).unsqueeze(1));
                diagonal.narrow(0, c * _r, _r).narrow(1, c * _r, _r).copy_(block);
            }
            head = (diagonal - outer) / _n;
        }
        double tGram = clock.Elapsed.TotalMilliseconds;
        head = (head + head.t()) / 2;
        double shift = Math.Max(_l2, 1e-10 * head.diagonal().max().item<double>());
        head = head + eye(_kr, dtype: ScalarType.Float64) * shift;
        var factor = linalg.cholesky(head);
        _headInverse = cholesky_inverse(factor).contiguous().data<double>().ToArray();
        if (Environment.GetEnvironmentVariable("TL_DEBUG") is not null) Console.Error.WriteLine($"refresh: gram {tGram:F0} ms, total {clock.Elapsed.TotalMilliseconds:F0} ms");
    }

    /// <summary>result = M⁻¹ v for v in θ layout [vec(W); b] with K·(d + 1) entries.</summary>
    public void Apply(double[] v, double[] result)
    {
        if (_headInverse is null) throw new InvalidOperationException("Refresh the preconditioner at θ before applying it.");
        int k = _k, d = _d, p = _p;
        if (v.Length != k * p || result.Length != k * p)
            throw new ArgumentException($"The preconditioner works on vectors of K·(d + 1) = {k * p} entries; got {v.Length} and {result.Length}.");
        var u = _uRows;
        // T = V U: rows of V in X̃ coordinates, V[c] = [W_c, b_c].
        var t = new double[k * p];
        for (int i = 0; i < p; i++)
        {
            var row = u.AsSpan(i * p, p);
            for (int c = 0; c < k; c++)
            {
                double a = i < d ? v[c * d + i] : v[k * d + c];
                if (a != 0) Axpy(a, row, t.AsSpan(c * p, p));
            }
        }
        // Tail: the bound's inverse (class-centred factor, the class mean 1/λ₂).
        for (int l = 0; l < _t; l++)
        {
            double mean = 0;
            if (k > 1)
            {
                for (int c = 0; c < k; c++) mean += t[c * p + l];
                mean /= k;
            }
            for (int c = 0; c < k; c++) t[c * p + l] = (t[c * p + l] - mean) * _factors[l] + mean * _meanFactor;
        }
        // Head: H_r⁻¹ on the (class, component) coordinates.
        int kr = _kr;
        var h = new double[kr];
        for (int c = 0; c < k; c++)
        {
            for (int j = 0; j < _r; j++) h[c * _r + j] = t[c * p + _t + j];
        }
        for (int a = 0; a < kr; a++)
        {
            double value = Dot(_headInverse.AsSpan(a * kr, kr), h);
            t[a / _r * p + _t + a % _r] = value;
        }
        // back = T Uᵀ, written in θ layout.
        for (int i = 0; i < p; i++)
        {
            var row = u.AsSpan(i * p, p);
            for (int c = 0; c < k; c++)
            {
                double value = Dot(t.AsSpan(c * p, p), row);
                if (i < d) result[c * d + i] = value;
                else result[k * d + c] = value;
            }
        }
    }

    /// <summary>Frees the subsample's tensors.</summary>
    public void Dispose()
    {
        _sample.Dispose();
        _projected.Dispose();
        _weights?.Dispose();
    }

    private static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
        var vy = MemoryMarshal.Cast<double, Vector<double>>(y);
        var va = new Vector<double>(a);
        for (int i = 0; i < vx.Length; i++) vy[i] += va * vx[i];
        for (int i = vx.Length * Vector<double>.Count; i < x.Length; i++) y[i] += a * x[i];
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var va = MemoryMarshal.Cast<double, Vector<double>>(a);
        var vb = MemoryMarshal.Cast<double, Vector<double>>(b);
        var lanes = Vector<double>.Zero;
        for (int i = 0; i < va.Length; i++) lanes += va[i] * vb[i];
        double sum = Vector.Sum(lanes);
        for (int i = va.Length * Vector<double>.Count; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
