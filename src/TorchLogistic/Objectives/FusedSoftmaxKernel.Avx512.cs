using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TorchLogistic.Objectives;

/// <summary>
/// The AVX-512 loops of the kernel (<see cref="IsAvx512"/>): the same blocks, products and sums as the AVX2 loops,
/// on 16-float lanes. The block's logits are kept class-major (z[c·BlockRows + i]) so the residuals run over sixteen
/// rows at a time (exp and log vectorised; log and the row losses in float64); the targets and the kept probabilities
/// are class-major over all rows ((K, m)) for the same reason. Rows not filling a vector (only at the end of the
/// rows) take a scalar loop of the same formulas.
/// </summary>
internal sealed partial class FusedSoftmaxKernel
{
    /// <summary>Rows in one vector of the residual loops; threads' row ranges start at multiples of it.</summary>
    private const int RowLanes = 16;

    /// <summary>
    /// z[c·BlockRows + (i − r)] = W_c · x_i + b_c for the block's rows, two rows at a time (of an odd count the pad
    /// slot after the last row gets a sum no one reads). W is in the interleaved layout of <see cref="WeightIndex"/>.
    /// </summary>
    private void LogitsWide(int r, int rows, float[] z, AlignedFloats weight, float[] bias)
    {
        ref float x = ref _xs.Data;
        ref float w = ref weight.Data;
        for (int i = 0; i < rows; i += 2)
        {
            ref float x0 = ref Unsafe.Add(ref x, (nint)(r + i) * _dp);
            if (i + 6 <= rows) Prefetch(ref Unsafe.Add(ref x0, 4 * _dp), 2 * _dp);
            for (int c0 = 0; c0 < _kp; c0 += ClassTile)
                LogitsTileWide(ref x0, ref Unsafe.Add(ref w, (nint)c0 * _dp), bias, z, c0, i);
        }
    }

