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
/// stalls) while λ₂ ≤ <see cref="intercept_l2_cap"/>·βA_bb. Beyond, λ₂ dwarfs the data's curvature: with C = 1e-300
/// (λ₂ ≈ 1e297) it froze the intercepts at 0 (objective log 2, where Newton finds 0.66086 on breast cancer), so
/// there the intercepts get their exact curvature βA_bb and M⁻¹ is applied block-wise: the weights' block through
/// A_ww = U diag(α) Uᵀ, the intercept through its Schur complement βA_bb − qᵀP⁻¹q (q = βA_wb, P = βA_ww + λ₂I),
/// which loses no precision however far apart the two scales are. A is estimated from at most
/// <see cref="max_rows"/> evenly spaced rows.
/// </summary>
public sealed class CurvatureBoundPreconditioner : IDisposable
{
    /// <summary>Rows used to estimate A: beyond this the estimate barely changes and its cost (m·d² multiply-adds) would.</summary>
    public const int max_rows = 16384;

    /// <summary>Largest λ₂ applied to the intercepts, as a multiple of their own curvature βA_bb; beyond it, none (block solve).</summary>
    public const double intercept_l2_cap = 100;

    private readonly Tensor u;          // (p, p) eigenvectors of A, p = d + 1; in the block solve (d, d) of A_ww
    private readonly Tensor inverse;    // (p) 1/(β αⱼ + λ₂) on class-centred rows; in the block solve (d)
    private readonly Tensor? q;         // block solve: (d) β·A_wb, the weights–intercept coupling
    private readonly Tensor? pq;        // block solve: (d) P⁻¹q
    private readonly double schur;      // block solve: β·A_bb − qᵀP⁻¹q
    private readonly double mean_factor;
    private readonly int k, d, p;

    /// <summary>Builds M for features X (m, d), sample weights s (or null), K outputs and L2 strength λ₂ = (1 − ρ)/(C·m).</summary>
    public CurvatureBoundPreconditioner(Tensor x, Tensor? sample_weight, int n_outputs, double l2_strength)
    {
        long m = x.shape[0];
        d = checked((int)x.shape[1]);
        p = d + 1;
        k = n_outputs;
        using var scope = NewDisposeScope();
        long stride = (m + max_rows - 1) / max_rows;
        var rows = stride == 1 ? x : x.slice(0, 0, m, stride);
        var weights = sample_weight is null ? null : stride == 1 ? sample_weight : sample_weight.slice(0, 0, m, stride);
        long n = rows.shape[0];
        // The product in the features' dtype (float32 data: a float32 GEMM, several times faster; a preconditioner
        // need not be exact), the eigendecomposition in float64.
        var xt = cat(new[] { rows, ones(n, 1, dtype: rows.dtype) }, 1);
        var weighted = weights is null ? xt : xt * weights.to_type(rows.dtype).unsqueeze(1);
        var a = weighted.t().matmul(xt).to_type(ScalarType.Float64) / n;
        a = (a + a.t()) / 2;
        double beta = k == 1 ? 0.25 : 0.5;
        mean_factor = l2_strength > 0 ? 1 / l2_strength : 0;
        double r = beta * a[d, d].item<double>();
        if (l2_strength > intercept_l2_cap * r)
        {
            var (alphaW, vectorsW) = linalg.eigh(a.narrow(0, 0, d).narrow(1, 0, d).contiguous());
            var factors = tensor(alphaW.data<double>().ToArray().Select(v => 1 / (beta * Math.Max(v, 0) + l2_strength)).ToArray());
            var coupling = a.narrow(0, 0, d).select(1, d) * beta;
            var pinvq = vectorsW.matmul(factors * vectorsW.t().matmul(coupling));
            // A_bb is the mean weight (> 0); the floor keeps the intercept's factor finite when a column is constant.
            schur = Math.Max(r - coupling.dot(pinvq).item<double>(), 1e-10 * Math.Max(r, double.Epsilon));
            u = vectorsW.contiguous().DetachFromDisposeScope();
            inverse = factors.DetachFromDisposeScope();
            q = coupling.contiguous().DetachFromDisposeScope();
            pq = pinvq.contiguous().DetachFromDisposeScope();
            return;
        }
        var (alpha, vectors) = linalg.eigh(a);
        u = vectors.contiguous().DetachFromDisposeScope();
        var values = alpha.data<double>().ToArray();
        // Without an L2 term, directions A cannot see (collinear columns) get a floor instead of an infinite factor.
        double floor = l2_strength > 0 ? l2_strength : 1e-10 * Math.Max(values[^1], double.Epsilon);
        inverse = tensor(values.Select(v => 1 / (beta * Math.Max(v, 0) + floor)).ToArray()).DetachFromDisposeScope();
    }

    /// <summary>result = M⁻¹ v, for v in θ layout [vec(W); b] with K·(d + 1) entries.</summary>
    public void apply(double[] v, double[] result)
    {
        if (v.Length != k * p || result.Length != k * p)
            throw new ArgumentException($"The preconditioner works on vectors of K·(d + 1) = {k * p} entries; got {v.Length} and {result.Length}.");
        using var scope = NewDisposeScope();
        var theta = tensor(v);
        // Rows of V in X̃ coordinates: V[c] = [W_c, b_c].
        var rows = cat(new[] { theta.narrow(0, 0, (long)k * d).view(k, d), theta.narrow(0, (long)k * d, k).view(k, 1) }, 1);
        var mean = k > 1 ? rows.mean(new long[] { 0 }, keepdim: true) : zeros(1, p, dtype: ScalarType.Float64);
        var centred = rows - mean;
        Tensor back;
        if (q is null || pq is null)
        {
            back = centred.matmul(u).mul_(inverse).matmul(u.t()).add_(mean * mean_factor);
        }
        else
        {
            // [P q; qᵀ r] [x_w; x_b] = [v_w; v_b]: x_b = (v_b − qᵀP⁻¹v_w)/s, x_w = P⁻¹v_w − x_b P⁻¹q.
            var pinvw = centred.narrow(1, 0, d).matmul(u).mul_(inverse).matmul(u.t());
            var xb = (centred.select(1, d) - pinvw.matmul(q)) / schur;
            back = cat(new[] { pinvw - xb.unsqueeze(1) * pq.unsqueeze(0), xb.unsqueeze(1) }, 1).add_(mean * mean_factor);
        }
        var flat = cat(new[] { back.narrow(1, 0, d).flatten(), back.select(1, d) }).contiguous();
        flat.data<double>().CopyTo(result);
    }

    /// <summary>Frees the eigenvectors.</summary>
    public void Dispose()
    {
        u.Dispose();
        inverse.Dispose();
        q?.Dispose();
        pq?.Dispose();
    }
}
