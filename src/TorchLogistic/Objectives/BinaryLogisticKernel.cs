using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Runtime.InteropServices;
using TorchLogistic.Native;
using TorchLogistic.Sparse;

namespace TorchLogistic.Objectives;

/// <summary>
/// The binary logistic data term, its gradient, its Hessian-vector product and the Hessian's diagonal in managed
/// code, one pass over the rows each, for a CSR matrix or a dense float64 matrix:
/// <code>
/// L = Σᵢ rᵢ (max(zᵢ, 0) − tᵢzᵢ + log(1 + e^(−|zᵢ|))),  zᵢ = w·xᵢ + b,  rᵢ = sᵢ/m
/// ∇w L = Σᵢ rᵢ(σ(zᵢ) − tᵢ) xᵢ,   ∇²L·v = Σᵢ Dᵢ (xᵢ·v_w + v_b) xᵢ,  Dᵢ = rᵢσ(zᵢ)(1 − σ(zᵢ))
/// </code>
/// Why: each product of the loss layer (<c>X·w</c>, <c>Xᵀ·g</c>) over a sparse matrix is its own pass with tensor
/// conversions around it; here a row is read once per evaluation — its logit, then its residual times the row added
/// to the gradient while the row is still in cache (LIBLINEAR's Hessian-vector loop) — with float64 accumulation.
/// Rows are split into fixed contiguous parts (balanced by non-zeros), one per thread, each adding into its own
/// gradient buffer; the parts' buffers are summed in order, so the result is the same on every run with the same
/// thread count. The curvature Dᵢ of the last gradient evaluation is kept for the Hessian-vector products.
/// <para>
/// Dense rows with <c>singleHessian</c>: the Hessian-vector products read a float32 copy of X (made on the first
/// product, one pass) with float64 products and sums, half the bytes of a pass over float64 rows on a
/// bandwidth-bound machine. Values and gradients still read the float64 rows, so F and ∇F are exact; the products
/// are those of X rounded to float32 (relative error ≤ 2⁻²⁴ per entry), which a truncated-Newton CG (stopped at a
/// residual of 0.1‖∇F‖) cannot tell from the exact ones: it changes the steps, not the point they converge to.
/// CSR rows with <c>singleHessian</c>: likewise a float32 copy of the values (10 instead of 14 bytes per non-zero with
/// 16-bit columns). CSR rows of at most 65,536 columns are read through 16-bit column indices relabelled by frequency
/// (see <see cref="Relabel"/>), with the same results to the bit.
/// </para>
/// <para>
/// The parts run on <see cref="PartRunner"/>'s threads: the caller's and a helper that stays awake between the passes
/// of a fit.
/// </para>
/// <para>
/// The second copy of a formula, as <see cref="FusedSoftmaxKernel"/>: the loop restates the binary cross-entropy of
/// <see cref="Losses.PointwiseBinaryCrossEntropy"/> (targets tᵢ ∈ [0, 1], no class weights in the loss: scikit-learn's
/// convention folds them into rᵢ). It is an optional fast path behind <see cref="LinearModelObjective"/>, and its
/// tests check it against the loss-layer path on the same data to 1e-12.
/// </para>
/// </summary>
internal sealed class BinaryLogisticKernel
{
    private readonly int _m, _d;
    private readonly CsrMatrix? _csr;
    private readonly ushort[]? _columns16;   // CSR columns relabelled by descending frequency, 16 bits (d ≤ 65,536)
    private readonly int[]? _relabel;        // the relabelled index of each column (with _columns16)
    private readonly double[]? _dense;
    private readonly bool _singleHessian;
    private float[]? _dense32;      // X in float32 for the Hessian-vector products (singleHessian; made on the first one)
    private float[]? _values32;     // the CSR values in float32 for the Hessian-vector products (singleHessian; made by Prepare or the first one)
    private readonly double[] _t;
    private readonly double[] _r;
    private readonly double[] _curvature;
    private readonly bool _keepDiagonal;
    private double[]? _diagonal;   // Σᵢ Dᵢ x_ij² of the last gradient pass (keepDiagonal)
    private double _diagonalB;
    private Part[] _parts = Array.Empty<Part>();
    private int _partThreads;
    private int _partRows;

