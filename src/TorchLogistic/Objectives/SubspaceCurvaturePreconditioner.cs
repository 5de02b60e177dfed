using System.Runtime.InteropServices;
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
/// Cost: building U (once) is the Gram of at most <see cref="BasisRows"/> evenly spaced rows, one
/// (d+1)² eigendecomposition (on one libtorch thread, see <see cref="LibtorchThreads"/>) and the rows' norms (one managed
/// sweep over X). A rebuild of H_r is Y = X̃_S U_r (one (|S|, d)·(d, r) product), then for each class c one product
/// Yᵀ·[ω(δ_cc' p_c − p_c p_c') ∘ Y]_{c' ≥ c} — the K(K+1)/2 blocks of H_r on or above its diagonal as K large GEMMs,
/// |S|·r²·K(K+1)/2 multiply-adds at most, half of the Gram of the (|S|, K·r) matrix [ω^½ p꜀ yᵢ] it replaces; class c's
/// product runs only over the sampled rows where c is active (<see cref="ActiveShare"/>: late in training a row is unsure
/// of two or three classes, and the rest of Dᵢ is negligible) — and a Cholesky
/// factorisation of K·r; the sampling, the weights and the assembly are managed loops over arrays allocated once. The
/// sampled rows are split into as many contiguous parts as libtorch has threads, each part's products on its own managed
/// thread with one libtorch thread, and the parts' blocks summed. At uniform probabilities (θ = 0, a fit's first step)
/// the build is a closed form with no products: there every Dᵢ is (1/K)(I − 11ᵀ/K), so ∇²F is the bound scaled by 2/K.
/// <see cref="Refresh"/> (once per Newton step) rebuilds only when the rows' curvature has moved since the last build:
/// Σ sᵢ|tr Dᵢ − tr Dᵢ⁰| ≥ <see cref="DefaultRebuildChange"/>·Σ sᵢ tr Dᵢ⁰ (Dᵢ = diag pᵢ − pᵢpᵢᵀ now, Dᵢ⁰ at the last
/// build); late in training the probabilities barely move and the last factor serves several steps. Applying M⁻¹ is
/// the bound's two (K, d+1)·(d+1, d+1) products plus two triangular solves of K·r. <see cref="ConstructionPasses"/>
/// and <see cref="RefreshPasses"/> state these multiply-adds in units of one value-and-gradient evaluation
/// (2·m·(d+1)·K), so a benchmark can count them as passes. λ₂ is applied to the intercepts too (a preconditioner need
/// only be positive definite).
/// </para>
/// </summary>
public sealed class SubspaceCurvaturePreconditioner : IDisposable
{
    /// <summary>Rank r of the subspace by default (clamped to d + 1).</summary>
    public const int DefaultRank = 100;

    /// <summary>
    /// Rows A's eigendecomposition is estimated from at most (evenly spaced, as the bound's
    /// <see cref="CurvatureBoundPreconditioner.MaxRows"/>): the leading components and the tail's spectrum need far fewer
    /// rows than d² to be a good preconditioner. Fashion-MNIST (60 000 rows): 15 000 rows → 4 000 cut the Gram's
    /// multiply-adds by ~7 evaluations; the Hessian-vector products stayed within the ±10 of 120 that any small
    /// perturbation of M moves them by (measured).
    /// </summary>
    internal const int BasisRows = 4096;

    /// <summary>Rows of the subsample S by default (evenly spaced; all rows when there are fewer).</summary>
    public const int DefaultRows = 4096;

    /// <summary>
    /// Relative change of the rows' curvature Σ sᵢ|tr Dᵢ − tr Dᵢ⁰| / Σ sᵢ tr Dᵢ⁰ since the last build below which
    /// <see cref="Refresh"/> keeps H_r's factor. Measured on Fashion-MNIST (11 Newton steps): 0 (a build every step)
    /// 11 builds and 112 Hessian-vector products; 0.05: 8 and 121; 0.1: 6 and 115; 0.2: 4 and 151.
    /// </summary>
    public const double DefaultRebuildChange = 0.1;

    /// <summary>
    /// A class c is active in a sampled row when its share of the row's curvature p_c(1 − p_c) is at least this fraction
    /// of the row's largest; H_r takes each row's curvature Dᵢ on its active classes only. Late in training most rows
    /// are sure of all but two or three classes, so class c's product runs over the few rows where it is active.
    /// </summary>
    internal const double ActiveShare = 1e-3;

