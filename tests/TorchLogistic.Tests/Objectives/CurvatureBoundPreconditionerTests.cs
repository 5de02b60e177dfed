using TorchLogistic.Objectives;
using TorchLogistic.Tests.Support;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Objectives;

/// <summary>
/// The preconditioner against M = B ⊗ A + λI built entry by entry, and Böhning's bound (M − ∇²F ⪰ 0) against the
/// objective's exact Hessian.
/// </summary>
public class CurvatureBoundPreconditionerTests
{
    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(3, 1.0)]
    [InlineData(4, 0.05)]
    public void Applies_the_inverse_of_the_bound_and_the_bound_dominates_the_hessian(int k, double c)
    {
        const int m = 80, d = 5;
        var generator = new Generator(5);
        // Raw-looking columns: offsets and scales far from standardised.
        var x = randn(new long[] { m, d }, dtype: ScalarType.Float64, generator: generator) * tensor(new double[] { 1, 10, 0.1, 3, 1 }) + tensor(new double[] { 5, -2, 0, 1, 20 });
        var y = randint(0, Math.Max(k, 2), new long[] { m }, generator: generator);
        var s = rand(new long[] { m }, dtype: ScalarType.Float64, generator: generator) + 0.5;
        using var objective = new LinearModelObjective(x, y, k, new Penalty(PenaltyKind.L2, c), s);
        int n = objective.ParameterCount, p = d + 1;
        double l2 = objective.L2Strength;

        // M entry by entry in θ layout: θ index of (class a, X̃ column j) is a·d + j for j < d, K·d + a for the intercept.
        var xt = cat(new[] { x, ones(m, 1, dtype: ScalarType.Float64) }, 1);
        var a = (xt * s.unsqueeze(1)).t().matmul(xt) / m;
        var aValues = a.data<double>().ToArray();
        int Index(int cls, int j) => j < d ? cls * d + j : k * d + cls;
        var mFull = new double[n, n];
        for (int c1 = 0; c1 < k; c1++)
        for (int c2 = 0; c2 < k; c2++)
        {
            double b = k == 1 ? 0.25 : 0.5 * ((c1 == c2 ? 1 : 0) - 1.0 / k);
            for (int i = 0; i < p; i++)
            for (int j = 0; j < p; j++) mFull[Index(c1, i), Index(c2, j)] += b * aValues[i * p + j];
        }
        for (int i = 0; i < n; i++) mFull[i, i] += l2;

        var random = new Random(1);
        var v = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var solved = new double[n];
        objective.Precondition(v, solved);
        var back = new double[n];
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) back[i] += mFull[i, j] * solved[j];
        Assert.True(Close.RelativeError(back, v) < 1e-9, $"M·(M⁻¹v) differs from v by {Close.RelativeError(back, v):E2} (relative)");

        // Böhning: the Hessian at any θ is below the bound.
        var theta = Enumerable.Range(0, n).Select(_ => 0.3 * (random.NextDouble() - 0.5)).ToArray();
        var hessian = objective.Hessian(theta);
        var gap = tensor(Enumerable.Range(0, n * n).Select(i => mFull[i / n, i % n] - hessian[i]).ToArray()).view(n, n);
        double smallest = linalg.eigvalsh(gap).min().item<double>();
        Assert.True(smallest > -1e-10, $"M − ∇²F has eigenvalue {smallest:E3}; the bound must dominate the Hessian");
    }
}