    /// <summary>A kernel over the CSR rows of <paramref name="x"/> (held, not copied).</summary>
    /// <param name="x">X.</param>
    /// <param name="targets">tᵢ, length m.</param>
    /// <param name="rowWeight">rᵢ = sᵢ/m, length m.</param>
    /// <param name="keepDiagonal">Also accumulate the Hessian's diagonal in every gradient pass (<see cref="Diagonal"/> then needs no pass of its own).</param>
    /// <param name="singleHessian">Hessian-vector products over a float32 copy of the values (float64 products and sums), 10 instead of 14 bytes per non-zero.</param>
    public BinaryLogisticKernel(CsrMatrix x, double[] targets, double[] rowWeight, bool keepDiagonal = false, bool singleHessian = false)
        : this(x.RowCount, x.ColumnCount, targets, rowWeight)
    {
        _csr = x;
        _keepDiagonal = keepDiagonal;
        _singleHessian = singleHessian;
        if (x.ColumnCount <= ushort.MaxValue + 1) (_columns16, _relabel) = Relabel(x);
    }

    /// <summary>
    /// The CSR columns relabelled so that the most frequent come first, as 16-bit indices in the rows' own order.
    /// Why: a pass reads w (or v) and adds into its accumulator at the row's columns, d doubles each, randomly; with
    /// power-law column frequencies (terms of documents) the frequent columns then share cache lines, and a pass reads
    /// 10 instead of 12 bytes per non-zero (rcv1-like, one thread: −10 % per Hessian-vector product, −12 % per gradient
    /// pass). Each row's non-zeros keep their order and each column's sums their rows' order, so every result is the
    /// same to the bit. Costs 2 bytes per non-zero and one counting pass at construction.
    /// </summary>
    private static (ushort[] Columns, int[] Relabel) Relabel(CsrMatrix x)
    {
        int d = x.ColumnCount;
        var columns = x.ColumnIndices;
        var keys = new long[d];
        foreach (int j in columns) keys[j] -= 1L << 32;
        var order = new int[d];
        for (int j = 0; j < d; j++)
        {
            keys[j] |= (uint)j;
            order[j] = j;
        }
        // Descending frequency, ties by column: keys are −count·2³² + j.
        Array.Sort(keys, order);
        var relabel = new int[d];
        for (int r = 0; r < d; r++) relabel[order[r]] = r;
        var relabelled = GC.AllocateUninitializedArray<ushort>(columns.Length);
        for (int q = 0; q < columns.Length; q++) relabelled[q] = (ushort)relabel[columns[q]];
        return (relabelled, relabel);
    }

    /// <summary>w in the kernel's column order into <paramref name="target"/>.</summary>
    private unsafe void ToKernelOrder(ReadOnlySpan<double> w, double[] target)
    {
        if (_relabel is not { } relabel)
        {
            w.CopyTo(target);
            return;
        }
        fixed (double* source = w, into = target)
        fixed (int* at = relabel)
        {
            for (int j = 0; j < relabel.Length; j++) into[at[j]] = source[j];
        }
    }

    /// <summary>A kernel over dense row-major float64 rows (held, not copied).</summary>
    /// <param name="x">X, row-major, length m·d.</param>
    /// <param name="rowCount">m.</param>
    /// <param name="columnCount">d.</param>
    /// <param name="targets">tᵢ, length m.</param>
    /// <param name="rowWeight">rᵢ = sᵢ/m, length m.</param>
    /// <param name="singleHessian">Hessian-vector products over a float32 copy of X (float64 sums), half the bytes per pass.</param>
    public BinaryLogisticKernel(double[] x, int rowCount, int columnCount, double[] targets, double[] rowWeight, bool singleHessian = false)
        : this(rowCount, columnCount, targets, rowWeight)
    {
        if (x.LongLength != (long)rowCount * columnCount) throw new ArgumentException($"{x.LongLength} values for {rowCount} × {columnCount}.");
        _dense = x;
        _singleHessian = singleHessian;
    }

    /// <summary>Whether the Hessian-vector products read a float32 copy of the dense rows or of the CSR values.</summary>
    public bool IsSingleHessian => _singleHessian;

    private BinaryLogisticKernel(int rowCount, int columnCount, double[] targets, double[] rowWeight)
    {
        if (targets.Length != rowCount || rowWeight.Length != rowCount)
            throw new ArgumentException($"{targets.Length} targets and {rowWeight.Length} row weights for {rowCount} rows.");
        _m = rowCount;
        _d = columnCount;
        _t = targets;
        _r = rowWeight;
        _curvature = new double[rowCount];
        _input = new double[columnCount];
    }

    private readonly double[] _input;   // w or v of the current pass (no allocation per pass)

