using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace TorchLogistic.Objectives;

/// <summary>
/// The softmax cross-entropy data term and its gradient in one pass over X, float32 products with float64
/// accumulation:
/// <code>
/// L = Σᵢ sᵢ (logsumexp(zᵢ) − tᵢ·zᵢ),   zᵢ = W xᵢ + b;   ∇W L/m = Gᵀ X,  ∇b L/m = Σᵢ Gᵢ,  Gᵢ = sᵢ (softmax(zᵢ) − tᵢ)/m
/// </code>
/// Why: the two products X Wᵀ and Gᵀ X are skinny (K ≈ 10 columns), and libtorch's GEMM packs all of X for each
/// of them, reaching about a quarter of its square-matrix FLOP rate. Here each block of <see cref="BlockRows"/>
/// rows is read from memory once: the logits of two rows × ten classes live in registers (FMA over 8-float lanes),
/// the residual block is formed, and Gᵀ X for the block is accumulated while the rows are still in cache (ten
/// classes × sixteen columns in registers). Block sums go into per-thread float64 accumulators, so the result does
/// not lose precision with the number of rows; rows are split over threads in fixed contiguous ranges, so it is
/// the same on every run with the same thread count. Needs AVX2 and FMA (<see cref="IsSupported"/>); where the CPU
/// has AVX-512 the same passes run on 16-float lanes with the residuals vectorised over rows
/// (FusedSoftmaxKernel.Avx512.cs).
/// <para>
/// An accepted second copy of a formula (as <see cref="DenseSoftmaxKernel"/> is for small float64 problems): its inner loop restates the cross-entropy value and softmax residual
/// of <see cref="Losses.PointwiseCrossEntropy"/> (rows of t summing to 1, as the targets it is given —
/// <see cref="Losses.PointwiseCrossEntropy.EffectiveTargets"/> — do) because a fused loop cannot call the tensor
/// formulas. It is an optional fast path behind <see cref="LinearModelObjective"/>, and its tests check it against
/// that objective's loss-layer path on the same data.
/// </para>
/// </summary>
internal sealed partial class FusedSoftmaxKernel
{
    /// <summary>Classes computed together in registers; the weight matrix is padded with zero rows to a multiple.</summary>
    private const int ClassTile = 10;

    /// <summary>Classes of one register tile of the AVX2 loops (half of <see cref="ClassTile"/>: AVX2 has 16 vector registers, AVX-512 32).</summary>
    private const int NarrowClassTile = ClassTile / 2;

    /// <summary>Rows per block: 128 rows of 784 floats (400 kB) stay in a core's L2 cache between the two products.</summary>
    private const int BlockRows = 128;

    private readonly AlignedFloats _xs; // (m_even, dp) row-major, zero padding
    private readonly float[] _ts;       // (m, k) targets; (k, m) on the AVX-512 path
    private readonly float[] _ws;       // (m) sample weights
    private readonly int _m, _d, _dp, _k, _kp;
    private readonly AlignedFloats _w32; // (kp, dp); interleaved on the AVX-512 path (WeightIndex)
    private readonly float[] _b32;      // (kp)
    private readonly AlignedFloats _v32; // (kp, dp) the direction of a Hessian-vector product, laid out as _w32
    private readonly float[] _vb32;     // (kp)
    private readonly float[] _p;        // (m, kp) softmax probabilities at the last gradient evaluation; (k, m) on the AVX-512 path
    private readonly bool _wide;        // the AVX-512 loops
    private readonly Part[] _parts;
    private Pass _pass;
    private int _curvatureRows;
    private int _activeParts;
    private readonly Action<int> _runPart;

    /// <summary>True where the CPU has AVX2 and FMA.</summary>
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;

    /// <summary>
    /// Whether kernels made from now on use the AVX-512 loops where the CPU has them (default true); tests set it false
    /// to run the AVX2 loops on the same machine.
    /// </summary>
    internal static bool PreferAvx512 { get; set; } = true;

    /// <summary>True where this kernel runs its AVX-512 loops (16-float lanes).</summary>
    internal bool IsAvx512 => _wide;