    /// <summary>
    /// Probabilities within this of 1/K (float32 rounds 1/K by less than 1e-8) count as uniform: a build there is the
    /// closed form (the scaled bound, see <see cref="Refresh"/>) instead of the sampled H_r.
    /// </summary>
    internal const double UniformTolerance = 1e-7;

    private readonly int _k, _d, _p, _r, _t, _kr, _n, _pairs;
    private readonly double _beta, _l2, _floor, _meanFactor;
    private readonly double[] _uRows;      // (p × p) eigenvectors of A, row-major, ascending eigenvalues
    private readonly double[] _alpha;      // (p) eigenvalues of A, ascending
    private readonly double[] _factors;    // (p) 1/(γ β αⱼ + λ₂), γ from the last refresh (the tail's t; all p while uniform)
    private readonly Tensor _values;       // (m, d) X (the objective's, not owned)
    private readonly Tensor _headW;        // (d, r) the feature rows of U_r, in X's dtype
    private readonly Tensor _headB;        // (r) the intercept row of U_r, in X's dtype
    private readonly double[] _rowNorms;   // (m) ‖x̃ᵢ‖²
    private readonly double[]? _weights;   // (m) sᵢ, or null
    private readonly long _m;
    // Work arrays of Refresh, allocated once: probabilities (m, K), sampling probabilities and their running sum (m),
    // the sample's rows, weights ω and per-pair curvature weights (|S|, K(K+1)/2), H_r and its Cholesky factor (Kr × Kr).
    private readonly double[] _q, _probability, _cumulative, _omega, _pairWeights, _hessian;
    private readonly long[] _index;
    // ‖yⱼ‖² of the sampled rows (|S|), and the blocks of SubspaceBlocks' parts after the first (Kr × Kr each).
    private readonly double[] _yNorms;
    private double[][] _partials = Array.Empty<double[]>();
    // tr Dᵢ now and at the last build (m).
    private readonly double[] _traces, _builtTraces;
    private readonly double _rebuildChange, _evaluation;
    // Per sampled row, whether each class is active (|S| × K), and per class the sampled rows where it is (K × |S|, counts K).
    private readonly bool[] _active;
    private readonly long[] _activeRows;
    private readonly int[] _activeCounts;
    private double[]? _cholesky;
    // Whether the last build was at uniform probabilities, where M is the scaled bound on every component (no factor).
    private bool _uniform;
    // Apply's work, allocated once: V and T in X̃ coordinates (K × p), the head's coordinates (K·r). (U in float32 for
    // float32 X was tried: the same products per Newton step, but no faster in back-to-back runs — kept float64.)
    private readonly double[] _vx, _work, _head;