    private void LogitsTileWide(ref float x0, ref float w, float[] b, float[] z, int c0, int i)
    {
        // Two rows × ten classes of 16-float partial sums: 20 of the 32 vector registers; the ten classes' weights
        // for columns j..j+15 are 160 consecutive floats.
        ref float x1 = ref Unsafe.Add(ref x0, _dp);
        var a0 = Vector512<float>.Zero; var a1 = a0; var a2 = a0; var a3 = a0; var a4 = a0;
        var a5 = a0; var a6 = a0; var a7 = a0; var a8 = a0; var a9 = a0;
        var b0 = a0; var b1 = a0; var b2 = a0; var b3 = a0; var b4 = a0;
        var b5 = a0; var b6 = a0; var b7 = a0; var b8 = a0; var b9 = a0;
        ref float wj = ref w;
        for (nuint j = 0; j < (nuint)_dp; j += 16)
        {
            var u = Vector512.LoadUnsafe(ref x0, j);
            var v = Vector512.LoadUnsafe(ref x1, j);
            var q = Vector512.LoadUnsafe(ref wj); a0 = Avx512F.FusedMultiplyAdd(u, q, a0); b0 = Avx512F.FusedMultiplyAdd(v, q, b0);
            q = Vector512.LoadUnsafe(ref wj, 16); a1 = Avx512F.FusedMultiplyAdd(u, q, a1); b1 = Avx512F.FusedMultiplyAdd(v, q, b1);
            q = Vector512.LoadUnsafe(ref wj, 32); a2 = Avx512F.FusedMultiplyAdd(u, q, a2); b2 = Avx512F.FusedMultiplyAdd(v, q, b2);
            q = Vector512.LoadUnsafe(ref wj, 48); a3 = Avx512F.FusedMultiplyAdd(u, q, a3); b3 = Avx512F.FusedMultiplyAdd(v, q, b3);
            q = Vector512.LoadUnsafe(ref wj, 64); a4 = Avx512F.FusedMultiplyAdd(u, q, a4); b4 = Avx512F.FusedMultiplyAdd(v, q, b4);
            q = Vector512.LoadUnsafe(ref wj, 80); a5 = Avx512F.FusedMultiplyAdd(u, q, a5); b5 = Avx512F.FusedMultiplyAdd(v, q, b5);
            q = Vector512.LoadUnsafe(ref wj, 96); a6 = Avx512F.FusedMultiplyAdd(u, q, a6); b6 = Avx512F.FusedMultiplyAdd(v, q, b6);
            q = Vector512.LoadUnsafe(ref wj, 112); a7 = Avx512F.FusedMultiplyAdd(u, q, a7); b7 = Avx512F.FusedMultiplyAdd(v, q, b7);
            q = Vector512.LoadUnsafe(ref wj, 128); a8 = Avx512F.FusedMultiplyAdd(u, q, a8); b8 = Avx512F.FusedMultiplyAdd(v, q, b8);
            q = Vector512.LoadUnsafe(ref wj, 144); a9 = Avx512F.FusedMultiplyAdd(u, q, a9); b9 = Avx512F.FusedMultiplyAdd(v, q, b9);
            wj = ref Unsafe.Add(ref wj, 16 * ClassTile);
        }
        ref float zc = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(z), c0 * BlockRows + i);
        StoreSums(ref zc, a0, b0, a1, b1, b[c0], b[c0 + 1]);
        StoreSums(ref Unsafe.Add(ref zc, 2 * BlockRows), a2, b2, a3, b3, b[c0 + 2], b[c0 + 3]);
        StoreSums(ref Unsafe.Add(ref zc, 4 * BlockRows), a4, b4, a5, b5, b[c0 + 4], b[c0 + 5]);
        StoreSums(ref Unsafe.Add(ref zc, 6 * BlockRows), a6, b6, a7, b7, b[c0 + 6], b[c0 + 7]);
        StoreSums(ref Unsafe.Add(ref zc, 8 * BlockRows), a8, b8, a9, b9, b[c0 + 8], b[c0 + 9]);
    }

    /// <summary>Index of W[c, j] in the AVX-512 path's float32 weights: per tile of ten classes, per 16 columns, the ten classes' 16 floats.</summary>
    private int WeightIndex(int c, int j) => (c / ClassTile) * ClassTile * _dp + (j / 16) * 16 * ClassTile + (c % ClassTile) * 16 + j % 16;

    /// <summary>z[0..1] = (Σa0, Σb0) + bias0 and z[BlockRows..+1] = (Σa1, Σb1) + bias1: each sum folded to four lanes, then two horizontal adds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSums(ref float z, Vector512<float> a0, Vector512<float> b0, Vector512<float> a1, Vector512<float> b1, float bias0, float bias1)
    {
        var h = Sse3.HorizontalAdd(Sse3.HorizontalAdd(Fold(a0), Fold(b0)), Sse3.HorizontalAdd(Fold(a1), Fold(b1)))
            + Vector128.Create(bias0, bias0, bias1, bias1);
        Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref z), h.AsUInt64().ToScalar());
        Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref z, BlockRows)), h.AsUInt64().GetElement(1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Fold(Vector512<float> v)
    {
        var half = v.GetLower() + v.GetUpper();
        return half.GetLower() + half.GetUpper();
    }

    /// <summary>
    /// As <see cref="Residuals"/> on the class-major block: Σ sᵢ ℓᵢ in float64, and with <paramref name="gradient"/>
    /// z overwritten with Gᵢ (pad classes 0), the probabilities kept and the rows of G added to <paramref name="gb"/>.
    /// </summary>
    private double ResidualsWide(int r, int rows, float[] z, double[] gb, bool gradient)
    {
        int full = rows - rows % RowLanes;
        var loss = Vector512<double>.Zero;
        var scale = Vector512.Create(1f / _m);
        ref float zr = ref MemoryMarshal.GetArrayDataReference(z);
        ref float t = ref MemoryMarshal.GetArrayDataReference(_ts);
        ref float p = ref MemoryMarshal.GetArrayDataReference(_p);
        ref float weights = ref MemoryMarshal.GetArrayDataReference(_ws);
        for (int i = 0; i < full; i += RowLanes)
        {
            int row = r + i;
            var max = Vector512.LoadUnsafe(ref zr, (nuint)i);
            for (int c = 1; c < _k; c++) max = Avx512F.Max(max, Vector512.LoadUnsafe(ref zr, (nuint)(c * BlockRows + i)));
            var sum = Vector512<float>.Zero;
            var dot = Vector512<float>.Zero;
            for (int c = 0; c < _k; c++)
            {
                nuint at = (nuint)(c * BlockRows + i);
                var shifted = Vector512.LoadUnsafe(ref zr, at) - max;
                dot = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref t, (nuint)((long)c * _m + row)), shifted, dot);
                var e = Vector512.Exp(shifted);
                e.StoreUnsafe(ref zr, at);
                sum += e;
            }
            // ℓᵢ = log Σ_c exp(z_ic − max) − tᵢ·(zᵢ − max) (rows of t sum to 1), in float64.
            var s = Vector512.LoadUnsafe(ref weights, (nuint)row);
            loss += Avx512F.ConvertToVector512Double(s.GetLower())
                * (Vector512.Log(Avx512F.ConvertToVector512Double(sum.GetLower())) - Avx512F.ConvertToVector512Double(dot.GetLower()));
            loss += Avx512F.ConvertToVector512Double(s.GetUpper())
                * (Vector512.Log(Avx512F.ConvertToVector512Double(sum.GetUpper())) - Avx512F.ConvertToVector512Double(dot.GetUpper()));
            if (!gradient) continue;
            var g = s * scale;
            var inverse = Vector512<float>.One / sum;
            for (int c = 0; c < _k; c++)
            {
                nuint at = (nuint)(c * BlockRows + i), pt = (nuint)((long)c * _m + row);
                var probability = Vector512.LoadUnsafe(ref zr, at) * inverse;
                probability.StoreUnsafe(ref p, pt);
                var v = g * (probability - Vector512.LoadUnsafe(ref t, pt));
                v.StoreUnsafe(ref zr, at);
                gb[c] += Vector512.Sum(v);
            }
        }
        double total = Vector512.Sum(loss);
        for (int i = full; i < rows; i++)
        {
            int row = r + i;
            float max = float.NegativeInfinity;
            for (int c = 0; c < _k; c++) max = Math.Max(max, z[c * BlockRows + i]);
            float sum = 0, dot = 0;
            for (int c = 0; c < _k; c++)
            {
                float shifted = z[c * BlockRows + i] - max;
                dot += _ts[c * _m + row] * shifted;
                float e = MathF.Exp(shifted);
                z[c * BlockRows + i] = e;
                sum += e;
            }
            float s = _ws[row];
            total += s * (Math.Log(sum) - dot);
            if (!gradient) continue;
            float g = s / _m, inverse = 1 / sum;
            for (int c = 0; c < _k; c++)
            {
                float probability = z[c * BlockRows + i] * inverse;
                _p[c * _m + row] = probability;
                float v = g * (probability - _ts[c * _m + row]);
                z[c * BlockRows + i] = v;
                gb[c] += v;
            }
        }
        if (gradient) ClearPadClasses(z);
        return total;
    }

    /// <summary>As <see cref="Curvature"/> on the class-major block: u = z overwritten with Rᵢ (pad classes 0), the rows of R added to <paramref name="gb"/>.</summary>
    private void CurvatureWide(int r, int rows, float[] z, double[] gb)
    {
        int full = rows - rows % RowLanes;
        var scale = Vector512.Create(1f / _curvatureRows);
        ref float zr = ref MemoryMarshal.GetArrayDataReference(z);
        ref float p = ref MemoryMarshal.GetArrayDataReference(_p);
        ref float weights = ref MemoryMarshal.GetArrayDataReference(_ws);
        for (int i = 0; i < full; i += RowLanes)
        {
            int row = r + i;
            var pu = Vector512<float>.Zero;
            for (int c = 0; c < _k; c++)
                pu = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref p, (nuint)((long)c * _m + row)), Vector512.LoadUnsafe(ref zr, (nuint)(c * BlockRows + i)), pu);
            var g = Vector512.LoadUnsafe(ref weights, (nuint)row) * scale;
            for (int c = 0; c < _k; c++)
            {
                nuint at = (nuint)(c * BlockRows + i);
                var v = g * Vector512.LoadUnsafe(ref p, (nuint)((long)c * _m + row)) * (Vector512.LoadUnsafe(ref zr, at) - pu);
                v.StoreUnsafe(ref zr, at);
                gb[c] += Vector512.Sum(v);
            }
        }
        for (int i = full; i < rows; i++)
        {
            int row = r + i;
            float pu = 0;
            for (int c = 0; c < _k; c++) pu += _p[c * _m + row] * z[c * BlockRows + i];
            float g = _ws[row] / _curvatureRows;
            for (int c = 0; c < _k; c++)
            {
                float v = g * _p[c * _m + row] * (z[c * BlockRows + i] - pu);
                z[c * BlockRows + i] = v;
                gb[c] += v;
            }
        }
        ClearPadClasses(z);
    }

    private void ClearPadClasses(float[] z) => z.AsSpan(_k * BlockRows, (_kp - _k) * BlockRows).Clear();

    /// <summary>
    /// gw[c, j] += Σᵢ G[i, c] x_ij over the block: 32 columns × ten classes in registers (16 for an odd last chunk),
    /// flushed to float64. While these products run from cache, the rows of the part's next block (before
    /// <paramref name="end"/>) are requested from memory, 128 bytes per row step, so its logits find them in L2.
    /// </summary>
    private unsafe void AccumulateWide(int r, int rows, float[] g, double[] gw, int end)
    {
        ref float x = ref Unsafe.Add(ref _xs.Data, (nint)r * _dp);
        ref double acc = ref MemoryMarshal.GetArrayDataReference(gw);
        ref float gr = ref MemoryMarshal.GetArrayDataReference(g);
        int ahead = Math.Min(BlockRows, end - r - rows) * _dp, step = rows * 32;
        fixed (float* xs = &_xs.Data)
        {
            float* next = xs + (nint)(r + rows) * _dp;
            for (int c0 = 0; c0 < _kp; c0 += ClassTile)
            {
                ref float gc = ref Unsafe.Add(ref gr, c0 * BlockRows);
                ref double ac = ref Unsafe.Add(ref acc, (nint)c0 * _dp);
                int j = 0, left = c0 == 0 ? ahead : 0;
                for (; j + 32 <= _dp; j += 32, next += step, left -= step)
                    AccumulateTileWide(ref Unsafe.Add(ref x, j), rows, ref gc, ref Unsafe.Add(ref ac, j), next, left);
                if (j < _dp) AccumulateTileWideHalf(ref Unsafe.Add(ref x, j), rows, ref gc, ref Unsafe.Add(ref ac, j), next, left);
            }
        }
    }

    private unsafe void AccumulateTileWide(ref float x, int rows, ref float g, ref double acc, float* next, int ahead)
    {
        var a0 = Vector512<float>.Zero; var a1 = a0; var a2 = a0; var a3 = a0; var a4 = a0;
        var a5 = a0; var a6 = a0; var a7 = a0; var a8 = a0; var a9 = a0;
        var b0 = a0; var b1 = a0; var b2 = a0; var b3 = a0; var b4 = a0;
        var b5 = a0; var b6 = a0; var b7 = a0; var b8 = a0; var b9 = a0;
        for (int i = 0; i < rows; i++)
        {
            ref float xi = ref Unsafe.Add(ref x, (nint)i * _dp);
            ref float gi = ref Unsafe.Add(ref g, i);
            if (i * 32 < ahead)
            {
                Sse.Prefetch1(next + i * 32);
                Sse.Prefetch1(next + i * 32 + 16);
            }
            var u = Vector512.LoadUnsafe(ref xi);
            var v = Vector512.LoadUnsafe(ref xi, 16);
            var q = Vector512.Create(gi); a0 = Avx512F.FusedMultiplyAdd(q, u, a0); b0 = Avx512F.FusedMultiplyAdd(q, v, b0);
            q = Vector512.Create(Unsafe.Add(ref gi, BlockRows)); a1 = Avx512F.FusedMultiplyAdd(q, u, a1); b1 = Avx512F.FusedMultiplyAdd(q, v, b1);
            q = Vector512.Create(Unsafe.Add(ref gi, 2 * BlockRows)); a2 = Avx512F.FusedMultiplyAdd(q, u, a2); b2 = Avx512F.FusedMultiplyAdd(q, v, b2);
            q = Vector512.Create(Unsafe.Add(ref gi, 3 * BlockRows)); a3 = Avx512F.FusedMultiplyAdd(q, u, a3); b3 = Avx512F.FusedMultiplyAdd(q, v, b3);
            q = Vector512.Create(Unsafe.Add(ref gi, 4 * BlockRows)); a4 = Avx512F.FusedMultiplyAdd(q, u, a4); b4 = Avx512F.FusedMultiplyAdd(q, v, b4);
            q = Vector512.Create(Unsafe.Add(ref gi, 5 * BlockRows)); a5 = Avx512F.FusedMultiplyAdd(q, u, a5); b5 = Avx512F.FusedMultiplyAdd(q, v, b5);
            q = Vector512.Create(Unsafe.Add(ref gi, 6 * BlockRows)); a6 = Avx512F.FusedMultiplyAdd(q, u, a6); b6 = Avx512F.FusedMultiplyAdd(q, v, b6);
            q = Vector512.Create(Unsafe.Add(ref gi, 7 * BlockRows)); a7 = Avx512F.FusedMultiplyAdd(q, u, a7); b7 = Avx512F.FusedMultiplyAdd(q, v, b7);
            q = Vector512.Create(Unsafe.Add(ref gi, 8 * BlockRows)); a8 = Avx512F.FusedMultiplyAdd(q, u, a8); b8 = Avx512F.FusedMultiplyAdd(q, v, b8);
            q = Vector512.Create(Unsafe.Add(ref gi, 9 * BlockRows)); a9 = Avx512F.FusedMultiplyAdd(q, u, a9); b9 = Avx512F.FusedMultiplyAdd(q, v, b9);
        }
        nint stride = _dp;
        FlushWide(ref acc, a0, b0); FlushWide(ref Unsafe.Add(ref acc, stride), a1, b1);
        FlushWide(ref Unsafe.Add(ref acc, 2 * stride), a2, b2); FlushWide(ref Unsafe.Add(ref acc, 3 * stride), a3, b3);
        FlushWide(ref Unsafe.Add(ref acc, 4 * stride), a4, b4); FlushWide(ref Unsafe.Add(ref acc, 5 * stride), a5, b5);
        FlushWide(ref Unsafe.Add(ref acc, 6 * stride), a6, b6); FlushWide(ref Unsafe.Add(ref acc, 7 * stride), a7, b7);
        FlushWide(ref Unsafe.Add(ref acc, 8 * stride), a8, b8); FlushWide(ref Unsafe.Add(ref acc, 9 * stride), a9, b9);
    }

    private unsafe void AccumulateTileWideHalf(ref float x, int rows, ref float g, ref double acc, float* next, int ahead)
    {
        var a0 = Vector512<float>.Zero; var a1 = a0; var a2 = a0; var a3 = a0; var a4 = a0;
        var a5 = a0; var a6 = a0; var a7 = a0; var a8 = a0; var a9 = a0;
        for (int i = 0; i < rows; i++)
        {
            ref float gi = ref Unsafe.Add(ref g, i);
            if (i * 32 < ahead)
            {
                Sse.Prefetch1(next + i * 32);
                Sse.Prefetch1(next + i * 32 + 16);
            }
            var u = Vector512.LoadUnsafe(ref Unsafe.Add(ref x, (nint)i * _dp));
            a0 = Avx512F.FusedMultiplyAdd(Vector512.Create(gi), u, a0);
            a1 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref gi, BlockRows)), u, a1);
            a2 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref gi, 2 * BlockRows)), u, a2);
            a3 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref gi, 3 * BlockRows)), u, a3);
            a4 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref gi, 4 * BlockRows)), u, a4);
            a5 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref gi, 5 * BlockRows)), u, a5);
            a6 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref gi, 6 * BlockRows)), u, a6);
            a7 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref gi, 7 * BlockRows)), u, a7);
            a8 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref gi, 8 * BlockRows)), u, a8);
            a9 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref gi, 9 * BlockRows)), u, a9);
        }
        nint stride = _dp;
        FlushWide(ref acc, a0); FlushWide(ref Unsafe.Add(ref acc, stride), a1);
        FlushWide(ref Unsafe.Add(ref acc, 2 * stride), a2); FlushWide(ref Unsafe.Add(ref acc, 3 * stride), a3);
        FlushWide(ref Unsafe.Add(ref acc, 4 * stride), a4); FlushWide(ref Unsafe.Add(ref acc, 5 * stride), a5);
        FlushWide(ref Unsafe.Add(ref acc, 6 * stride), a6); FlushWide(ref Unsafe.Add(ref acc, 7 * stride), a7);
        FlushWide(ref Unsafe.Add(ref acc, 8 * stride), a8); FlushWide(ref Unsafe.Add(ref acc, 9 * stride), a9);
    }

    /// <summary>Adds sixteen float32 partial sums (columns j..j+15) to the float64 accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FlushWide(ref double acc, Vector512<float> sums)
    {
        (Vector512.LoadUnsafe(ref acc) + Avx512F.ConvertToVector512Double(sums.GetLower())).StoreUnsafe(ref acc);
        (Vector512.LoadUnsafe(ref acc, 8) + Avx512F.ConvertToVector512Double(sums.GetUpper())).StoreUnsafe(ref acc, 8);
    }

    /// <summary>Adds 32 float32 partial sums (columns j..j+31) to the float64 accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FlushWide(ref double acc, Vector512<float> low, Vector512<float> high)
    {
        FlushWide(ref acc, low);
        FlushWide(ref Unsafe.Add(ref acc, 16), high);
    }
}
