namespace TorchLogistic.Inference;

/// <summary>
/// Marginal effects of the features on the class probabilities, with delta-method standard errors, as statsmodels'
/// <c>get_margeff</c> for <c>Logit</c> and <c>MNLogit</c>.
/// <para>With class 0 the reference (β₀ = 0), pⱼ = softmax(x̃ᵀβ)ⱼ and β̄ = Σₗ pₗβₗ, the derivative is
/// <c>∂pⱼ/∂xᵥ = pⱼ(βⱼᵥ − β̄ᵥ)</c> (binary: p(1 − p)βᵥ); eydx divides by pⱼ, dyex multiplies by xᵥ, eyex does both.
/// A discrete change is <c>pⱼ(x | xᵥ = 1) − pⱼ(x | xᵥ = 0)</c> (eydx: the difference of the logs).
/// Overall averages the per-row effects; mean, median and zero evaluate at one point.</para>
/// <para>The standard errors are <c>√diag(J Σ Jᵀ)</c> with Σ the covariance of <see cref="InferenceResult"/> (whichever
/// <see cref="CovarianceKind"/> it holds) and J the exact Jacobian of the effects in the coefficients (statsmodels
/// differentiates by complex step).</para>
/// </summary>
public static class MarginalEffects
{
    /// <summary>The marginal effects of the fit <paramref name="inference"/> describes, on the rows it was fitted on.</summary>
    /// <param name="inference">An inference (binary or multinomial).</param>
    /// <param name="rows">The training rows in the model's scale (as <see cref="LogitInference.ModelRows"/> gives them); their columns are the inference's features.</param>
    /// <param name="options">At, method and discrete changes (default: average derivative, all features continuous).</param>
    /// <returns>One table per class probability.</returns>
    public static MarginalEffectsResult Of(InferenceResult inference, Data.Dataset rows, MarginalEffectsOptions? options = null)
    {
        options ??= new MarginalEffectsOptions();
        int d = rows.FeatureCount, p = d + 1, equations = inference.Equations.Count, classes = equations + 1, m = rows.SampleCount;
        if (inference.Equations[0].Names.Length != p || !inference.Equations[0].Names.Skip(1).SequenceEqual(rows.FeatureNames))
            throw new ArgumentException($"The rows' features ({string.Join(", ", rows.FeatureNames)}) are not the inference's ({string.Join(", ", inference.Equations[0].Names.Skip(1))}); pass the training rows in the model's scale (LogitInference.ModelRows).");
        var group = DiscreteGroups(rows, options);
        bool anyDiscrete = group.Any(g => g != null);
        if (anyDiscrete && (options.Method is MarginalMethod.Eyex or MarginalMethod.Dyex || options.At is MarginalAt.Median or MarginalAt.Zero))
            throw new ArgumentException($"Discrete changes (MarginalEffectsOptions.DiscreteChanges, OneHotGroups) are defined with Method Dydx or Eydx at Overall or Mean, as statsmodels; got {options.Method} at {options.At}. Treat the 0/1 columns as continuous, or change Method/At.");

        var beta = new double[classes, p];
        for (int e = 0; e < equations; e++)
        {
            for (int u = 0; u < p; u++) beta[e + 1, u] = inference.Equations[e].Coefficients[u];
        }
        int parameters = equations * p;
        int[] reported = classes == 2 ? new[] { 1 } : Enumerable.Range(0, classes).ToArray();
        var effects = new double[reported.Length, d];
        var jacobian = new double[reported.Length, d, parameters];
        var points = Points(rows, options.At);
        var xt = new double[p];
        var probability = new double[classes];
        foreach (var x in points)
        {
            xt[0] = 1;
            Array.Copy(x, 0, xt, 1, d);
            Softmax(beta, xt, probability);
            var bbar = new double[p];
            for (int l = 0; l < classes; l++)
            {
                for (int v = 0; v < p; v++) bbar[v] += probability[l] * beta[l, v];
            }
            for (int r = 0; r < reported.Length; r++)
            {
                int j = reported[r];
                for (int f = 0; f < d; f++)
                {
                    if (group[f] is { } members)
                        Discrete(beta, xt, f, members, j, options.Method, effects, jacobian, r);
                    else
                        Continuous(beta, xt, probability, bbar, f, j, options.Method, effects, jacobian, r);
                }
            }
        }
        double count = points.Count;
        var cov = inference.Covariance;
        double q = SpecialFunctions.NormalInverseCdf(1 - inference.Alpha / 2);
        var tables = new List<MarginalEffectTable>();
        for (int r = 0; r < reported.Length; r++)
        {
            var effect = new double[d];
            var se = new double[d];
            for (int f = 0; f < d; f++)
            {
                effect[f] = effects[r, f] / count;
                double variance = 0;
                for (int a = 0; a < parameters; a++)
                {
                    double ja = jacobian[r, f, a] / count;
                    if (ja == 0) continue;
                    for (int b = 0; b < parameters; b++) variance += ja * cov[a, b] * jacobian[r, f, b] / count;
                }
                se[f] = Math.Sqrt(variance);
            }
            var z = effect.Select((v, f) => v / se[f]).ToArray();
            tables.Add(new MarginalEffectTable($"P({inference.Classes[reported[r]]})", rows.FeatureNames, effect, se, z,
                z.Select(v => 2 * SpecialFunctions.NormalSurvival(Math.Abs(v))).ToArray(),
                effect.Select((v, f) => v - q * se[f]).ToArray(), effect.Select((v, f) => v + q * se[f]).ToArray(),
                group.Select(g => g != null).ToArray()));
        }
        return new MarginalEffectsResult(options, inference.Alpha, tables);
    }