    /// <summary>Builds U from features X (m, d) with curvature weights s (or null).</summary>
    /// <param name="x">X, (m, d), dense (a sparse matrix's (d+1)² eigendecomposition would not fit); held, not copied.</param>
    /// <param name="sampleWeight">sᵢ (curvature weight of each row relative to 1/m), or null for all ones.</param>
    /// <param name="outputCount">K (1 for binary logistic regression).</param>
    /// <param name="l2Strength">λ₂.</param>
    /// <param name="rank">r ≥ 1 (clamped to d + 1).</param>
    /// <param name="rows">|S| ≥ 1: rows drawn per refresh (all rows when there are fewer).</param>
    /// <param name="rebuildChange">≥ 0: the curvature change below which a refresh keeps the last factor (default <see cref="DefaultRebuildChange"/>; 0 rebuilds at every refresh).</param>
    public SubspaceCurvaturePreconditioner(FeatureMatrix x, Tensor? sampleWeight, int outputCount, double l2Strength, int rank = DefaultRank, int rows = DefaultRows,
        double rebuildChange = DefaultRebuildChange)
        : this(x, sampleWeight, outputCount, l2Strength, rank, rows, null, rebuildChange)
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
    /// <param name="rebuildChange">≥ 0: as in the public constructor.</param>
    internal SubspaceCurvaturePreconditioner(FeatureMatrix x, Tensor? sampleWeight, int outputCount, double l2Strength, int rank, int rows, SubspaceBasis? basis,
        double rebuildChange = DefaultRebuildChange)
    {
        if (!(rebuildChange >= 0)) throw new ArgumentOutOfRangeException(nameof(rebuildChange), rebuildChange, "The rebuild threshold must be ≥ 0 (0: rebuild at every refresh).");
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
        _rebuildChange = rebuildChange;
        _pairs = _k * (_k + 1) / 2;
        _beta = _k == 1 ? 0.25 : 0.5;
        _l2 = l2Strength;
        _values = dense.Values;
        using var scope = NewDisposeScope();
        // A as the bound has it but from at most BasisRows evenly spaced rows, product in the features' dtype, eigh in float64.
        long stride = (_m + BasisRows - 1) / BasisRows;
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
            (var alpha, vectors) = LibtorchThreads.OnOne(() => linalg.eigh(a));
            _alpha = alpha.data<double>().ToArray();
        }
        _floor = l2Strength > 0 ? l2Strength : 1e-10 * Math.Max(_alpha[^1], double.Epsilon);
        _factors = new double[_p];
        SetTailScale(1);
        _meanFactor = l2Strength > 0 ? 1 / l2Strength : 0;
        var u = vectors.contiguous();
        _uRows = basis?.Vectors ?? u.data<double>().ToArray();
        Basis = basis ?? new SubspaceBasis(_m, _alpha, _uRows);
        var head = u.narrow(1, _t, _r).to_type(_values.dtype);
        _headW = head.narrow(0, 0, _d).contiguous().DetachFromDisposeScope();
        _headB = head.select(0, _d).contiguous().DetachFromDisposeScope();
        _rowNorms = RowNorms(_values);
        _vx = new double[_k * _p];
        _work = new double[_k * _p];
        _head = new double[_kr];
        _weights = sampleWeight?.to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
        _q = new double[_m * _k];
        _probability = new double[_m];
        _cumulative = new double[_m];
        _index = new long[_n];
        _yNorms = new double[_n];
        _omega = new double[_n];
        _pairWeights = new double[(long)_n * _pairs];
        _hessian = new double[_kr * _kr];
        _active = new bool[(long)_n * _k];
        _activeRows = new long[(long)_n * _k];
        _activeCounts = new int[_k];
        _traces = new double[_m];
        _builtTraces = new double[_m];
        double evaluation = 2.0 * _m * _p * _k;
        ConstructionPasses = ((basis is null ? (double)boundRows.RowCount * _p * _p + 4.0 * _p * _p * _p : 0) + (double)_m * _p) / evaluation;
        LogitPasses = 0.5;
        // S's coordinates on U_r, the K(K+1)/2 weighted Grams of them (H_r's blocks), its Cholesky factor.
        _evaluation = evaluation;
        RefreshPasses = ((double)_n * _p * _r + (double)_pairs * _n * _r * _r + (double)_kr * _kr * _kr / 3) / evaluation;
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

    /// <summary>Multiply-adds of the last build of H_r (a <see cref="Refresh"/> that returns true) besides the logits, in evaluations (before the first: a build with every class of every row active).</summary>
    public double RefreshPasses { get; private set; }

    /// <summary>Whether <see cref="Refresh"/> has run.</summary>
    public bool IsBuilt => _cholesky is not null || _uniform;

    /// <summary>Builds of H_r so far (refreshes that did not keep the last factor).</summary>
    public int Builds { get; private set; }

    /// <summary>H_r of the last refresh (Kr × Kr row-major, the shift included; coordinate c·r + j is class c, component j), for tests.</summary>
    internal ReadOnlySpan<double> SubspaceHessian => _hessian;

    /// <summary>The rows S of the last refresh and their weights ω (all rows with sᵢ/m when |S| ≥ m), for tests.</summary>
    internal (long[] Rows, double[] Weights) SampledRows => (_index, _omega);

    /// <summary>U_r: the eigenvectors of A with the r largest eigenvalues, (d + 1, r) row-major, for tests.</summary>
    internal double[] Head()
    {
        var head = new double[_p * _r];
        for (int i = 0; i < _p; i++) Array.Copy(_uRows, (long)i * _p + _t, head, (long)i * _r, _r);
        return head;
    }

    private void SetTailScale(double gamma)
    {
        TailScale = gamma;
        for (int j = 0; j < _p; j++) _factors[j] = 1 / (gamma * _beta * Math.Max(_alpha[j], 0) + _floor);
    }