    /// <summary>m.</summary>
    public int RowCount => _m;

    /// <summary>d.</summary>
    public int ColumnCount => _d;

    /// <summary>Whether <see cref="HessianVector"/> has curvatures (a gradient evaluation has run).</summary>
    public bool HasCurvature { get; private set; }

    /// <summary>
    /// L at (w, b); with a non-empty <paramref name="gradientW"/> also ∇w L into it, ∇b L into <paramref name="gradientB"/>,
    /// and the curvatures Dᵢ for later Hessian-vector products.
    /// </summary>
    public double Evaluate(ReadOnlySpan<double> w, double b, Span<double> gradientW, out double gradientB, int threads)
    {
        if (w.Length != _d) throw new ArgumentException($"w has {w.Length} entries; X has {_d} columns.");
        bool gradient = !gradientW.IsEmpty;
        if (gradient && gradientW.Length != _d) throw new ArgumentException($"The gradient has {gradientW.Length} entries; X has {_d} columns.");
        var weight = _input;
        ToKernelOrder(w, weight);
        var parts = Split(threads, _m);
        Run(parts, part => part.Evaluate(this, weight, b, gradient));
        double loss = 0;
        gradientB = 0;
        foreach (var part in parts) loss += part.Scalar;
        if (gradient)
        {
            // keepDiagonal is a CSR kernel's: its parts accumulate (∇ⱼ, diagⱼ) pairs.
            if (_keepDiagonal) SumPairs(parts, gradientW, _diagonal ??= new double[_d], _relabel);
            else Sum(parts, gradientW, _relabel);
            foreach (var part in parts) gradientB += part.ScalarB;
            HasCurvature = true;
            if (_keepDiagonal)
            {
                _diagonalB = 0;
                foreach (var part in parts) _diagonalB += part.DiagonalB;
            }
        }
        return loss;
    }

    /// <summary>
    /// ∇²L·v over the first <paramref name="rows"/> rows scaled by m/rows (the exact product for rows = m), at the
    /// curvatures of the last gradient evaluation.
    /// </summary>
    public void HessianVector(ReadOnlySpan<double> vW, double vB, Span<double> resultW, out double resultB, int threads, int rows)
    {
        if (!HasCurvature) throw new InvalidOperationException("A Hessian-vector product needs a gradient evaluation first (its curvatures).");
        if (rows < 1 || rows > _m) throw new ArgumentOutOfRangeException(nameof(rows), rows, $"rows must be in [1, {_m}].");
        if (vW.Length != _d || resultW.Length != _d) throw new ArgumentException($"The direction and result need {_d} entries; got {vW.Length} and {resultW.Length}.");
        var v = _input;
        ToKernelOrder(vW, v);
        var parts = Split(threads, rows);
        if (_singleHessian && _csr is { } csr && _values32 is null)
        {
            var copy = GC.AllocateUninitializedArray<float>(csr.Values.Length);
            Run(parts, part => part.CopyValuesToSingle(this, copy));
            for (int q = csr.RowPointers[rows]; q < copy.Length; q++) copy[q] = (float)csr.Values[q];
            _values32 = copy;
        }
        if (_singleHessian && _dense is not null && _dense32 is null)
        {
            var copy = GC.AllocateUninitializedArray<float>(_dense!.Length);
            Run(parts, part => part.CopyToSingle(this, copy));
            if (rows < _m)
            {
                for (long q = (long)rows * _d; q < copy.LongLength; q++) copy[q] = (float)_dense[q];
            }
            _dense32 = copy;
        }
        Run(parts, part => part.HessianVector(this, v, vB));
        Sum(parts, resultW, _relabel);
        resultB = 0;
        foreach (var part in parts) resultB += part.ScalarB;
        if (rows < _m)
        {
            double scale = (double)_m / rows;
            for (int j = 0; j < resultW.Length; j++) resultW[j] *= scale;
            resultB *= scale;
        }
    }

    /// <summary>The diagonal of ∇²L at the last gradient evaluation: Σᵢ Dᵢ x_ij² into <paramref name="diagonalW"/>, Σᵢ Dᵢ (the intercept's) returned.</summary>
    public double Diagonal(Span<double> diagonalW, int threads)
    {
        if (!HasCurvature) throw new InvalidOperationException("The Hessian's diagonal needs a gradient evaluation first (its curvatures).");
        if (_diagonal is not null)
        {
            _diagonal.AsSpan().CopyTo(diagonalW);
            return _diagonalB;
        }
        var parts = Split(threads, _m);
        Run(parts, part => part.Diagonal(this));
        Sum(parts, diagonalW, _relabel);
        double b = 0;
        foreach (var part in parts) b += part.ScalarB;
        return b;
    }

