using TorchLogistic.Native;
using static TorchSharp.torch;

namespace TorchLogistic.Objectives;

/// <summary>
/// The softmax cross-entropy data term of a small dense float64 problem, managed and single-threaded:
/// <code>
/// L = Σᵢ wᵢ (logsumexp(zᵢ) − tᵢ·zᵢ),  zᵢ = W xᵢ + b;   ∇W = Gᵀ X,  ∇b = Σᵢ Gᵢ,  Gᵢ = wᵢ (pᵢ − tᵢ)
/// ∇²·v:  uᵢ = V xᵢ + v_b,  Rᵢ = wᵢ (pᵢ ∘ uᵢ − pᵢ (pᵢ·uᵢ)),  result_W = Rᵀ X,  result_b = Σᵢ Rᵢ
/// ∇²:    block (k, l) = X̃ᵀ diag(wᵢ pᵢₖ (δₖₗ − pᵢₗ)) X̃,  X̃ = [X, 1]
/// </code>
/// (wᵢ the loss layer's row weights sᵢ/m, tᵢ targets summing to 1, pᵢ = softmax(zᵢ)). Why: on problems of a few
/// thousand rows and tens of columns (digits' cross-validation folds: 1 437 × 64, ten classes) every libtorch call
/// costs more than its arithmetic — a Hessian-vector product through the loss layer took 2–4 ms for 2 MFLOP — and
/// the loss layer's Hessian, built block by block, took 200 ms. Here a gradient keeps its probabilities, a
/// Hessian-vector product at that θ is two passes over X with no allocation, and the Hessian is one GEMM
/// <c>Cᵀ·Q</c> of the (m × K(K+1)/2) curvature coefficients against the (m × D(D+1)/2) upper triangles of x̃ᵢx̃ᵢᵀ
/// (D = d + 1), which are formed once. No implicit Scalar reaches libtorch (the GEMM is a plain matmul), so folds
/// may run it on several threads at once.
/// <para>
/// A second copy of the formulas of <see cref="Losses.PointwiseCrossEntropy"/> (as <see cref="FusedSoftmaxKernel"/>
/// is for float32): an optional fast path behind <see cref="LinearModelObjective"/>, checked against its loss-layer
/// path by tests. One kernel must not be used from two threads at once.
/// </para>
/// </summary>
internal sealed class DenseSoftmaxKernel : IDisposable
{
    /// <summary>Largest m·D(D+1)/2 for which <see cref="Hessian"/> forms the outer-product rows (8 bytes each: 128 MB).</summary>
    public const long MaxOuterProductEntries = 1L << 24;

    private readonly double[] _x;   // (m, d) row-major
    private readonly double[] _t;   // (m, k) targets
    private readonly double[] _w;   // (m) row weights
    private readonly int _m, _d, _k;
    private readonly double[] _p;   // (m, k) probabilities at the last gradient evaluation
    private readonly double[] _z;   // (k) scratch
    private Tensor? _outer;         // (m, D(D+1)/2) upper triangles of x̃ᵢx̃ᵢᵀ, formed on the first Hessian

    /// <summary>Holds X, the targets and the row weights (not copied: the caller's arrays must not change).</summary>
    /// <param name="x">X, (m, d) row-major.</param>
    /// <param name="m">Rows.</param>
    /// <param name="d">Columns.</param>
    /// <param name="k">Classes K ≥ 2.</param>
    /// <param name="targets">(m, K) row-major, rows summing to 1.</param>
    /// <param name="rowWeights">wᵢ (m).</param>
    public DenseSoftmaxKernel(double[] x, int m, int d, int k, double[] targets, double[] rowWeights)
    {
        if (x.Length != (long)m * d || targets.Length != (long)m * k || rowWeights.Length != m)
            throw new ArgumentException("The kernel's arrays do not match (m, d, K).");
        _x = x;
        _t = targets;
        _w = rowWeights;
        _m = m;
        _d = d;
        _k = k;
        _p = new double[(long)m * k];
        _z = new double[k];
    }

    /// <summary>Whether the probabilities of a gradient evaluation are kept (<see cref="HessianVector"/> and <see cref="Hessian"/> are at its θ).</summary>
    public bool HasProbabilities { get; private set; }

    /// <summary>Whether <see cref="Hessian"/> may form its outer-product rows for this size (else the caller uses another path).</summary>
    public bool CanFormHessian(bool fitIntercept)
    {
        long dd = _d + (fitIntercept ? 1 : 0);
        return (long)_m * (dd * (dd + 1) / 2) <= MaxOuterProductEntries;
    }

    /// <summary>The data term L; with a gradient buffer, ∇W ((K, d) row-major) and ∇b, keeping the probabilities.</summary>
    /// <param name="weight">W, (K, d) row-major.</param>
    /// <param name="bias">b (K), zeros without an intercept.</param>
    /// <param name="gradientW">Receives ∇W, or empty for the value only.</param>
    /// <param name="gradientB">Receives ∇b (K), or empty.</param>
    public double Evaluate(ReadOnlySpan<double> weight, ReadOnlySpan<double> bias, Span<double> gradientW, Span<double> gradientB)
    {
        bool gradient = !gradientW.IsEmpty;
        if (gradient)
        {
            gradientW.Clear();
            gradientB.Clear();
            HasProbabilities = false;
        }
        double loss = 0;
        var z = _z.AsSpan();
        for (int i = 0; i < _m; i++)
        {
            var xi = _x.AsSpan(i * _d, _d);
            double max = double.NegativeInfinity;
            for (int c = 0; c < _k; c++)
            {
                z[c] = SpanMath.Dot(weight.Slice(c * _d, _d), xi) + bias[c];
                if (z[c] > max) max = z[c];
            }
            double sum = 0, tz = 0;
            var ti = _t.AsSpan(i * _k, _k);
            for (int c = 0; c < _k; c++)
            {
                sum += Math.Exp(z[c] - max);
                tz += ti[c] * z[c];
            }
            double wi = _w[i];
            loss += wi * (max + Math.Log(sum) - tz);
            if (!gradient) continue;
            var pi = _p.AsSpan(i * _k, _k);
            for (int c = 0; c < _k; c++)
            {
                pi[c] = Math.Exp(z[c] - max) / sum;
                double r = wi * (pi[c] - ti[c]);
                if (r == 0) continue;
                SpanMath.Axpy(r, xi, gradientW.Slice(c * _d, _d));
                gradientB[c] += r;
            }
        }
        if (gradient) HasProbabilities = true;
        return loss;
    }