    /// <summary>Copies X (float32, (m, d)), the targets ((m, K), rows summing to 1) and the sample weights into padded arrays.</summary>
    public FusedSoftmaxKernel(Tensor x, Tensor targets, Tensor? sampleWeight)
    {
        if (!IsSupported) throw new PlatformNotSupportedException("The fused softmax kernel needs AVX2 and FMA.");
        _m = checked((int)x.shape[0]);
        _d = checked((int)x.shape[1]);
        _k = checked((int)targets.shape[1]);
        _dp = (_d + 15) / 16 * 16;
        _kp = (_k + ClassTile - 1) / ClassTile * ClassTile;
        _wide = PreferAvx512 && Avx512F.IsSupported;
        int mEven = (_m + 1) / 2 * 2;
        _xs = new AlignedFloats(checked(mEven * _dp), large: true);
        using (var scope = NewDisposeScope())
        {
            var dense = x.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
            var xs = _xs.Span;
            if (_dp == _d)
                dense.CopyTo(xs);
            else
            {
                xs.Clear();
                for (int i = 0; i < _m; i++) dense.AsSpan(i * _d, _d).CopyTo(xs.Slice(i * _dp));
            }
            if (mEven != _m) xs.Slice(_m * _dp, _dp).Clear();
            _ts = (_wide ? targets.t() : targets).to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
            _ws = sampleWeight is null ? Enumerable.Repeat(1f, _m).ToArray() : sampleWeight.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        }
        _w32 = new AlignedFloats(_kp * _dp);
        _b32 = new float[_kp];
        _v32 = new AlignedFloats(_kp * _dp);
        _vb32 = new float[_kp];
        _p = new float[(long)_m * (_wide ? _k : _kp)];
        _parts = new Part[Math.Max(1, Environment.ProcessorCount)];
        for (int p = 0; p < _parts.Length; p++) _parts[p] = new Part(_kp, _dp);
        _runPart = p => _parts[p].Run(this);
    }

    /// <summary>
    /// Σᵢ sᵢ ℓᵢ (not divided by m), and with <paramref name="gradientW"/> the data gradient (1/m) Gᵀ X into it
    /// ((K, d) row-major) and (1/m) Σᵢ Gᵢ into <paramref name="gradientB"/>.
    /// </summary>
    /// <param name="weight">W, (K, d) row-major, float64.</param>
    /// <param name="bias">b, (K), float64.</param>
    /// <param name="gradientW">Receives ∇W of the data term, or null for the value only.</param>
    /// <param name="gradientB">Receives ∇b, or null for the value only.</param>
    /// <param name="threads">Threads to split the rows over.</param>
    public double Evaluate(ReadOnlySpan<double> weight, ReadOnlySpan<double> bias, Span<double> gradientW, Span<double> gradientB, int threads)
    {
        var w32 = _w32.Span;
        for (int c = 0; c < _k; c++)
        {
            for (int j = 0; j < _d; j++) w32[_wide ? WeightIndex(c, j) : c * _dp + j] = (float)weight[c * _d + j];
            _b32[c] = (float)bias[c];
        }
        _pass = gradientW.IsEmpty ? Pass.Value : Pass.Gradient;
        double loss = Run(threads, gradientW, gradientB);
        if (_pass == Pass.Gradient) HasProbabilities = true;
        return loss;
    }

    /// <summary>
    /// Whether <see cref="HessianVector"/> can run: the probabilities of the last evaluation with a gradient are kept
    /// (m·K floats), and it is the Hessian at that evaluation's θ.
    /// </summary>
    public bool HasProbabilities { get; private set; }

    /// <summary>The probabilities of the last evaluation with a gradient into <paramref name="destination"/>, (m, K) row-major float64 (no pass over X).</summary>
    public void CopyProbabilitiesTo(Span<double> destination)
    {
        if (!HasProbabilities) throw new InvalidOperationException("No gradient evaluation has kept probabilities yet.");
        if (destination.Length != (long)_m * _k) throw new ArgumentException($"{destination.Length} entries; the probabilities are m·K = {(long)_m * _k}.", nameof(destination));
        if (_wide)
        {
            for (int i = 0; i < _m; i++)
            {
                for (int c = 0; c < _k; c++) destination[i * _k + c] = _p[c * _m + i];
            }
        }
        else
        {
            for (int i = 0; i < _m; i++)
            {
                for (int c = 0; c < _k; c++) destination[i * _k + c] = _p[i * _kp + c];
            }
        }
    }

