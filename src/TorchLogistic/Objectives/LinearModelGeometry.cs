using TorchLogistic.Native;
using TorchLogistic.Sparse;
using static TorchSharp.torch;

namespace TorchLogistic.Objectives;

/// <summary>
/// Facts about the linear-model objective that solvers use: an upper bound L on the Lipschitz constant of ∇f
/// (the curvature bound behind the step 1/L of <c>gd-lipschitz</c> and <c>fista</c>) and the directions along
/// which softmax's f is flat (which Newton's method must leave alone).
/// </summary>
public static class LinearModelGeometry
{
    /// <summary>Factor applied to the power-iteration estimate of λmax, which approaches λmax from below.</summary>
    public const double PowerIterationMargin = 1.01;

    /// <summary>
    /// An upper bound on the Lipschitz constant of ∇f:
    /// <code>
    /// L = c_K · λmax(X̃ᵀ S X̃) / m + λ₂,   X̃ = [X, 1] (X without an intercept),  S = diag(sᵢ),  c₁ = 1/4,  c_K = 1/2 for K ≥ 2
    /// </code>
    /// Why it bounds ∇²f everywhere: for K = 1, ∇²f = X̃ᵀ diag(sᵢ pᵢ(1 − pᵢ)) X̃ / m + λ₂ I_W and p(1 − p) ≤ 1/4;
    /// for K ≥ 2 the Hessian of cross-entropy in the logits is diag(p) − ppᵀ ⪯ ½(I − 11ᵀ/K) ⪯ ½I (Böhning 1992),
    /// so ∇²f ⪯ ½ I_K ⊗ X̃ᵀSX̃/m + λ₂ I. λmax comes from power iteration (Rayleigh quotient, stopped at a relative
    /// change of 1e-9 or 1000 iterations) times <see cref="PowerIterationMargin"/>.
    /// </summary>
    /// <param name="x">X, shape (m, d), dense or sparse.</param>
    /// <param name="s">sᵢ, shape (m), or null for ones.</param>
    /// <param name="outputCount">K.</param>
    /// <param name="l2Strength">λ₂.</param>
    /// <param name="fitIntercept">Whether the model has intercepts (default true: X̃ = [X, 1]; false: X̃ = X).</param>
    public static double LipschitzBound(FeatureMatrix x, Tensor? s, long outputCount, double l2Strength, bool fitIntercept = true)
    {
        long m = x.RowCount, d = x.ColumnCount;
        double lambda = LargestEigenvalue(v =>
        {
            // v = [v_x; v_1] ↦ X̃ᵀ S X̃ v / m
            var xv = x.Linear(v.narrow(0, 0, d).unsqueeze(0), null).squeeze(1);
            if (fitIntercept) xv = xv.Plus(v.narrow(0, d, 1));
            var u = (s is null ? xv : xv * s).DividedBy(m);
            var xtu = x.TransposeMultiply(u.unsqueeze(1)).squeeze(0);
            return fitIntercept ? cat(new[] { xtu, u.sum().reshape(1) }) : xtu;
        }, fitIntercept ? d + 1 : d, x.DType);
        double curvature = outputCount == 1 ? 0.25 : 0.5;
        return curvature * PowerIterationMargin * lambda + l2Strength;
    }

    /// <summary>
    /// The largest eigenvalue of a symmetric positive semi-definite operator by power iteration: the Rayleigh
    /// quotient of <c>A^k v₀</c> from a fixed pseudo-random positive v₀, until it changes by less than
    /// <paramref name="relativeTolerance"/> relative, or <paramref name="maxIterations"/> iterations.
    /// </summary>
    /// <param name="apply">v ↦ A v, for vectors of length <paramref name="n"/>.</param>
    /// <param name="n">Dimension.</param>
    /// <param name="dtype">Dtype of the vectors.</param>
    /// <param name="maxIterations">Iteration limit (default 1000).</param>
    /// <param name="relativeTolerance">Relative change that stops the iteration (default 1e-9).</param>
    public static double LargestEigenvalue(Func<Tensor, Tensor> apply, long n, ScalarType dtype, int maxIterations = 1000, double relativeTolerance = 1e-9)
    {
        var random = new Random(12345);
        var start = Enumerable.Range(0, checked((int)n)).Select(_ => 0.5 + random.NextDouble()).ToArray();
        var v = tensor(start, ScalarType.Float64).to_type(dtype);
        v = (v / v.norm()).DetachFromDisposeScope();
        double lambda = 0;
        try
        {
            for (int i = 0; i < maxIterations; i++)
            {
                using var scope = NewDisposeScope();
                var w = apply(v);
                double rayleigh = v.dot(w).to_type(ScalarType.Float64).item<double>();
                double norm = w.norm().to_type(ScalarType.Float64).item<double>();
                if (!(norm > 0)) return 0;
                var next = w.DividedBy(norm).DetachFromDisposeScope();
                v.Dispose();
                v = next;
                bool settled = Math.Abs(rayleigh - lambda) <= relativeTolerance * Math.Abs(rayleigh);
                lambda = rayleigh;
                if (settled) break;
            }
            return lambda;
        }
        finally
        {
            v.Dispose();
        }
    }

    /// <summary>
    /// Unit directions u of θ-space along which the smooth part f is constant for any data (so ∇f ⊥ u and
    /// ∇²f·u = 0): none for K = 1; for softmax (K ≥ 2) the common shift of all intercepts, and, when there is no
    /// L2 term, the common shift of all classes' coefficients of each feature.
    /// </summary>
    /// <param name="outputCount">K.</param>
    /// <param name="featureCount">d.</param>
    /// <param name="l2Strength">λ₂.</param>
    /// <param name="fitIntercept">Whether θ holds intercepts (default true); without them there is no intercept shift.</param>
    public static IReadOnlyList<double[]> NullDirections(long outputCount, long featureCount, double l2Strength, bool fitIntercept = true)
    {
        if (outputCount == 1) return Array.Empty<double[]>();
        long k = outputCount, d = featureCount;
        int n = checked((int)(k * d + (fitIntercept ? k : 0)));
        double unit = 1 / Math.Sqrt(k);
        var directions = new List<double[]>();
        if (fitIntercept)
        {
            var intercepts = new double[n];
            for (long a = 0; a < k; a++) intercepts[k * d + a] = unit;
            directions.Add(intercepts);
        }
        if (l2Strength == 0)
        {
            for (long j = 0; j < d; j++)
            {
                var u = new double[n];
                for (long a = 0; a < k; a++) u[a * d + j] = unit;
                directions.Add(u);
            }
        }
        return directions;
    }
}