    /// <summary>
    /// Builds H_r at θ = [vec(W); b] (K·(d + 1) entries; zero intercepts for a model without them): with fewer than m
    /// rows asked for, the rows S are drawn by systematic sampling with probability qᵢ = ½ cᵢ/Σc + ½/m, cᵢ = sᵢ tr(diag pᵢ − pᵢpᵢᵀ)‖x̃ᵢ‖² (each row's
    /// curvature, so the few rows still uncertain late in training are the ones sampled), weighted by sᵢ/(m·|S|·qᵢ);
    /// otherwise every row once with weight sᵢ/m. The tail's bound is scaled by γ = Σ ω tr(Dᵢ)‖x̃ᵢ − U_r yᵢ‖² /
    /// (β·tr(I − 11ᵀ/K)·Σ ω‖x̃ᵢ − U_r yᵢ‖²) (K − 1 → 1 for K = 1), clamped to [1e-4, 1]: the sample's curvature over the
    /// bound's off the subspace, which late in training is a few per cent. When the rows' curvature has moved less than
    /// the rebuild threshold since the last build (<see cref="DefaultRebuildChange"/>), H_r, its factor and γ are kept.
    /// When every probability is 1/K (½ for K = 1; within <see cref="UniformTolerance"/>), as at θ = 0, M is ∇²F itself
    /// with A for the rows' second moments: (2/K)·B ⊗ A + λ₂I (B ⊗ A + λ₂I for K = 1) on every component, U_r's too, built
    /// without a pass (<see cref="RefreshPasses"/> 0).
    /// </summary>
    /// <param name="theta">θ in θ layout.</param>
    /// <param name="probabilities">The model's probabilities at θ for all rows, (m, K) (σ for K = 1), when already known (e.g. kept by the last gradient pass); null computes them from X (<see cref="LogitPasses"/>).</param>
    /// <returns>Whether H_r was rebuilt (its cost is <see cref="RefreshPasses"/>); false when the last factor was kept.</returns>
    public bool Refresh(double[] theta, Tensor? probabilities = null)
    {
        if (theta.Length != _k * _p) throw new ArgumentException($"θ has {theta.Length} entries; the preconditioner expects K·(d + 1) = {_k * _p}.");
        using (var scope = NewDisposeScope())
        {
            Tensor q;
            if (probabilities is not null)
            {
                if (probabilities.shape.Length != 2 || probabilities.shape[0] != _m || probabilities.shape[1] != _k)
                    throw new ArgumentException($"The probabilities have shape [{string.Join(", ", probabilities.shape)}]; expected [{_m}, {_k}].", nameof(probabilities));
                q = probabilities;
            }
            else
            {
                var t = tensor(theta, ScalarType.Float64);
                var dtype = _values.dtype;
                var w = t.narrow(0, 0, (long)_k * _d).view(_k, _d);
                var b = t.narrow(0, (long)_k * _d, _k);
                var z = nn.functional.linear(_values, w.to_type(dtype), b.to_type(dtype)).to_type(ScalarType.Float64);   // (m, K)
                q = _k == 1 ? z.sigmoid() : z.softmax(1);
            }
            q.to_type(ScalarType.Float64).contiguous().data<double>().CopyTo(_q, 0, 0);
        }
        return Build();
    }

    /// <summary>
    /// <see cref="Refresh(double[], Tensor?)"/> with the probabilities written by <paramref name="copy"/> into the
    /// preconditioner's (m, K) row-major float64 array (as <see cref="FusedSoftmaxKernel.CopyProbabilitiesTo"/> does from
    /// the probabilities the fused kernel keeps: one copy, no array in between).
    /// </summary>
    internal bool RefreshFromProbabilities(Action<Span<double>> copy)
    {
        copy(_q);
        return Build();
    }