    /// <summary>
    /// The data term's Hessian at the last gradient evaluation times v = [V; v_b], in one pass over X:
    /// <code>
    /// U = X Vᵀ + v_b,   Rᵢ = (sᵢ/m)·(pᵢ ∘ uᵢ − pᵢ (pᵢ·uᵢ)),   result_W = Rᵀ X,   result_b = Σᵢ Rᵢ
    /// </code>
    /// (pᵢ the softmax probabilities of row i, whose covariance diag(pᵢ) − pᵢpᵢᵀ is the Hessian block of
    /// <see cref="Losses.PointwiseCrossEntropy"/> for targets summing to 1), float32 products, float64 sums.
    /// </summary>
    /// <param name="directionW">V, (K, d) row-major.</param>
    /// <param name="directionB">v_b, (K).</param>
    /// <param name="resultW">Receives the W part (K, d).</param>
    /// <param name="resultB">Receives the b part (K).</param>
    /// <param name="threads">Threads to split the rows over.</param>
    /// <param name="rows">Rows the product is over, the first ones (1 ≤ rows ≤ m; m for the exact Hessian): the curvature of a subsample, scaled by 1/rows.</param>
    public void HessianVector(ReadOnlySpan<double> directionW, ReadOnlySpan<double> directionB, Span<double> resultW, Span<double> resultB, int threads, int rows)
    {
        if (rows < 1 || rows > _m) throw new ArgumentOutOfRangeException(nameof(rows), rows, $"A Hessian-vector product is over 1 to {_m} rows.");
        _curvatureRows = rows;
        if (!HasProbabilities) throw new InvalidOperationException("A Hessian-vector product needs a gradient evaluation first (its probabilities).");
        var v32 = _v32.Span;
        for (int c = 0; c < _k; c++)
        {
            for (int j = 0; j < _d; j++) v32[_wide ? WeightIndex(c, j) : c * _dp + j] = (float)directionW[c * _d + j];
            _vb32[c] = (float)directionB[c];
        }
        _pass = Pass.HessianVector;
        Run(threads, resultW, resultB);
    }

