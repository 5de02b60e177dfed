namespace TorchLogistic.Inference;

/// <summary>
/// The sandwich <c>B M B</c> of <see cref="CovarianceKind"/>: B the inverse observed information, M the meat built
/// from the per-row scores. The one place the robust covariances are defined.
/// </summary>
internal static class Sandwich
{
    /// <summary>The covariance of the free coordinates under <paramref name="kind"/>.</summary>
    /// <param name="bread">H⁻¹, row-major <c>(n, n)</c>.</param>
    /// <param name="scores">Per-row scores sᵢ (unweighted), row-major <c>(m, n)</c>.</param>
    /// <param name="weights">Frequency weights wᵢ, or null for ones.</param>
    /// <param name="leverage">Hat values hᵢ (HC2, HC3), or null.</param>
    /// <param name="groups">Cluster labels (cluster), or null.</param>
    /// <param name="kind">Which meat.</param>
    /// <param name="m">Rows.</param>
    /// <param name="n">Free coordinates (k).</param>
    public static double[] Of(double[] bread, double[] scores, double[]? weights, double[]? leverage, IReadOnlyList<long>? groups, CovarianceKind kind, int m, int n)
    {
        if (kind == CovarianceKind.Nonrobust) return bread;
        double total = weights?.Sum() ?? m;
        var meat = new double[n * n];
        if (kind == CovarianceKind.Cluster)
        {
            var sums = new Dictionary<long, double[]>();
            for (int i = 0; i < m; i++)
            {
                if (!sums.TryGetValue(groups![i], out var s)) sums[groups[i]] = s = new double[n];
                double w = weights?[i] ?? 1;
                for (int a = 0; a < n; a++) s[a] += w * scores[i * n + a];
            }
            int g = sums.Count;
            double adjust = g / (g - 1.0) * (total - 1) / (total - n);
            foreach (var s in sums.Values) AddOuter(meat, s, 0, adjust, n);
        }
        else
        {
            for (int i = 0; i < m; i++)
            {
                double factor = weights?[i] ?? 1;
                if (kind == CovarianceKind.HC2) factor /= 1 - leverage![i];
                if (kind == CovarianceKind.HC3) factor /= (1 - leverage![i]) * (1 - leverage[i]);
                AddOuter(meat, scores, i * n, factor, n);
            }
            if (kind == CovarianceKind.HC1)
            {
                for (int a = 0; a < meat.Length; a++) meat[a] *= total / (total - n);
            }
        }
        return Multiply(Multiply(bread, meat, n), bread, n);
    }

    private static void AddOuter(double[] target, double[] v, int offset, double factor, int n)
    {
        for (int a = 0; a < n; a++)
        {
            double va = factor * v[offset + a];
            if (va == 0) continue;
            for (int b = 0; b < n; b++) target[a * n + b] += va * v[offset + b];
        }
    }

    private static double[] Multiply(double[] x, double[] y, int n)
    {
        var result = new double[n * n];
        for (int a = 0; a < n; a++)
        {
            for (int l = 0; l < n; l++)
            {
                double xal = x[a * n + l];
                if (xal == 0) continue;
                for (int b = 0; b < n; b++) result[a * n + b] += xal * y[l * n + b];
            }
        }
        return result;
    }
}