    /// <summary>The data term's Hessian at the last gradient evaluation times v = [V; v_b].</summary>
    /// <param name="directionW">V, (K, d) row-major.</param>
    /// <param name="directionB">v_b (K), zeros without an intercept.</param>
    /// <param name="resultW">Receives the W part.</param>
    /// <param name="resultB">Receives the b part (K).</param>
    public void HessianVector(ReadOnlySpan<double> directionW, ReadOnlySpan<double> directionB, Span<double> resultW, Span<double> resultB)
    {
        if (!HasProbabilities) throw new InvalidOperationException("A Hessian-vector product needs a gradient evaluation first (its probabilities).");
        resultW.Clear();
        resultB.Clear();
        var u = _z.AsSpan();
        for (int i = 0; i < _m; i++)
        {
            var xi = _x.AsSpan(i * _d, _d);
            var pi = _p.AsSpan(i * _k, _k);
            double pu = 0;
            for (int c = 0; c < _k; c++)
            {
                u[c] = SpanMath.Dot(directionW.Slice(c * _d, _d), xi) + directionB[c];
                pu += pi[c] * u[c];
            }
            double wi = _w[i];
            for (int c = 0; c < _k; c++)
            {
                double r = wi * pi[c] * (u[c] - pu);
                if (r == 0) continue;
                SpanMath.Axpy(r, xi, resultW.Slice(c * _d, _d));
                resultB[c] += r;
            }
        }
    }

    /// <summary>
    /// The data term's Hessian at the last gradient evaluation, (n × n) row-major in θ's order ([vec(W); b], n = K·d
    /// (+ K with an intercept)), into <paramref name="result"/> (the penalty is the caller's).
    /// </summary>
    /// <param name="result">n × n entries.</param>
    /// <param name="fitIntercept">Whether θ ends with the K intercepts.</param>
    public void Hessian(double[] result, bool fitIntercept)
    {
        if (!HasProbabilities) throw new InvalidOperationException("A Hessian needs a gradient evaluation first (its probabilities).");
        int dd = _d + (fitIntercept ? 1 : 0);
        int q = dd * (dd + 1) / 2;
        int pairs = _k * (_k + 1) / 2;
        int n = _k * dd;
        if (result.Length != (long)n * n) throw new ArgumentException($"The Hessian has {n}² entries; got {result.Length}.", nameof(result));
        _outer ??= OuterRows(dd, q);
        var coefficients = new double[(long)_m * pairs];
        for (int i = 0; i < _m; i++)
        {
            var pi = _p.AsSpan(i * _k, _k);
            double wi = _w[i];
            int at = i * pairs;
            for (int k = 0; k < _k; k++)
            {
                double wp = wi * pi[k];
                for (int l = k; l < _k; l++) coefficients[at++] = wp * ((k == l ? 1 : 0) - pi[l]);
            }
        }
        double[] blocks;
        using (var scope = NewDisposeScope())
        {
            var c = tensor(coefficients, new long[] { _m, pairs }, ScalarType.Float64);
            blocks = c.t().matmul(_outer).contiguous().data<double>().ToArray();
        }
        // θ's index of (class k, column a of x̃): the weights first, the intercepts (a = d) after them.
        int Index(int k, int a) => a < _d ? k * _d + a : _k * _d + k;
        int pair = 0;
        for (int k = 0; k < _k; k++)
        {
            for (int l = k; l < _k; l++, pair++)
            {
                int entry = 0;
                long row = (long)pair * q;
                for (int a = 0; a < dd; a++)
                {
                    for (int b = a; b < dd; b++, entry++)
                    {
                        double h = blocks[row + entry];
                        int ka = Index(k, a), lb = Index(l, b), kb = Index(k, b), la = Index(l, a);
                        result[(long)ka * n + lb] = h;
                        result[(long)lb * n + ka] = h;
                        result[(long)kb * n + la] = h;
                        result[(long)la * n + kb] = h;
                    }
                }
            }
        }
    }

    /// <summary>Frees the outer-product rows.</summary>
    public void Dispose()
    {
        _outer?.Dispose();
        _outer = null;
    }

    private Tensor OuterRows(int dd, int q)
    {
        var outer = GC.AllocateUninitializedArray<double>(checked(_m * q));
        var xt = new double[dd];
        for (int i = 0; i < _m; i++)
        {
            Array.Copy(_x, (long)i * _d, xt, 0, _d);
            if (dd > _d) xt[_d] = 1;
            int at = i * q;
            for (int a = 0; a < dd; a++)
            {
                double xa = xt[a];
                for (int b = a; b < dd; b++) outer[at++] = xa * xt[b];
            }
        }
        using var scope = NewDisposeScope();
        return tensor(outer, new long[] { _m, q }, ScalarType.Float64).DetachFromDisposeScope();
    }
}