    private static void Run(Part[] parts, Action<Part> work)
    {
        if (parts.Length == 1) work(parts[0]);
        else PartRunner.Run(parts.Length, parts.Length, i => work(parts[i]));
    }

    /// <summary>
    /// Makes (and touches) the per-part buffers of full passes on <paramref name="threads"/> threads now: a fresh
    /// buffer's first write page-faults on every 4 KiB (a part's buffers are 3·d doubles, the kernel's own d + m more), a cost of
    /// setting up, not of the passes. With <c>singleHessian</c> on CSR rows it also makes the float32 copy of the values
    /// (4 bytes per non-zero, one pass, as the 16-bit relabelled columns are made at construction): made by the first
    /// Hessian-vector product instead, it cost that product a second pass and 1,500 fresh pages on rcv1-like.
    /// </summary>
    public void Prepare(int threads)
    {
        Array.Clear(_input);
        Array.Clear(_curvature);
        if (_keepDiagonal) Array.Clear(_diagonal ??= new double[_d]);
        var parts = Split(threads, _m);
        foreach (var part in parts)
        {
            Array.Clear(part.Accumulator);
            if (part.Pairs is not null) Array.Clear(part.Pairs);
        }
        if (_singleHessian && _csr is { } csr && _values32 is null)
        {
            var copy = GC.AllocateUninitializedArray<float>(csr.Values.Length);
            Run(parts, part => part.CopyValuesToSingle(this, copy));
            _values32 = copy;
        }
    }

    /// <summary>The parts' accumulators summed in part order into <paramref name="result"/>, entry j from the accumulators' entry relabel[j] (or j).</summary>
    private static unsafe void Sum(Part[] parts, Span<double> result, int[]? relabel)
    {
        if (relabel is not null)
        {
            // Parts 0 and 1 in one sweep (one read of relabel and result for the usual two), any later part in a sweep of
            // its own: (p₀ + p₁) + p₂ + …, the same sums in the same order for every part count.
            fixed (double* into = result, first = parts[0].Accumulator, second = parts.Length > 1 ? parts[1].Accumulator : null)
            fixed (int* at = relabel)
            {
                if (second == null)
                {
                    for (int j = 0; j < result.Length; j++) into[j] = first[at[j]];
                }
                else
                {
                    for (int j = 0; j < result.Length; j++)
                    {
                        int q = at[j];
                        into[j] = first[q] + second[q];
                    }
                }
                for (int p = 2; p < parts.Length; p++)
                {
                    fixed (double* add = parts[p].Accumulator)
                    {
                        for (int j = 0; j < result.Length; j++) into[j] += add[at[j]];
                    }
                }
            }
            return;
        }
        parts[0].Accumulator.AsSpan().CopyTo(result);
        for (int p = 1; p < parts.Length; p++)
        {
            var source = parts[p].Accumulator.AsSpan();
            int j = 0;
            if (Vector.IsHardwareAccelerated)
            {
                int width = Vector<double>.Count;
                var target = MemoryMarshal.Cast<double, Vector<double>>(result);
                var add = MemoryMarshal.Cast<double, Vector<double>>(source);
                for (int q = 0; q < target.Length; q++) target[q] += add[q];
                j = target.Length * width;
            }
            for (; j < result.Length; j++) result[j] += source[j];
        }
    }

    /// <summary>The parts' interleaved (∇ⱼ, diagⱼ) pairs of a CSR gradient pass summed in part order into <paramref name="gradient"/> and <paramref name="diagonal"/>, entry j from pair relabel[j] (or j).</summary>
    private static unsafe void SumPairs(Part[] parts, Span<double> gradient, Span<double> diagonal, int[]? relabel)
    {
        int d = gradient.Length;
        // As Sum: parts 0 and 1 in one sweep, any later part in a sweep of its own, the same order for every part count.
        fixed (double* g = gradient, h = diagonal, first = parts[0].Pairs, second = parts.Length > 1 ? parts[1].Pairs : null)
        fixed (int* at = relabel)
        {
            for (int j = 0; j < d; j++)
            {
                long q = 2L * (at == null ? j : at[j]);
                if (second == null)
                {
                    g[j] = first[q];
                    h[j] = first[q + 1];
                }
                else
                {
                    g[j] = first[q] + second[q];
                    h[j] = first[q + 1] + second[q + 1];
                }
            }
            for (int p = 2; p < parts.Length; p++)
            {
                fixed (double* pairs = parts[p].Pairs)
                {
                    for (int j = 0; j < d; j++)
                    {
                        long q = 2L * (at == null ? j : at[j]);
                        g[j] += pairs[q];
                        h[j] += pairs[q + 1];
                    }
                }
            }
        }
    }

