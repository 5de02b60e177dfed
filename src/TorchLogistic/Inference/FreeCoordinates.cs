using TorchLogistic.Objectives;

namespace TorchLogistic.Inference;

/// <summary>
/// An objective restricted to a subset of θ's coordinates, the rest fixed at zero: <c>g(u) = f(E u)</c> with E the
/// embedding of the free coordinates, so <c>∇g = Eᵀ∇f</c> and <c>∇²g = Eᵀ∇²f E</c>. Inference uses it for the
/// identified softmax (class 0's parameters fixed at 0, as statsmodels' MNLogit), so that the solvers of
/// <see cref="Optim"/> minimise it unchanged. Free coefficients must come before free intercepts.
/// </summary>
internal sealed class FreeCoordinates : IObjective
{
    private readonly LinearModelObjective f;
    private readonly int[] free;
    private readonly int full;
    private readonly bool all_free;

    /// <summary>Restricts <paramref name="objective"/> to the θ indices <paramref name="free_indices"/> (not owned).</summary>
    public FreeCoordinates(LinearModelObjective objective, int[] free_indices, int n_free_coefficients)
    {
        f = objective;
        free = free_indices;
        full = objective.n_parameters;
        all_free = free.Length == full;
        n_penalized = n_free_coefficients;
    }

    public int n_parameters => free.Length;

    public int n_penalized { get; }

    public double l1_strength => 0;

    public double l2_strength => f.l2_strength;

    public bool is_hessian_supported => true;

    /// <summary>f's flat directions when every coordinate is free; none otherwise (fixing class 0 removes them).</summary>
    public IReadOnlyList<double[]> null_directions => all_free ? f.null_directions : Array.Empty<double[]>();

    /// <summary>θ = E u.</summary>
    public double[] embed(double[] u)
    {
        var theta = new double[full];
        for (int i = 0; i < free.Length; i++) theta[free[i]] = u[i];
        return theta;
    }

    /// <summary>u = Eᵀ θ.</summary>
    public double[] restrict(double[] theta) => free.Select(i => theta[i]).ToArray();

    public double value(double[] u) => f.value(embed(u));

    public double value_and_gradient(double[] u, double[] gradient)
    {
        var g = new double[full];
        double value = f.value_and_gradient(embed(u), g);
        for (int i = 0; i < free.Length; i++) gradient[i] = g[free[i]];
        return value;
    }

    public double[] hessian(double[] u)
    {
        double[] h = f.hessian(embed(u));
        int n = free.Length;
        var result = new double[n * n];
        for (int a = 0; a < n; a++)
        {
            for (int b = 0; b < n; b++) result[a * n + b] = h[free[a] * full + free[b]];
        }
        return result;
    }

    public void hessian_vector_product(double[] u, double[] v, double[] result)
    {
        var hv = new double[full];
        f.hessian_vector_product(embed(u), embed(v), hv);
        for (int i = 0; i < free.Length; i++) result[i] = hv[free[i]];
    }

    public double lipschitz_bound() => throw new NotSupportedException("Inference uses Newton's method, which needs no Lipschitz bound.");

    /// <summary>Nothing to dispose: the objective belongs to the caller.</summary>
    public void Dispose() { }
}