    /// <summary>H_r, its factor and γ from the probabilities in <see cref="_q"/>, unless the rows' curvature has barely moved since the last build.</summary>
    private bool Build()
    {
        int k = _k, r = _r, n = _n, kr = _kr;
        double changed = 0, before = 0;
        for (long i = 0; i < _m; i++)
        {
            double trace = Trace(i), weight = _weights?[i] ?? 1;
            changed += weight * Math.Abs(trace - _builtTraces[i]);
            before += weight * _builtTraces[i];
            _traces[i] = trace;
        }
        if (IsBuilt && before > 0 && changed < _rebuildChange * before) return false;
        Array.Copy(_traces, _builtTraces, _m);
        Builds++;
        _uniform = IsUniform();
        if (_uniform)
        {
            // pᵢ = 1/K for every row (θ = 0): Dᵢ = (1/K)(I − 11ᵀ/K) = (2/K)·B (¼ = B for K = 1), so the Hessian is the bound
            // scaled by γ = 2/K on every component, U_r's included: no rows, no products, no factor.
            SetTailScale(_k == 1 ? 1 : 2.0 / _k);
            RefreshPasses = 0;
            return true;
        }
        DrawSample();
        // ω (δ_cc' p_c − p_c p_c') of each sampled row and class pair c ≤ c' (for K = 1: ω p(1 − p)), over the row's
        // active classes only (see ActiveShare): Dᵢ's principal submatrix on them, still positive semidefinite.
        for (int c = 0; c < k; c++) _activeCounts[c] = 0;
        for (int j = 0; j < n; j++)
        {
            var p = _q.AsSpan((int)(_index[j] * k), k);
            double widest = 0;
            for (int c = 0; c < k; c++) widest = Math.Max(widest, p[c] * (1 - p[c]));
            var active = _active.AsSpan(j * k, k);
            for (int c = 0; c < k; c++)
            {
                active[c] = k == 1 || p[c] * (1 - p[c]) >= ActiveShare * widest;
                if (active[c]) _activeRows[c * n + _activeCounts[c]++] = j;
            }
            var row = _pairWeights.AsSpan(j * _pairs, _pairs);
            int column = 0;
            for (int c = 0; c < k; c++)
            {
                for (int c2 = c; c2 < k; c2++) row[column++] = active[c] && active[c2] ? _omega[j] * ((c == c2 ? p[c] : 0) - p[c] * p[c2]) : 0;
            }
        }
        // Each part on one libtorch thread (see LibtorchThreads): on 2 busy cores (load 15–19) the blocks took 700 ms a build
        // on two libtorch (OpenMP) threads, 170 ms on one. Two managed threads with one each, Fashion-MNIST: 66 ms a build
        // at load 10 against 105–135 ms on one thread at load 6; at load 13–20 (no core free) the same as one (645–801 ms
        // against 654–668 ms for five builds).
        SubspaceBlocks(Math.Clamp(get_num_threads(), 1, Environment.ProcessorCount));
        double largest = 0;
        for (int a = 0; a < kr; a++) largest = Math.Max(largest, _hessian[a * kr + a]);
        double shift = Math.Max(_l2, 1e-10 * largest);
        for (int a = 0; a < kr; a++) _hessian[a * kr + a] += shift;
        using (var scope = NewDisposeScope())
        {
            var h = tensor(_hessian, new long[] { kr, kr }, ScalarType.Float64);
            _cholesky ??= new double[kr * kr];
            DoublesOf(LibtorchThreads.OnOne(() => linalg.cholesky(h))).CopyTo(_cholesky);
        }
        return true;
    }