    /// <summary>Rows [0, rows) in one contiguous part per thread, balanced by non-zeros (kept while the thread count and rows are the same).</summary>
    private Part[] Split(int threads, int rows)
    {
        int count = Math.Clamp(threads, 1, Math.Max(1, rows / 64));
        // Below ~32k non-zeros a second thread costs more than it saves.
        long work = _csr is null ? (long)rows * _d : _csr.RowPointers[rows];
        if (work < 1 << 15) count = 1;
        if (count == _partThreads && rows == _partRows) return _parts;
        var parts = new Part[count];
        int start = 0;
        for (int p = 0; p < count; p++)
        {
            int end;
            if (p == count - 1) end = rows;
            else if (_csr is null) end = (int)((long)rows * (p + 1) / count);
            else
            {
                long goal = work * (p + 1) / count;
                int found = Array.BinarySearch(_csr.RowPointers, 0, rows + 1, checked((int)goal));
                end = Math.Clamp(found >= 0 ? found : ~found, start, rows);
            }
            parts[p] = new Part(start, end, _d, _keepDiagonal);
            start = end;
        }
        _parts = parts;
        _partThreads = count;
        _partRows = rows;
        return parts;
    }

    private sealed class Part(int first, int end, int d, bool keepDiagonal)
    {
        public readonly double[] Accumulator = new double[d];
        public readonly double[]? Pairs = keepDiagonal ? new double[2 * d] : null;   // (∇ⱼ, diagⱼ) interleaved during a CSR gradient pass (keepDiagonal)
        public double Scalar;
        public double ScalarB;
        public double DiagonalB;

        // Fully optimised from the first call: a fit makes few passes, too few for tiered compilation to reach these loops.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public unsafe void Evaluate(BinaryLogisticKernel k, double[] w, double b, bool gradient)
        {
            double loss = 0, gb = 0, hb = 0;
            var t = k._t;
            var r = k._r;
            var curvature = k._curvature;
            bool zero = b == 0 && w.AsSpan().IndexOfAnyExcept(0.0) < 0;
            if (k._csr is { } x)
            {
                // With the diagonal, ∇ and diag are accumulated as interleaved pairs (one 16-byte read-modify-write per
                // non-zero instead of two scattered ones), which SumPairs adds up over the parts.
                var pairs = gradient ? Pairs : null;
                if (pairs is not null) Array.Clear(pairs);
                else if (gradient) Array.Clear(Accumulator);
                fixed (int* rows = x.RowPointers)
                fixed (double* values = x.Values, wp = w, acc = Accumulator, pp = pairs, tp = t, rp = r, cp = curvature)
                {
                    if (k._columns16 is { } narrow)
                    {
                        fixed (ushort* columns = narrow) loss = EvaluateRows(rows, columns, values, wp, b, zero, gradient, acc, pp, tp, rp, cp, out gb, out hb);
                    }
                    else
                    {
                        fixed (int* columns = x.ColumnIndices) loss = EvaluateRows(rows, columns, values, wp, b, zero, gradient, acc, pp, tp, rp, cp, out gb, out hb);
                    }
                }
                Scalar = loss;
                ScalarB = gb;
                DiagonalB = hb;
                return;
            }
            if (gradient) Array.Clear(Accumulator);
            fixed (double* wp = w, acc = Accumulator)
            {
                for (int i = first; i < end; i++)
                {
                    double z = zero ? 0 : k.Dot(i, wp) + b;
                    double e = Math.Exp(-Math.Abs(z));
                    loss += r[i] * (Math.Max(z, 0) - t[i] * z + Math.Log(1 + e) + Log1pCorrection(e));
                    if (!gradient) continue;
                    double sigma = z >= 0 ? 1 / (1 + e) : e / (1 + e);
                    double g = r[i] * (sigma - t[i]);
                    double c = r[i] * sigma * (1 - sigma);
                    curvature[i] = c;
                    gb += g;
                    hb += c;
                    if (g != 0) k.AddRow(i, g, acc);
                }
            }
            Scalar = loss;
            ScalarB = gb;
            DiagonalB = hb;
        }

