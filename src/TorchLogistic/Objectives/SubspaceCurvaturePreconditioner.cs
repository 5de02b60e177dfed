using TorchLogistic.Native;
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

    private readonly int _k, _d, _p, _r, _t, _kr, _n;
    private readonly double _beta, _l2, _floor, _meanFactor;
    private readonly double[] _uRows;      // (p × p) eigenvectors of A, row-major, ascending eigenvalues
    private readonly double[] _alpha;      // (p) eigenvalues of A, ascending
    private readonly double[] _factors;    // (t) 1/(γ β αⱼ + λ₂) on the tail, γ from the last refresh
    private readonly Tensor _values;       // (m, d) X (the objective's, not owned)
    private readonly Tensor _head;         // (p, r) U_r float64
    private readonly Tensor _rowNorms;     // (m) ‖x̃ᵢ‖² float64
    private readonly Tensor? _weights;     // (m) sᵢ float64, or null
    private readonly long _m;
    private double[]? _cholesky;           // (Kr × Kr) L of H_r = LLᵀ, row-major

    /// <summary>Builds U from features X (m, d) with curvature weights s (or null).</summary>
    /// <param name="x">X, (m, d), dense (a sparse matrix's (d+1)² eigendecomposition would not fit); held, not copied.</param>
    /// <param name="sampleWeight">sᵢ (curvature weight of each row relative to 1/m), or null for all ones.</param>
    /// <param name="outputCount">K (1 for binary logistic regression).</param>
    /// <param name="l2Strength">λ₂.</param>
    /// <param name="rank">r ≥ 1 (clamped to d + 1).</param>
    /// <param name="rows">|S| ≥ 1: rows drawn per refresh (all rows when there are fewer).</param>
    public SubspaceCurvaturePreconditioner(FeatureMatrix x, Tensor? sampleWeight, int outputCount, double l2Strength, int rank = DefaultRank, int rows = DefaultRows)
        : this(x, sampleWeight, outputCount, l2Strength, rank, rows, null)
    {
    }

    /// <summary>Builds U from features X (m, d) with curvature weights s (or null), or takes it from <paramref name="basis"/>.</summary>
    /// <param name="x">X, (m, d), dense; held, not copied.</param>
    /// <param name="sampleWeight">sᵢ, or null for all ones.</param>
    /// <param name="outputCount">K.</param>
    /// <param name="l2Strength">λ₂.</param>
    /// <param name="rank">r ≥ 1 (clamped to d + 1).</param>
    /// <param name="rows">|S| ≥ 1.</param>
    /// <param name="basis">A's eigendecomposition built earlier from the same rows and weights (<see cref="Basis"/> of another preconditioner, e.g. at another C), or null to build it.</param>
    internal SubspaceCurvaturePreconditioner(FeatureMatrix x, Tensor? sampleWeight, int outputCount, double l2Strength, int rank, int rows, SubspaceBasis? basis)
    {
        if (rank < 1) throw new ArgumentOutOfRangeException(nameof(rank), rank, "The subspace needs rank ≥ 1.");
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), rows, "The subsample needs at least one row.");
        if (outputCount < 1) throw new ArgumentOutOfRangeException(nameof(outputCount), outputCount, "K must be ≥ 1.");
        if (x is not DenseFeatureMatrix dense) throw new ArgumentException("The subspace preconditioner needs dense features (use newton-pcg on sparse ones).", nameof(x));
        RequestedRank = rank;
        RequestedRows = rows;
        _m = x.RowCount;
        _d = checked((int)x.ColumnCount);
        _p = _d + 1;
        _k = outputCount;
        _r = Math.Min(rank, _p);
        _t = _p - _r;
        _kr = _k * _r;
        _n = (int)Math.Min(rows, _m);
        _beta = _k == 1 ? 0.25 : 0.5;
        _l2 = l2Strength;
        _values = dense.Values;
        using var scope = NewDisposeScope();
        // A as the bound has it: at most MaxRows evenly spaced rows, product in the features' dtype, eigh in float64.
        long stride = CurvatureBoundPreconditioner.SampleStride(_m);
        var boundRows = x.EveryRow(stride);
        Tensor vectors;
        if (basis is not null && basis.Fits(_m, _p))
        {
            // Built before from the same rows: only θ and λ₂ differ.
            _alpha = basis.Eigenvalues;
            vectors = tensor(basis.Vectors, new long[] { _p, _p });
        }
        else
        {
            basis = null;
            var boundWeights = sampleWeight is null ? null : stride == 1 ? sampleWeight : sampleWeight.slice(0, 0, _m, stride);
            var a = boundRows.WeightedGram(boundWeights?.to_type(boundRows.DType)).to_type(ScalarType.Float64).DividedBy(boundRows.RowCount);
            a = a.Plus(a.t()).DividedBy(2);
            (var alpha, vectors) = linalg.eigh(a);
            _alpha = alpha.data<double>().ToArray();
        }
        _floor = l2Strength > 0 ? l2Strength : 1e-10 * Math.Max(_alpha[^1], double.Epsilon);
        _factors = new double[_t];
        SetTailScale(1);
        _meanFactor = l2Strength > 0 ? 1 / l2Strength : 0;
        var u = vectors.contiguous();
        _uRows = basis?.Vectors ?? u.data<double>().ToArray();
        Basis = basis ?? new SubspaceBasis(_m, _alpha, _uRows);
        _head = u.narrow(1, _t, _r).contiguous().DetachFromDisposeScope();
        _rowNorms = _values.to_type(ScalarType.Float64).Squared().sum(1).Plus(1).DetachFromDisposeScope();
        _weights = sampleWeight?.to_type(ScalarType.Float64).clone().DetachFromDisposeScope();
        double evaluation = 2.0 * _m * _p * _k;
        ConstructionPasses = ((basis is null ? (double)boundRows.RowCount * _p * _p + 4.0 * _p * _p * _p : 0) + (double)_m * _p) / evaluation;
        LogitPasses = 0.5;
        // S's coordinates on U_r and their tail parts; the head's two Gram products; its Cholesky factor.
        RefreshPasses = (2.0 * _n * _p * _r + (double)_n * _kr * _kr + (double)_n * _k * _r * _r + (double)_kr * _kr * _kr / 3) / evaluation;
    }

    /// <summary>A's eigendecomposition (rows only: reusable by a preconditioner of the same rows at another θ or C).</summary>
    internal SubspaceBasis Basis { get; }

    /// <summary>The rank asked for (before clamping to d + 1).</summary>
    public int RequestedRank { get; }

    /// <summary>The subsample's size asked for.</summary>
    public int RequestedRows { get; }

    /// <summary>Rank r of the subspace (d + 1 at most).</summary>
    public int Rank => _r;

    /// <summary>γ of the last refresh: the tail's bound is scaled by it (the subsample's curvature over the bound's on the tail).</summary>
    public double TailScale { get; private set; } = 1;

    /// <summary>Multiply-adds of building U (and the rows' norms), in evaluations (2·m·(d+1)·K multiply-adds each).</summary>
    public double ConstructionPasses { get; }

    /// <summary>Multiply-adds of all rows' logits (half an evaluation): part of a <see cref="Refresh"/> that is not given the probabilities.</summary>
    public double LogitPasses { get; }

    /// <summary>Multiply-adds of one <see cref="Refresh"/> besides the logits, in evaluations.</summary>
    public double RefreshPasses { get; }

    /// <summary>Whether <see cref="Refresh"/> has run.</summary>
    public bool IsBuilt => _cholesky is not null;

    private void SetTailScale(double gamma)
    {
        TailScale = gamma;
        for (int j = 0; j < _t; j++) _factors[j] = 1 / (gamma * _beta * Math.Max(_alpha[j], 0) + _floor);
    }

    /// <summary>
    /// Builds H_r at θ = [vec(W); b] (K·(d + 1) entries; zero intercepts for a model without them): with fewer than m
    /// rows asked for, the rows S are drawn by systematic sampling with probability qᵢ = ½ cᵢ/Σc + ½/m, cᵢ = sᵢ tr(diag pᵢ − pᵢpᵢᵀ)‖x̃ᵢ‖² (each row's
    /// curvature, so the few rows still uncertain late in training are the ones sampled), weighted by sᵢ/(m·|S|·qᵢ);
    /// otherwise every row once with weight sᵢ/m. The tail's bound is scaled by γ = Σ ω tr(Dᵢ)‖x̃ᵢ − U_r yᵢ‖² /
    /// (β·tr(I − 11ᵀ/K)·Σ ω‖x̃ᵢ − U_r yᵢ‖²) (K − 1 → 1 for K = 1), clamped to [1e-4, 1]: the sample's curvature over the
    /// bound's off the subspace, which late in training is a few per cent.
    /// </summary>
    /// <param name="theta">θ in θ layout.</param>
    /// <param name="probabilities">The model's probabilities at θ for all rows, (m, K) (σ for K = 1), when already known (e.g. kept by the last gradient pass); null computes them from X (<see cref="LogitPasses"/>).</param>
    public void Refresh(double[] theta, Tensor? probabilities = null)
    {
        if (theta.Length != _k * _p) throw new ArgumentException($"θ has {theta.Length} entries; the preconditioner expects K·(d + 1) = {_k * _p}.");
        using var scope = NewDisposeScope();
        var t = tensor(theta, ScalarType.Float64);
        var dtype = _values.dtype;
        var w = t.narrow(0, 0, (long)_k * _d).view(_k, _d);
        var b = t.narrow(0, (long)_k * _d, _k);
        Tensor q;
        if (probabilities is not null)
        {
            if (probabilities.shape.Length != 2 || probabilities.shape[0] != _m || probabilities.shape[1] != _k)
                throw new ArgumentException($"The probabilities have shape [{string.Join(", ", probabilities.shape)}]; expected [{_m}, {_k}].", nameof(probabilities));
            q = probabilities.to_type(ScalarType.Float64);
        }
        else
        {
            var z = nn.functional.linear(_values, w.to_type(dtype), b.to_type(dtype)).to_type(ScalarType.Float64);   // (m, K)
            q = _k == 1 ? z.select(1, 0).sigmoid().unsqueeze(1) : z.softmax(1);
        }
        var curvature = _k == 1 ? (q * q.SubtractedFrom(1)).select(1, 0) : q.Squared().sum(1).SubtractedFrom(1);
        var s = _weights ?? ones(_m, dtype: ScalarType.Float64);
        Tensor index, omega;
        if (_n >= _m)
        {
            // Every row once, weight sᵢ/m: H_r is the Hessian's compression itself.
            using var count = Scalars.Of(_m);
            index = arange(Scalars.Zero, count, Scalars.One, dtype: ScalarType.Int64);
            omega = s.DividedBy(_m);
        }
        else
        {
            var c = curvature * s * _rowNorms;
            double total = c.sum().item<double>();
            var probability = total > 0 ? c.Times(0.5 / total).Plus(0.5 / _m) : ones(_m, dtype: ScalarType.Float64).DividedBy(_m);
            var cumulative = probability.cumsum(0);
            using var draws = Scalars.Of(_n);
            using var last = Scalars.Of(_m - 1);
            var positions = arange(Scalars.Zero, draws, Scalars.One, dtype: ScalarType.Float64).Plus(0.5).Times(cumulative[-1].item<double>() / _n);
            index = searchsorted(cumulative, positions).clamp_max(last);
            omega = s.index_select(0, index) / probability.index_select(0, index).Times((double)_m * _n);   // (n)
        }
        var rows = cat(new[] { _values.index_select(0, index).to_type(ScalarType.Float64), ones(_n, 1, dtype: ScalarType.Float64) }, 1);
        var y = rows.matmul(_head);                                            // (n, r)
        var p = q.index_select(0, index);                                      // (n, K)
        Tensor head;
        if (_k == 1)
        {
            head = y.t().matmul(y * (p.select(1, 0) * p.select(1, 0).SubtractedFrom(1) * omega).unsqueeze(1));
        }
        else
        {
            // Σ ω diag(p) ⊗ yyᵀ − Σ ω (p ⊗ y)(p ⊗ y)ᵀ, coordinates (class c, component j) at c·r + j; the two Gram
            // products in the features' dtype (float32 data: a float32 GEMM, as the bound's), the factorisation in float64.
            var g = (p.unsqueeze(2) * y.unsqueeze(1) * omega.sqrt().view(-1, 1, 1)).reshape(_n, _kr).to_type(dtype);
            var outer = g.t().matmul(g).to_type(ScalarType.Float64);
            var scaled = ((p * omega.unsqueeze(1)).sqrt().t().unsqueeze(2) * y.unsqueeze(0)).to_type(dtype);   // (K, n, r)
            var blocks = scaled.transpose(1, 2).bmm(scaled).to_type(ScalarType.Float64);                                   // (K, r, r)
            head = outer.neg();
            for (int k = 0; k < _k; k++) head.narrow(0, k * _r, _r).narrow(1, k * _r, _r).PlusInPlace(blocks[k]);
        }
        // γ: the sample's curvature over the bound's on the tail (the part of each row off U_r).
        if (_t > 0)
        {
            var tail = (rows - y.matmul(_head.t())).Squared().sum(1) * omega;
            double bound = _beta * (_k == 1 ? 1 : _k - 1) * tail.sum().item<double>();
            double actual = (tail * (_k == 1 ? p.select(1, 0) * p.select(1, 0).SubtractedFrom(1) : p.Squared().sum(1).SubtractedFrom(1))).sum().item<double>();
            SetTailScale(bound > 0 ? Math.Clamp(actual / bound, 1e-4, 1) : 1);
        }
        head = head.Plus(head.t()).DividedBy(2);
        double shift = Math.Max(_l2, 1e-10 * head.diagonal().max().item<double>());
        head = head.Plus(eye(_kr, dtype: ScalarType.Float64).Times(shift));
        _cholesky = linalg.cholesky(head).contiguous().data<double>().ToArray();
    }

    /// <summary>result = M⁻¹ v for v in θ layout [vec(W); b] with K·(d + 1) entries.</summary>
    public void Apply(double[] v, double[] result)
    {
        if (_cholesky is null) throw new InvalidOperationException("Refresh the preconditioner at θ before applying it.");
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
                if (a != 0) SpanMath.Axpy(a, row, t.AsSpan(c * p, p));
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
        // L y = h, then Lᵀ x = y (in place).
        var lower = _cholesky!;
        for (int a = 0; a < kr; a++) h[a] = (h[a] - SpanMath.Dot(lower.AsSpan(a * kr, a), h.AsSpan(0, a))) / lower[a * kr + a];
        for (int a = kr - 1; a >= 0; a--)
        {
            h[a] /= lower[a * kr + a];
            if (h[a] != 0) SpanMath.Axpy(-h[a], lower.AsSpan(a * kr, a), h.AsSpan(0, a));
        }
        for (int a = 0; a < kr; a++) t[a / _r * p + _t + a % _r] = h[a];
        // back = T Uᵀ, written in θ layout.
        for (int i = 0; i < p; i++)
        {
            var row = u.AsSpan(i * p, p);
            for (int c = 0; c < k; c++)
            {
                double value = SpanMath.Dot(t.AsSpan(c * p, p), row);
                if (i < d) result[c * d + i] = value;
                else result[k * d + c] = value;
            }
        }
    }

    /// <summary>Frees the preconditioner's tensors (not the features).</summary>
    public void Dispose()
    {
        _head.Dispose();
        _rowNorms.Dispose();
        _weights?.Dispose();
    }
}