    /// <summary>
    /// H_r's blocks (without the shift) and γ from the sample's rows, weights and pair weights, the rows split into
    /// <paramref name="parts"/> contiguous ranges summed on as many threads (each with one libtorch thread).
    /// </summary>
    private void SubspaceBlocks(int parts)
    {
        int k = _k, r = _r, n = _n, kr = _kr;
        if (_partials.Length != parts - 1) _partials = Enumerable.Range(1, parts - 1).Select(_ => new double[kr * kr]).ToArray();
        if (parts == 1) LibtorchThreads.OnOne(() => SubspacePart(0, 1, _hessian));
        else Parallel.For(0, parts, part => LibtorchThreads.OnOne(() => SubspacePart(part, parts, part == 0 ? _hessian : _partials[part - 1])));
        // Σ over the parts, then the lower blocks from the upper ones (the diagonal blocks made symmetric).
        for (int a = 0; a < kr; a++)
        {
            int from = a / r * r;
            var row = _hessian.AsSpan(a * kr + from, kr - from);
            foreach (var partial in _partials)
            {
                var other = partial.AsSpan(a * kr + from, kr - from);
                for (int b = 0; b < row.Length; b++) row[b] += other[b];
            }
        }
        for (int c = 0; c < k; c++)
        {
            for (int a = 0; a < r; a++)
            {
                int ca = c * r + a;
                for (int b = a; b < r; b++)
                {
                    int cb = c * r + b;
                    _hessian[ca * kr + cb] = _hessian[cb * kr + ca] = (_hessian[ca * kr + cb] + _hessian[cb * kr + ca]) / 2;
                }
                for (int b = (c + 1) * r; b < kr; b++) _hessian[b * kr + ca] = _hessian[ca * kr + b];
            }
        }
        double multiplyAdds = (double)n * _p * r;
        for (int c = 0; c < k; c++) multiplyAdds += (double)_activeCounts[c] * (k - c) * r * r;
        RefreshPasses = (multiplyAdds + (double)kr * kr * kr / 3) / _evaluation;
        // γ: the sample's curvature over the bound's on the tail (the part of each row off U_r, ‖x̃‖² − ‖y‖²).
        if (_t > 0)
        {
            double bound = 0, actual = 0;
            for (int j = 0; j < n; j++)
            {
                long i = _index[j];
                double tail = Math.Max(_rowNorms[i] - _yNorms[j], 0) * _omega[j];
                bound += tail;
                actual += tail * _traces[i];
            }
            bound *= _beta * (k == 1 ? 1 : k - 1);
            SetTailScale(bound > 0 ? Math.Clamp(actual / bound, 1e-4, 1) : 1);
        }
    }

    /// <summary>
    /// Part <paramref name="part"/> of <paramref name="parts"/> of H_r's upper blocks (c ≤ c', the diagonal blocks whole)
    /// into <paramref name="target"/>: the sampled rows j in its range, and their ‖yⱼ‖² into <see cref="_yNorms"/>.
    /// </summary>
    private bool SubspacePart(int part, int parts, double[] target)
    {
        int k = _k, r = _r, n = _n, kr = _kr;
        int low = (int)((long)n * part / parts), high = (int)((long)n * (part + 1) / parts), length = high - low;
        Array.Clear(target);
        if (length == 0) return true;
        using var scope = NewDisposeScope();
        var dtype = _values.dtype;
        var rows = _values.index_select(0, tensor(_index.AsSpan(low, length).ToArray(), ScalarType.Int64));
        var y = rows.matmul(_headW).PlusInPlace(_headB);                                       // (length, r) = X̃_S U_r
        var pairs = tensor(_pairWeights.AsSpan(low * _pairs, length * _pairs).ToArray(), new long[] { length, _pairs }, ScalarType.Float64).to_type(dtype);
        DoublesOf(y.Squared().sum(1)).CopyTo(_yNorms.AsSpan(low, length));
        // Block (c, c') of H_r = Yᵀ diag(ω (δ_cc' p_c − p_c p_c')) Y: for each c one product Yᵀ [w_cc' ∘ Y]_{c' ≥ c}, whose
        // row a is row c·r + a of H_r from column c·r on. Only the rows where class c is active enter class c's product
        // (its weights are zero elsewhere).
        int offset = 0;
        for (int c = 0; c < k; c++)
        {
            int width = k - c;
            var active = _activeRows.AsSpan(c * n, _activeCounts[c]);
            int first = 0;
            while (first < active.Length && active[first] < low) first++;
            int last = first;
            while (last < active.Length && active[last] < high) last++;
            int count = last - first;
            if (count == 0)
            {
                offset += width;
                continue;
            }
            Tensor yc = y, pc = pairs.narrow(1, offset, width);
            if (count < length)
            {
                var selected = new long[count];
                for (int j = 0; j < count; j++) selected[j] = active[first + j] - low;
                var picked = tensor(selected, ScalarType.Int64);
                yc = y.index_select(0, picked);
                pc = pc.index_select(0, picked);
            }
            var scaled = (pc.unsqueeze(2) * yc.unsqueeze(1)).reshape(count, (long)width * r);
            var block = DoublesOf(yc.t().matmul(scaled));   // (r, width·r)
            for (int a = 0; a < r; a++) block.Slice(a * width * r, width * r).CopyTo(target.AsSpan((c * r + a) * kr + c * r, width * r));
            offset += width;
        }
        return true;
    }