        // Fully optimised from the first call: a fit makes few passes, too few for tiered compilation to reach these loops.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public unsafe void HessianVector(BinaryLogisticKernel k, double[] v, double vb)
        {
            Array.Clear(Accumulator);
            double hb = 0;
            var curvature = k._curvature;
            if (k._csr is { } x)
            {
                fixed (int* rows = x.RowPointers)
                fixed (double* values = x.Values, vp = v, acc = Accumulator, cp = curvature)
                fixed (float* narrowValues = k._values32)
                {
                    if (k._columns16 is { } narrow)
                    {
                        fixed (ushort* columns = narrow)
                        {
                            hb = narrowValues != null ? HessianRows(rows, columns, narrowValues, vp, vb, acc, cp) : HessianRows(rows, columns, values, vp, vb, acc, cp);
                        }
                    }
                    else
                    {
                        fixed (int* columns = x.ColumnIndices)
                        {
                            hb = narrowValues != null ? HessianRows(rows, columns, narrowValues, vp, vb, acc, cp) : HessianRows(rows, columns, values, vp, vb, acc, cp);
                        }
                    }
                }
                ScalarB = hb;
                return;
            }
            if (k._dense32 is { } single)
            {
                fixed (float* x32 = single)
                fixed (double* vp = v, acc = Accumulator)
                {
                    for (int i = first; i < end; i++)
                    {
                        float* row = x32 + (long)i * k._d;
                        double c = curvature[i] * (DotSingle(row, vp, k._d) + vb);
                        hb += c;
                        if (c != 0) AddRowSingle(row, c, acc, k._d);
                    }
                }
                ScalarB = hb;
                return;
            }
            fixed (double* vp = v, acc = Accumulator)
            {
                for (int i = first; i < end; i++)
                {
                    double c = curvature[i] * (k.Dot(i, vp) + vb);
                    hb += c;
                    if (c != 0) k.AddRow(i, c, acc);
                }
            }
            ScalarB = hb;
        }

        /// <summary>The CSR rows of a value (and gradient) pass over columns of type <typeparamref name="TIndex"/> (int, or ushort when relabelled): L, and ∇ (or the (∇, diag) pairs) into the part's buffers.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private unsafe double EvaluateRows<TIndex>(int* rows, TIndex* columns, double* values, double* wp, double b, bool zero, bool gradient,
            double* acc, double* pp, double* tp, double* rp, double* cp, out double gb, out double hb) where TIndex : unmanaged
        {
            double loss = 0;
            gb = 0;
            hb = 0;
            for (int i = first; i < end; i++)
            {
                int start = rows[i], stop = rows[i + 1];
                double z = zero ? b : b + SparseDot(columns, values, wp, start, stop);
                double e = Math.Exp(-Math.Abs(z));
                double ri = rp[i], ti = tp[i];
                loss += ri * (Math.Max(z, 0) - ti * z + Math.Log(1 + e) + Log1pCorrection(e));
                if (!gradient) continue;
                double sigma = z >= 0 ? 1 / (1 + e) : e / (1 + e);
                double g = ri * (sigma - ti);
                double c = ri * sigma * (1 - sigma);
                cp[i] = c;
                gb += g;
                hb += c;
                if (pp != null)
                {
                    var gc = Vector128.Create(g, c);
                    for (int q = start; q < stop; q++)
                    {
                        double v = values[q];
                        double* at = pp + 2 * (long)Column(columns, q);
                        Vector128.Store(Vector128.Load(at) + gc * Vector128.Create(v, v * v), at);
                    }
                }
                else
                {
                    SparseAxpy(columns, values, g, acc, start, stop);
                }
            }
            return loss;
        }

        /// <summary>The CSR rows of a Hessian-vector product over columns of type <typeparamref name="TIndex"/> and values of type <typeparamref name="TValue"/> (double, or float with singleHessian): Σᵢ Dᵢ(xᵢ·v + v_b)xᵢ into <paramref name="acc"/>; returns the intercept's Σᵢ Dᵢ(xᵢ·v + v_b).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private unsafe double HessianRows<TIndex, TValue>(int* rows, TIndex* columns, TValue* values, double* vp, double vb, double* acc, double* cp)
            where TIndex : unmanaged where TValue : unmanaged
        {
            double hb = 0;
            for (int i = first; i < end; i++)
            {
                int start = rows[i], stop = rows[i + 1];
                double c = cp[i] * (SparseDot(columns, values, vp, start, stop) + vb);
                hb += c;
                SparseAxpy(columns, values, c, acc, start, stop);
            }
            return hb;
        }