    private double Run(int threads, Span<double> gradientW, Span<double> gradientB)
    {
        int n = Math.Clamp(threads, 1, _parts.Length);
        // Contiguous ranges of whole row groups (pairs; 16 rows, a vector of rows, on the AVX-512 path); the split
        // depends only on m and the thread count.
        int m = _pass == Pass.HessianVector ? _curvatureRows : _m;
        int group = _wide ? RowLanes : 2;
        int groups = (m + group - 1) / group;
        for (int p = 0; p < n; p++)
        {
            _parts[p].First = (int)((long)groups * p / n) * group;
            _parts[p].End = Math.Min(m, (int)((long)groups * (p + 1) / n) * group);
        }
        _activeParts = n;
        if (n == 1) _runPart(0);
        else Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = n }, _runPart);

        double loss = 0;
        for (int p = 0; p < n; p++) loss += _parts[p].Loss;
        if (_pass != Pass.Value)
        {
            for (int c = 0; c < _k; c++)
            {
                for (int j = 0; j < _d; j++)
                {
                    double sum = 0;
                    for (int p = 0; p < n; p++) sum += _parts[p].Gw[c * _dp + j];
                    gradientW[c * _d + j] = sum;
                }
                double sb = 0;
                for (int p = 0; p < n; p++) sb += _parts[p].Gb[c];
                gradientB[c] = sb;
            }
        }
        return loss;
    }

    private enum Pass { Value, Gradient, HessianVector }

    /// <summary>
    /// A float32 buffer whose first element starts a 64-byte cache line when it is made, so no 16-float (or 8-float)
    /// load of a row splits across two lines. Small buffers are zeroed on the pinned heap (the GC would move them);
    /// a large one (X) is left uninitialised on the large-object heap, as before, which the GC does not compact by
    /// default (if it ever moved, the offset would only lose the alignment, not the data).
    /// </summary>
    private sealed unsafe class AlignedFloats
    {
        private readonly float[] _array;
        private readonly int _offset;

        public AlignedFloats(int length, bool large = false)
        {
            _array = large ? GC.AllocateUninitializedArray<float>(checked(length + 16)) : GC.AllocateArray<float>(checked(length + 16), pinned: true);
            nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array));
            _offset = (int)((64 - address % 64) % 64 / sizeof(float));
            Length = length;
        }

        public int Length { get; }

        public Span<float> Span => _array.AsSpan(_offset, Length);

        public ref float Data => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_array), _offset);
    }

    /// <summary>One thread's rows and accumulators, allocated once.</summary>
    private sealed class Part(int kp, int dp)
    {
        public int First, End;
        public double Loss;
        public readonly double[] Gw = new double[kp * dp];
        public readonly double[] Gb = new double[kp];
        private readonly float[] _z = new float[BlockRows * kp];

        public void Run(FusedSoftmaxKernel kernel)
        {
            Loss = 0;
            var pass = kernel._pass;
            if (pass != Pass.Value)
            {
                Array.Clear(Gw);
                Array.Clear(Gb);
            }
            bool curvature = pass == Pass.HessianVector;
            if (kernel._wide)
            {
                RunWide(kernel, pass, curvature);
                return;
            }
            for (int r = First; r < End; r += BlockRows)
            {
                int rows = Math.Min(BlockRows, End - r);
                kernel.Logits(r, rows, _z, curvature ? kernel._v32 : kernel._w32, curvature ? kernel._vb32 : kernel._b32);
                if (curvature) kernel.Curvature(r, rows, _z, Gb);
                else Loss += kernel.Residuals(r, rows, _z, Gb, pass == Pass.Gradient);
                if (pass != Pass.Value) kernel.Accumulate(r, rows, _z, Gw);
            }
        }

        /// <summary>The same blocks by the AVX-512 loops; the block's logits are class-major (z[c·BlockRows + i]).</summary>
        private void RunWide(FusedSoftmaxKernel kernel, Pass pass, bool curvature)
        {
            for (int r = First; r < End; r += BlockRows)
            {
                int rows = Math.Min(BlockRows, End - r);
                kernel.LogitsWide(r, rows, _z, curvature ? kernel._v32 : kernel._w32, curvature ? kernel._vb32 : kernel._b32);
                if (curvature) kernel.CurvatureWide(r, rows, _z, Gb);
                else Loss += kernel.ResidualsWide(r, rows, _z, Gb, pass == Pass.Gradient);
                if (pass != Pass.Value) kernel.AccumulateWide(r, rows, _z, Gw, End);
            }
        }
    }

    /// <summary>z[(i − r)·kp + c] = W_c · x_i + b_c for the block's rows, two rows at a time (the pad row of an odd m is zeros).</summary>
    private void Logits(int r, int rows, float[] z, AlignedFloats weight, float[] bias)
    {
        ref float x = ref _xs.Data;
        ref float w = ref weight.Data;
        for (int i = 0; i < rows; i += 2)
        {
            ref float x0 = ref Unsafe.Add(ref x, (nint)(r + i) * _dp);
            ref float x1 = ref Unsafe.Add(ref x0, _dp);
            // The rows two pairs ahead come from memory (the second product then finds them in cache):
            // ask for them now, so the loads overlap this pair's arithmetic.
            if (i + 6 <= rows) Prefetch(ref Unsafe.Add(ref x0, 4 * _dp), 2 * _dp);
            for (int c0 = 0; c0 < _kp; c0 += NarrowClassTile)
                LogitsTile(ref x0, ref x1, ref Unsafe.Add(ref w, (nint)c0 * _dp), bias, z, i * _kp + c0, i + 1 < rows ? (i + 1) * _kp + c0 : -1);
        }
    }

    private static unsafe void Prefetch(ref float start, int count)
    {
        fixed (float* p = &start)
        {
            for (int j = 0; j < count; j += 16) Sse.Prefetch0(p + j);
        }
    }

    /// <summary>
    /// z for two rows × <see cref="NarrowClassTile"/> classes: ten accumulators, the two rows and one weight vector — 13 of
    /// AVX2's 16 vector registers (two rows × ten classes needed 23 and spilled to the stack on every column step).
    /// Each logit is the same sum in the same order as with any class tile, so the tile does not change the bits.
    /// </summary>
    private void LogitsTile(ref float x0, ref float x1, ref float w, float[] b, float[] z, int at0, int at1)
    {
        var a0 = Vector256<float>.Zero; var a1 = a0; var a2 = a0; var a3 = a0; var a4 = a0;
        var b0 = a0; var b1 = a0; var b2 = a0; var b3 = a0; var b4 = a0;
        nuint stride = (nuint)_dp;
        for (nuint j = 0; j < (nuint)_dp; j += 8)
        {
            var u = Vector256.LoadUnsafe(ref x0, j);
            var v = Vector256.LoadUnsafe(ref x1, j);
            var q = Vector256.LoadUnsafe(ref w, j); a0 = Fma.MultiplyAdd(u, q, a0); b0 = Fma.MultiplyAdd(v, q, b0);
            q = Vector256.LoadUnsafe(ref w, j + stride); a1 = Fma.MultiplyAdd(u, q, a1); b1 = Fma.MultiplyAdd(v, q, b1);
            q = Vector256.LoadUnsafe(ref w, j + 2 * stride); a2 = Fma.MultiplyAdd(u, q, a2); b2 = Fma.MultiplyAdd(v, q, b2);
            q = Vector256.LoadUnsafe(ref w, j + 3 * stride); a3 = Fma.MultiplyAdd(u, q, a3); b3 = Fma.MultiplyAdd(v, q, b3);
            q = Vector256.LoadUnsafe(ref w, j + 4 * stride); a4 = Fma.MultiplyAdd(u, q, a4); b4 = Fma.MultiplyAdd(v, q, b4);
        }
        int c = at0 % _kp;
        z[at0] = Vector256.Sum(a0) + b[c]; z[at0 + 1] = Vector256.Sum(a1) + b[c + 1];
        z[at0 + 2] = Vector256.Sum(a2) + b[c + 2]; z[at0 + 3] = Vector256.Sum(a3) + b[c + 3];
        z[at0 + 4] = Vector256.Sum(a4) + b[c + 4];
        if (at1 < 0) return;
        z[at1] = Vector256.Sum(b0) + b[c]; z[at1 + 1] = Vector256.Sum(b1) + b[c + 1];
        z[at1 + 2] = Vector256.Sum(b2) + b[c + 2]; z[at1 + 3] = Vector256.Sum(b3) + b[c + 3];
        z[at1 + 4] = Vector256.Sum(b4) + b[c + 4];
    }

    /// <summary>
    /// Σ sᵢ(logsumexp(zᵢ) − tᵢ·zᵢ) over the block in float64; with <paramref name="gradient"/> it overwrites z with
    /// Gᵢ = sᵢ(softmax(zᵢ) − tᵢ)/m (pad classes 0) and adds the rows of G to <paramref name="gb"/>.
    /// </summary>
    private double Residuals(int r, int rows, float[] z, double[] gb, bool gradient)
    {
        double loss = 0;
        float scale = 1f / _m;
        for (int i = 0; i < rows; i++)
        {
            int row = r + i, at = i * _kp, ti = row * _k;
            float max = float.NegativeInfinity;
            for (int c = 0; c < _k; c++) max = Math.Max(max, z[at + c]);
            double sum = 0, dot = 0;
            for (int c = 0; c < _k; c++)
            {
                float zc = z[at + c];
                dot += (double)_ts[ti + c] * zc;
                float e = MathF.Exp(zc - max);
                z[at + c] = e;
                sum += e;
            }
            double lse = max + Math.Log(sum);
            float s = _ws[row];
            loss += s * (lse - dot);
            if (!gradient) continue;
            float g = s * scale, inverse = (float)(1 / sum);
            long pi = (long)row * _kp;
            for (int c = 0; c < _k; c++)
            {
                float probability = z[at + c] * inverse;
                _p[pi + c] = probability;
                float v = g * (probability - _ts[ti + c]);
                z[at + c] = v;
                gb[c] += v;
            }
            for (int c = _k; c < _kp; c++) z[at + c] = 0;
        }
        return loss;
    }

    /// <summary>Overwrites u = z with Rᵢ = (sᵢ/m)(pᵢ ∘ uᵢ − pᵢ(pᵢ·uᵢ)) (pad classes 0) and adds the rows of R to <paramref name="gb"/>.</summary>
    private void Curvature(int r, int rows, float[] z, double[] gb)
    {
        float scale = 1f / _curvatureRows;
        for (int i = 0; i < rows; i++)
        {
            int row = r + i, at = i * _kp;
            long pi = (long)row * _kp;
            float pu = 0;
            for (int c = 0; c < _k; c++) pu += _p[pi + c] * z[at + c];
            float g = _ws[row] * scale;
            for (int c = 0; c < _k; c++)
            {
                float v = g * _p[pi + c] * (z[at + c] - pu);
                z[at + c] = v;
                gb[c] += v;
            }
            for (int c = _k; c < _kp; c++) z[at + c] = 0;
        }
    }

    /// <summary>gw[c, j] += Σᵢ G[i, c] x_ij over the block, sixteen columns × ten classes in registers, flushed to float64.</summary>
    private void Accumulate(int r, int rows, float[] g, double[] gw)
    {
        ref float x = ref Unsafe.Add(ref _xs.Data, (nint)r * _dp);
        ref double acc = ref MemoryMarshal.GetArrayDataReference(gw);
        ref float gr = ref MemoryMarshal.GetArrayDataReference(g);
        for (int c0 = 0; c0 < _kp; c0 += NarrowClassTile)
        {
            for (int j = 0; j < _dp; j += 16)
                AccumulateTile(ref Unsafe.Add(ref x, j), rows, ref Unsafe.Add(ref gr, c0), ref Unsafe.Add(ref acc, (nint)c0 * _dp + j));
        }
    }

    /// <summary>
    /// Sixteen columns × <see cref="NarrowClassTile"/> classes of gw over the block's rows: ten accumulators, two row vectors
    /// and one broadcast — 13 of AVX2's 16 registers (ten classes needed 23). Each accumulator sums the same rows in the
    /// same order as with any class tile, so the tile does not change the bits.
    /// </summary>
    private void AccumulateTile(ref float x, int rows, ref float g, ref double acc)
    {
        var a0 = Vector256<float>.Zero; var a1 = a0; var a2 = a0; var a3 = a0; var a4 = a0;
        var b0 = a0; var b1 = a0; var b2 = a0; var b3 = a0; var b4 = a0;
        for (int i = 0; i < rows; i++)
        {
            ref float xi = ref Unsafe.Add(ref x, (nint)i * _dp);
            ref float gi = ref Unsafe.Add(ref g, (nint)i * _kp);
            var u = Vector256.LoadUnsafe(ref xi);
            var v = Vector256.LoadUnsafe(ref xi, 8);
            var q = Vector256.Create(gi); a0 = Fma.MultiplyAdd(q, u, a0); b0 = Fma.MultiplyAdd(q, v, b0);
            q = Vector256.Create(Unsafe.Add(ref gi, 1)); a1 = Fma.MultiplyAdd(q, u, a1); b1 = Fma.MultiplyAdd(q, v, b1);
            q = Vector256.Create(Unsafe.Add(ref gi, 2)); a2 = Fma.MultiplyAdd(q, u, a2); b2 = Fma.MultiplyAdd(q, v, b2);
            q = Vector256.Create(Unsafe.Add(ref gi, 3)); a3 = Fma.MultiplyAdd(q, u, a3); b3 = Fma.MultiplyAdd(q, v, b3);
            q = Vector256.Create(Unsafe.Add(ref gi, 4)); a4 = Fma.MultiplyAdd(q, u, a4); b4 = Fma.MultiplyAdd(q, v, b4);
        }
        nint stride = _dp;
        Flush(ref acc, a0, b0); Flush(ref Unsafe.Add(ref acc, stride), a1, b1);
        Flush(ref Unsafe.Add(ref acc, 2 * stride), a2, b2); Flush(ref Unsafe.Add(ref acc, 3 * stride), a3, b3);
        Flush(ref Unsafe.Add(ref acc, 4 * stride), a4, b4);
    }

    /// <summary>Adds sixteen float32 partial sums (columns j..j+15) to the float64 accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Flush(ref double acc, Vector256<float> low, Vector256<float> high)
    {
        Add(ref acc, 0, Avx.ConvertToVector256Double(low.GetLower()));
        Add(ref acc, 4, Avx.ConvertToVector256Double(low.GetUpper()));
        Add(ref acc, 8, Avx.ConvertToVector256Double(high.GetLower()));
        Add(ref acc, 12, Avx.ConvertToVector256Double(high.GetUpper()));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(ref double acc, nuint at, Vector256<double> value) =>
        (Vector256.LoadUnsafe(ref acc, at) + value).StoreUnsafe(ref acc, at);
}