    /// <summary>Whether every probability in <see cref="_q"/> is 1/K (½ for K = 1) to float32 rounding, as at θ = 0.</summary>
    private bool IsUniform()
    {
        double uniform = _k == 1 ? 0.5 : 1.0 / _k;
        foreach (double q in _q)
        {
            if (Math.Abs(q - uniform) > UniformTolerance) return false;
        }
        return true;
    }

    /// <summary>tr(diag pᵢ − pᵢpᵢᵀ) of row i (pᵢ(1 − pᵢ) for K = 1).</summary>
    private double Trace(long i)
    {
        if (_k == 1) return _q[i] * (1 - _q[i]);
        var p = _q.AsSpan((int)(i * _k), _k);
        double sum = 0;
        for (int c = 0; c < _k; c++) sum += p[c] * p[c];
        return 1 - sum;
    }

    /// <summary>The rows S and their weights ω into <see cref="_index"/> and <see cref="_omega"/>.</summary>
    private void DrawSample()
    {
        int n = _n;
        long m = _m;
        if (n >= m)
        {
            // Every row once, weight sᵢ/m: H_r is the Hessian's compression itself.
            for (int i = 0; i < n; i++)
            {
                _index[i] = i;
                _omega[i] = (_weights?[i] ?? 1) / m;
            }
            return;
        }
        double total = 0;
        for (long i = 0; i < m; i++)
        {
            _probability[i] = _traces[i] * (_weights?[i] ?? 1) * _rowNorms[i];
            total += _probability[i];
        }
        double sum = 0;
        for (long i = 0; i < m; i++)
        {
            _probability[i] = total > 0 ? _probability[i] * (0.5 / total) + 0.5 / m : 1.0 / m;
            sum += _probability[i];
            _cumulative[i] = sum;
        }
        // Systematic sampling: the first row whose running sum reaches (j + ½)·Σ/n (positions ascend, so one sweep).
        double spacing = sum / n;
        long row = 0;
        for (int j = 0; j < n; j++)
        {
            double position = (j + 0.5) * spacing;
            while (row < m - 1 && _cumulative[row] < position) row++;
            _index[j] = row;
            _omega[j] = (_weights?[row] ?? 1) / (_probability[row] * m * n);
        }
    }

    /// <summary>
    /// The values of <paramref name="t"/> in float64 as a span over its storage (made contiguous float64 first), the one
    /// way this class reads a tensor back (as <c>Data/BatchTensors.cs</c> does), instead of TorchSharp's accessor, which
    /// walks the tensor index by index. Valid while the caller's dispose scope holds the tensors made here.
    /// </summary>
    private static ReadOnlySpan<double> DoublesOf(Tensor t) => MemoryMarshal.Cast<byte, double>(t.to_type(ScalarType.Float64).contiguous().bytes);

    /// <summary>
    /// ‖x̃ᵢ‖² = ‖xᵢ‖² + 1 of every row, read from X's storage in one managed sweep (float32 squares widened and summed in
    /// float64), a view of at most <see cref="RowNormBlockBytes"/> at a time (a span's length is an int: X may be larger).
    /// Why not libtorch: blocks of rows squared and summed there took 55–370 ms on Fashion-MNIST (one thread, a temporary
    /// per block, the float64 sum's conversion), more than the eigendecomposition; this sweep reads X once.
    /// </summary>
    private static double[] RowNorms(Tensor x)
    {
        long m = x.shape[0];
        int d = checked((int)x.shape[1]);
        var norms = new double[m];
        using var scope = NewDisposeScope();
        var values = x.dtype == ScalarType.Float32 || x.dtype == ScalarType.Float64 ? x.contiguous() : x.to_type(ScalarType.Float64).contiguous();
        bool single = values.dtype == ScalarType.Float32;
        long block = Math.Max(1, RowNormBlockBytes / ((long)d * (single ? sizeof(float) : sizeof(double))));
        for (long start = 0; start < m; start += block)
        {
            int length = (int)Math.Min(block, m - start);
            var rows = values.narrow(0, start, length).bytes;
            if (single)
            {
                var floats = MemoryMarshal.Cast<byte, float>(rows);
                for (int i = 0; i < length; i++) norms[start + i] = SpanMath.SquaredNorm(floats.Slice(i * d, d)) + 1;
            }
            else
            {
                var doubles = MemoryMarshal.Cast<byte, double>(rows);
                for (int i = 0; i < length; i++) norms[start + i] = SpanMath.Dot(doubles.Slice(i * d, d), doubles.Slice(i * d, d)) + 1;
            }
        }
        return norms;
    }