        /// <summary>This part's rows' CSR values rounded to float32 into <paramref name="copy"/>.</summary>
        public void CopyValuesToSingle(BinaryLogisticKernel k, float[] copy)
        {
            var source = k._csr!.Values;
            for (int q = k._csr.RowPointers[first], stop = k._csr.RowPointers[end]; q < stop; q++) copy[q] = (float)source[q];
        }

        /// <summary>This part's rows of the dense X rounded to float32 into <paramref name="copy"/>.</summary>
        public void CopyToSingle(BinaryLogisticKernel k, float[] copy)
        {
            var source = k._dense!;
            for (long q = (long)first * k._d, stop = (long)end * k._d; q < stop; q++) copy[q] = (float)source[q];
        }

        public unsafe void Diagonal(BinaryLogisticKernel k)
        {
            Array.Clear(Accumulator);
            double hb = 0;
            var curvature = k._curvature;
            var scratch = new double[d];
            fixed (double* acc = Accumulator, dacc = scratch)
            {
                for (int i = first; i < end; i++)
                {
                    double c = curvature[i];
                    hb += c;
                    k.AddRowAndSquares(i, 0, dacc, c, acc);
                }
            }
            ScalarB = hb;
        }
    }

    /// <summary>log(1 + e) = Math.Log(1 + e) + this: the rounding of 1 + e corrected (log1p, as libtorch's softplus), exact to an ulp for e ∈ [0, 1].</summary>
    private static double Log1pCorrection(double e)
    {
        double u = 1 + e;
        // (u − 1) is e rounded; log(1 + e) ≈ log(u) + (e − (u − 1))/u.
        return (e - (u - 1)) / u;
    }

    /// <summary>
    /// Σ_q values[q]·w[columns[q]] over q ∈ [start, stop): eight entries at a time by two AVX2 gathers of four into two
    /// float64 FMA accumulators (a CPU with AVX2 and FMA), the rest two at a time; a fixed order, so the same bits on every run.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe double SparseDot<TIndex, TValue>(TIndex* columns, TValue* values, double* w, int start, int stop)
        where TIndex : unmanaged where TValue : unmanaged
    {
        int q = start;
        double sum = 0;
        if (Avx2.IsSupported && Fma.IsSupported && stop - start >= 8)
        {
            var a0 = Vector256<double>.Zero;
            var a1 = Vector256<double>.Zero;
            for (; q + 8 <= stop; q += 8)
            {
                Vector128<int> low, high;
                if (typeof(TIndex) == typeof(ushort))
                {
                    var narrow = Vector128.Load((ushort*)columns + q);
                    low = Vector128.WidenLower(narrow).AsInt32();
                    high = Vector128.WidenUpper(narrow).AsInt32();
                }
                else
                {
                    low = Vector128.Load((int*)columns + q);
                    high = Vector128.Load((int*)columns + q + 4);
                }
                Vector256<double> x0, x1;
                if (typeof(TValue) == typeof(float)) (x0, x1) = Vector256.Widen(Vector256.Load((float*)values + q));
                else
                {
                    x0 = Vector256.Load((double*)values + q);
                    x1 = Vector256.Load((double*)values + q + 4);
                }
                a0 = Fma.MultiplyAdd(x0, Avx2.GatherVector256(w, low, 8), a0);
                a1 = Fma.MultiplyAdd(x1, Avx2.GatherVector256(w, high, 8), a1);
            }
            sum = Vector256.Sum(a0 + a1);
        }
        double s0 = 0, s1 = 0;
        for (; q + 1 < stop; q += 2)
        {
            s0 += Value(values, q) * w[Column(columns, q)];
            s1 += Value(values, q + 1) * w[Column(columns, q + 1)];
        }
        if (q < stop) s0 += Value(values, q) * w[Column(columns, q)];
        return sum + (s0 + s1);
    }

    /// <summary>columns[q] as an int: 32-bit columns, or 16-bit relabelled ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe int Column<TIndex>(TIndex* columns, int q) where TIndex : unmanaged
        => typeof(TIndex) == typeof(ushort) ? ((ushort*)columns)[q] : ((int*)columns)[q];

    /// <summary>values[q] as a double: float64 values, or their float32 copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe double Value<TValue>(TValue* values, int q) where TValue : unmanaged
        => typeof(TValue) == typeof(float) ? ((float*)values)[q] : ((double*)values)[q];

    /// <summary>accumulator[columns[q]] += factor·values[q] over q ∈ [start, stop) (columns distinct within a row), two at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void SparseAxpy<TIndex, TValue>(TIndex* columns, TValue* values, double factor, double* accumulator, int start, int stop)
        where TIndex : unmanaged where TValue : unmanaged
    {
        int q = start;
        for (; q + 1 < stop; q += 2)
        {
            int j0 = Column(columns, q), j1 = Column(columns, q + 1);
            double x0 = Value(values, q), x1 = Value(values, q + 1);
            accumulator[j0] += factor * x0;
            accumulator[j1] += factor * x1;
        }
        if (q < stop) accumulator[Column(columns, q)] += factor * Value(values, q);
    }

    /// <summary>xᵢ·w over a dense row (the CSR rows have their own loops).</summary>
    private unsafe double Dot(int i, double* w)
    {
        fixed (double* row = &_dense![(long)i * _d])
        {
            int j = 0;
            double sum = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                var acc0 = Vector256<double>.Zero;
                var acc1 = Vector256<double>.Zero;
                for (; j + 8 <= _d; j += 8)
                {
                    acc0 += Vector256.Load(row + j) * Vector256.Load(w + j);
                    acc1 += Vector256.Load(row + j + 4) * Vector256.Load(w + j + 4);
                }
                sum = Vector256.Sum(acc0 + acc1);
            }
            for (; j < _d; j++) sum += row[j] * w[j];
            return sum;
        }
    }

    /// <summary>accumulator += factor·xᵢ over a dense row.</summary>
    private unsafe void AddRow(int i, double factor, double* accumulator)
    {
        fixed (double* row = &_dense![(long)i * _d])
        {
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                var f = Vector256.Create(factor);
                for (; j + 4 <= _d; j += 4) Vector256.Store(Vector256.Load(accumulator + j) + f * Vector256.Load(row + j), accumulator + j);
            }
            for (; j < _d; j++) accumulator[j] += factor * row[j];
        }
    }

    /// <summary>xᵢ·w over a float32 row, float64 products and sums in the order of <see cref="Dot"/>'s dense loop.</summary>
    private static unsafe double DotSingle(float* row, double* w, int d)
    {
        int j = 0;
        double sum = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var acc0 = Vector256<double>.Zero;
            var acc1 = Vector256<double>.Zero;
            for (; j + 8 <= d; j += 8)
            {
                var (low, high) = Vector256.Widen(Vector256.Load(row + j));
                acc0 += low * Vector256.Load(w + j);
                acc1 += high * Vector256.Load(w + j + 4);
            }
            sum = Vector256.Sum(acc0 + acc1);
        }
        for (; j < d; j++) sum += row[j] * w[j];
        return sum;
    }

    /// <summary>accumulator += factor·xᵢ over a float32 row, in float64.</summary>
    private static unsafe void AddRowSingle(float* row, double factor, double* accumulator, int d)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var f = Vector256.Create(factor);
            for (; j + 8 <= d; j += 8)
            {
                var (low, high) = Vector256.Widen(Vector256.Load(row + j));
                Vector256.Store(Vector256.Load(accumulator + j) + f * low, accumulator + j);
                Vector256.Store(Vector256.Load(accumulator + j + 4) + f * high, accumulator + j + 4);
            }
        }
        for (; j < d; j++) accumulator[j] += factor * row[j];
    }

    /// <summary>accumulator += factor·xᵢ and squares += weight·xᵢ² (entrywise), in one read of the row.</summary>
    private unsafe void AddRowAndSquares(int i, double factor, double* accumulator, double weight, double* squares)
    {
        if (_csr is { } x)
        {
            fixed (int* columns = x.ColumnIndices)
            fixed (double* values = x.Values)
            {
                for (int p = x.RowPointers[i], end = x.RowPointers[i + 1]; p < end; p++)
                {
                    int j = _relabel is null ? columns[p] : _relabel[columns[p]];
                    double v = values[p];
                    accumulator[j] += factor * v;
                    squares[j] += weight * v * v;
                }
            }
            return;
        }
        long offset = (long)i * _d;
        for (int j = 0; j < _d; j++)
        {
            double v = _dense![offset + j];
            accumulator[j] += factor * v;
            squares[j] += weight * v * v;
        }
    }
}
