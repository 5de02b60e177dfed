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
    private readonly LinearModelObjective _f;
    private readonly int[] _free;
    private readonly int _full;
    private readonly bool _allFree;

    /// <summary>Restricts <paramref name="objective"/> to the θ indices <paramref name="freeIndices"/> (not owned).</summary>
    public FreeCoordinates(LinearModelObjective objective, int[] freeIndices, int nFreeCoefficients)
    {
        _f = objective;
        _free = freeIndices;
        _full = objective.ParameterCount;
        _allFree = _free.Length == _full;
        PenalizedCount = nFreeCoefficients;
    }

    public int ParameterCount => _free.Length;

    public int PenalizedCount { get; }

    public double L1Strength => 0;

    public double L2Strength => _f.L2Strength;

    public bool IsHessianSupported => true;

    /// <summary>f's flat directions when every coordinate is free; none otherwise (fixing class 0 removes them).</summary>
    public IReadOnlyList<double[]> NullDirections => _allFree ? _f.NullDirections : Array.Empty<double[]>();

    /// <summary>θ = E u.</summary>
    public double[] Embed(double[] u)
    {
        var theta = new double[_full];
        for (int i = 0; i < _free.Length; i++) theta[_free[i]] = u[i];
        return theta;
    }

    /// <summary>u = Eᵀ θ.</summary>
    public double[] Restrict(double[] theta) => _free.Select(i => theta[i]).ToArray();

    public double Value(double[] u) => _f.Value(Embed(u));

    public double ValueAndGradient(double[] u, double[] gradient)
    {
        var g = new double[_full];
        double value = _f.ValueAndGradient(Embed(u), g);
        for (int i = 0; i < _free.Length; i++) gradient[i] = g[_free[i]];
        return value;
    }

    public double[] Hessian(double[] u)
    {
        double[] h = _f.Hessian(Embed(u));
        int n = _free.Length;
        var result = new double[n * n];
        for (int a = 0; a < n; a++)
        {
            for (int b = 0; b < n; b++) result[a * n + b] = h[_free[a] * _full + _free[b]];
        }
        return result;
    }

    public void HessianVectorProduct(double[] u, double[] v, double[] result)
    {
        var hv = new double[_full];
        _f.HessianVectorProduct(Embed(u), Embed(v), hv);
        for (int i = 0; i < _free.Length; i++) result[i] = hv[_free[i]];
    }

    public double LipschitzBound() => throw new NotSupportedException("Inference uses Newton's method, which needs no Lipschitz bound.");

    /// <summary>Nothing to dispose: the objective belongs to the caller.</summary>
    public void Dispose() { }
}