    /// <summary>Bytes of X that <see cref="RowNorms"/> reads through one span (a view of whole rows; at least one row).</summary>
    internal const long RowNormBlockBytes = 1L << 28;

    /// <summary>result = M⁻¹ v for v in θ layout [vec(W); b] with K·(d + 1) entries.</summary>
    public void Apply(double[] v, double[] result)
    {
        if (!IsBuilt) throw new InvalidOperationException("Refresh the preconditioner at θ before applying it.");
        int k = _k, d = _d, p = _p;
        if (v.Length != k * p || result.Length != k * p)
            throw new ArgumentException($"The preconditioner works on vectors of K·(d + 1) = {k * p} entries; got {v.Length} and {result.Length}.");
        ApplyCore(v, result);
    }

    private void ApplyCore(double[] v, double[] result)
    {
        int k = _k, d = _d, p = _p;
        var u = _uRows;
        // T = V U: rows of V in X̃ coordinates, V[c] = [W_c, b_c]; four rows of U per sweep over T's rows.
        var vx = _vx;
        for (int c = 0; c < k; c++)
        {
            Array.Copy(v, c * d, vx, c * p, d);
            vx[c * p + d] = v[k * d + c];
        }
        var t = _work;
        Array.Clear(t);
        int blocked = p / 4 * 4;
        for (int i = 0; i < blocked; i += 4)
        {
            ReadOnlySpan<double> u0 = u.AsSpan(i * p, p), u1 = u.AsSpan((i + 1) * p, p), u2 = u.AsSpan((i + 2) * p, p), u3 = u.AsSpan((i + 3) * p, p);
            for (int c = 0; c < k; c++)
                SpanMath.Axpy4(vx[c * p + i], u0, vx[c * p + i + 1], u1, vx[c * p + i + 2], u2, vx[c * p + i + 3], u3, t.AsSpan(c * p, p));
        }
        for (int i = blocked; i < p; i++)
        {
            for (int c = 0; c < k; c++) SpanMath.Axpy(vx[c * p + i], u.AsSpan(i * p, p), t.AsSpan(c * p, p));
        }
        // Tail: the bound's inverse (class-centred factor, the class mean 1/λ₂); at uniform probabilities every component.
        int scaled = _uniform ? p : _t;
        for (int l = 0; l < scaled; l++)
        {
            double mean = 0;
            if (k > 1)
            {
                for (int c = 0; c < k; c++) mean += t[c * p + l];
                mean /= k;
            }
            for (int c = 0; c < k; c++) t[c * p + l] = (t[c * p + l] - mean) * _factors[l] + mean * _meanFactor;
        }
        if (!_uniform) SolveHead(t);
        // back = T Uᵀ (four rows of U per sweep over T's rows), written in θ layout.
        for (int i = 0; i < blocked; i += 4)
        {
            ReadOnlySpan<double> u0 = u.AsSpan(i * p, p), u1 = u.AsSpan((i + 1) * p, p), u2 = u.AsSpan((i + 2) * p, p), u3 = u.AsSpan((i + 3) * p, p);
            for (int c = 0; c < k; c++)
            {
                var (s0, s1, s2, s3) = SpanMath.Dot4(t.AsSpan(c * p, p), u0, u1, u2, u3);
                vx[c * p + i] = s0;
                vx[c * p + i + 1] = s1;
                vx[c * p + i + 2] = s2;
                vx[c * p + i + 3] = s3;
            }
        }
        for (int i = blocked; i < p; i++)
        {
            for (int c = 0; c < k; c++) vx[c * p + i] = SpanMath.Dot(t.AsSpan(c * p, p), u.AsSpan(i * p, p));
        }
        for (int c = 0; c < k; c++)
        {
            Array.Copy(vx, c * p, result, c * d, d);
            result[k * d + c] = vx[c * p + d];
        }
    }

    /// <summary>H_r⁻¹ on the head's (class, component) coordinates of T (K × p), in place.</summary>
    private void SolveHead(double[] t)
    {
        int k = _k, p = _p, kr = _kr;
        var h = _head;
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
    }

    /// <summary>Frees the preconditioner's tensors (not the features).</summary>
    public void Dispose()
    {
        _headW.Dispose();
        _headB.Dispose();
    }
}