    /// <summary>For each feature, the columns of its discrete group (itself for a 0/1 column), or null when it is continuous.</summary>
    private static int[]?[] DiscreteGroups(Data.Dataset rows, MarginalEffectsOptions options)
    {
        int d = rows.FeatureCount;
        var group = new int[]?[d];
        if (options.DiscreteChanges)
        {
            for (int f = 0; f < d; f++)
            {
                bool zero = false, one = false, other = false;
                for (int i = 0; i < rows.SampleCount && !other; i++)
                {
                    double v = rows[i, f];
                    if (v == 0) zero = true;
                    else if (v == 1) one = true;
                    else other = true;
                }
                if (zero && one && !other) group[f] = new[] { f };
            }
        }
        foreach (var members in options.OneHotGroups ?? Array.Empty<int[]>())
        {
            foreach (int f in members)
            {
                if (f < 0 || f >= d) throw new ArgumentException($"MarginalEffectsOptions.OneHotGroups names feature {f}; the rows have {d} features.");
                group[f] = members;
            }
        }
        return group;
    }

    /// <summary>The evaluation points: every row (overall), or the one row of column means, medians or zeros.</summary>
    private static List<double[]> Points(Data.Dataset rows, MarginalAt at)
    {
        int d = rows.FeatureCount, m = rows.SampleCount;
        if (at == MarginalAt.Overall)
            return Enumerable.Range(0, m).Select(i => Enumerable.Range(0, d).Select(f => rows[i, f]).ToArray()).ToList();
        var point = new double[d];
        for (int f = 0; f < d; f++)
        {
            var column = Enumerable.Range(0, m).Select(i => rows[i, f]).ToArray();
            point[f] = at switch
            {
                MarginalAt.Mean => column.Average(),
                MarginalAt.Median => Median(column),
                _ => 0,
            };
        }
        return new List<double[]> { point };
    }

    private static double Median(double[] values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static void Softmax(double[,] beta, double[] xt, double[] probability)
    {
        int classes = beta.GetLength(0), p = xt.Length;
        double max = double.NegativeInfinity;
        for (int l = 0; l < classes; l++)
        {
            double z = 0;
            for (int u = 0; u < p; u++) z += beta[l, u] * xt[u];
            probability[l] = z;
            max = Math.Max(max, z);
        }
        double sum = 0;
        for (int l = 0; l < classes; l++) sum += probability[l] = Math.Exp(probability[l] - max);
        for (int l = 0; l < classes; l++) probability[l] /= sum;
    }

    /// <summary>Adds one point's derivative effect of feature <paramref name="f"/> on pⱼ, and its Jacobian in β_{c,u} (c ≥ 1).</summary>
    private static void Continuous(double[,] beta, double[] xt, double[] probability, double[] bbar, int f, int j, MarginalMethod method,
        double[,] effects, double[,,] jacobian, int r)
    {
        int classes = beta.GetLength(0), p = xt.Length, v = f + 1;
        double pj = probability[j];
        double elasticity = beta[j, v] - bbar[v];           // ∂ln pⱼ/∂xᵥ
        bool ey = method is MarginalMethod.Eydx or MarginalMethod.Eyex;
        double ex = method is MarginalMethod.Dyex or MarginalMethod.Eyex ? xt[v] : 1;
        effects[r, f] += (ey ? elasticity : pj * elasticity) * ex;
        for (int c = 1; c < classes; c++)
        {
            double pc = probability[c], djc = j == c ? 1 : 0;
            for (int u = 0; u < p; u++)
            {
                // ∂(βⱼᵥ − β̄ᵥ)/∂β_cu = δⱼc δᵤᵥ − p_c δᵤᵥ − p_c (β_cv − β̄ᵥ) x̃ᵤ;  ∂pⱼ/∂β_cu = pⱼ(δⱼc − p_c) x̃ᵤ.
                double dE = (u == v ? djc - pc : 0) - pc * (beta[c, v] - bbar[v]) * xt[u];
                double d = ey ? dE : pj * (djc - pc) * xt[u] * elasticity + pj * dE;
                jacobian[r, f, (c - 1) * p + u] += d * ex;
            }
        }
    }

    /// <summary>Adds one point's discrete change of pⱼ from the base (the group all 0) to feature <paramref name="f"/> = 1, and its Jacobian.</summary>
    private static void Discrete(double[,] beta, double[] xt, int f, int[] members, int j, MarginalMethod method, double[,] effects, double[,,] jacobian, int r)
    {
        int classes = beta.GetLength(0), p = xt.Length;
        var x0 = (double[])xt.Clone();
        foreach (int g in members) x0[g + 1] = 0;
        var x1 = (double[])x0.Clone();
        x1[f + 1] = 1;
        var p0 = new double[classes];
        var p1 = new double[classes];
        Softmax(beta, x0, p0);
        Softmax(beta, x1, p1);
        bool ey = method == MarginalMethod.Eydx;
        effects[r, f] += ey ? Math.Log(p1[j]) - Math.Log(p0[j]) : p1[j] - p0[j];
        for (int c = 1; c < classes; c++)
        {
            double djc = j == c ? 1 : 0;
            for (int u = 0; u < p; u++)
            {
                // ∂pⱼ/∂β_cu = pⱼ(δⱼc − p_c) x̃ᵤ; ∂ln pⱼ/∂β_cu = (δⱼc − p_c) x̃ᵤ.
                double d1 = (djc - p1[c]) * x1[u], d0 = (djc - p0[c]) * x0[u];
                jacobian[r, f, (c - 1) * p + u] += ey ? d1 - d0 : p1[j] * d1 - p0[j] * d0;
            }
        }
    }
}
