using TorchLogistic.Data;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Sparse;
using TorchLogistic.Tests.Models;
using TorchLogistic.Tests.Support;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Objectives;

/// <summary>
/// The subspace curvature preconditioner against M⁻¹ = E H_r⁻¹ Eᵀ + (I − EEᵀ)(γB ⊗ A + λI)⁻¹(I − EEᵀ) built from
/// the objective's exact Hessian and an independent eigendecomposition of A; and <c>newton-subspace</c> with a rank
/// below d + 1 (so both parts are used) at scikit-learn's digits optimum.
/// </summary>
public class SubspaceCurvaturePreconditionerTests
{
    [Theory]
    [InlineData(1, 3)]
    [InlineData(3, 2)]
    [InlineData(4, 6)]
    public void Applies_the_hessian_on_the_leading_subspace_and_the_scaled_bound_elsewhere(int k, int rank)
    {
        const int m = 90, d = 5;
        var generator = new Generator(11);
        var x = randn(new long[] { m, d }, dtype: ScalarType.Float64, generator: generator) * tensor(new double[] { 1, 4, 0.3, 2, 1 }) + tensor(new double[] { 1, -2, 0, 1, 3 });
        var y = randint(0, Math.Max(k, 2), new long[] { m }, generator: generator);
        var s = rand(new long[] { m }, dtype: ScalarType.Float64, generator: generator) + 0.5;
        using var objective = new LinearModelObjective(x, y, k, new Penalty(PenaltyKind.L2, 0.5), s);
        int n = objective.ParameterCount, p = d + 1;
        double l2 = objective.L2Strength;
        var theta = randn(n, dtype: ScalarType.Float64, generator: generator).mul(0.3).data<double>().ToArray();
        using var preconditioner = new SubspaceCurvaturePreconditioner(new DenseFeatureMatrix(x), s, k, l2, rank, rows: m);
        preconditioner.Refresh(theta);

        // Coordinates: θ index of (class a, X̃ column j) is a·d + j for j < d, K·d + a for the intercept.
        int Index(int cls, int j) => j < d ? cls * d + j : k * d + cls;
        var xt = cat(new[] { x, ones(m, 1, dtype: ScalarType.Float64) }, 1);
        var a = (xt * s.unsqueeze(1)).t().matmul(xt) / m;
        var aValues = a.data<double>().ToArray();
        var (alpha, u) = linalg.eigh(a);
        var uValues = u.data<double>().ToArray();
        int t = p - rank;
        // E: columns e_c ⊗ u_j for the r largest α (in θ layout).
        var e = new double[n, k * rank];
        for (int c = 0; c < k; c++)
        for (int j = 0; j < rank; j++)
        for (int i = 0; i < p; i++) e[Index(c, i), c * rank + j] = uValues[i * p + t + j];
        // H with λ on the intercepts too, from the objective's exact Hessian.
        var hessian = objective.Hessian(theta);
        var h = new double[n, n];
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) h[i, j] = hessian[i * n + j] + (i == j && i >= k * d ? l2 : 0);
        var eMatrix = Matrix(e);
        var hr = eMatrix.t().matmul(Matrix(h)).matmul(eMatrix);
        var head = eMatrix.matmul(linalg.inv(hr)).matmul(eMatrix.t());
        // The tail: (γB ⊗ A + λI)⁻¹ on the complement of E, γ as the preconditioner found it (checked below).
        double gamma = preconditioner.TailScale;
        double beta = k == 1 ? 0.25 : 0.5;
        var bound = new double[n, n];
        for (int c1 = 0; c1 < k; c1++)
        for (int c2 = 0; c2 < k; c2++)
        {
            double b = k == 1 ? beta : beta * ((c1 == c2 ? 1 : 0) - 1.0 / k);
            for (int i = 0; i < p; i++)
            for (int j = 0; j < p; j++) bound[Index(c1, i), Index(c2, j)] += gamma * b * aValues[i * p + j];
        }
        for (int i = 0; i < n; i++) bound[i, i] += l2;
        var complement = eye(n, dtype: ScalarType.Float64) - eMatrix.matmul(eMatrix.t());
        var expected = head + complement.matmul(linalg.inv(Matrix(bound))).matmul(complement);

        for (int trial = 0; trial < 3; trial++)
        {
            var v = randn(n, dtype: ScalarType.Float64, generator: generator);
            var result = new double[n];
            preconditioner.Apply(v.data<double>().ToArray(), result);
            var want = expected.matmul(v).data<double>().ToArray();
            double scale = want.Max(Math.Abs);
            for (int i = 0; i < n; i++) Close.Equal(want[i], result[i], 1e-8, 1e-10 * scale, $"(M⁻¹v)[{i}]");
        }

        // γ: Σ sᵢ tr(Dᵢ)‖x̃ᵢ off E‖² over β·tr(I − 11ᵀ/K)·Σ sᵢ‖x̃ᵢ off E‖² (K − 1 → 1 for one output).
        var logits = objective.Logits(theta);
        double numerator = 0, denominator = 0;
        var uHead = u.narrow(1, t, rank);
        var off = (xt - xt.matmul(uHead).matmul(uHead.t())).square().sum(1).data<double>().ToArray();
        var weights = s.data<double>().ToArray();
        for (int i = 0; i < m; i++)
        {
            double trace;
            if (k == 1)
            {
                double q = 1 / (1 + Math.Exp(-logits[i]));
                trace = q * (1 - q);
            }
            else
            {
                var z = logits.AsSpan(i * k, k).ToArray();
                double max = z.Max(), sum = z.Sum(v => Math.Exp(v - max));
                trace = 1 - z.Sum(v => Math.Pow(Math.Exp(v - max) / sum, 2));
            }
            numerator += weights[i] * trace * off[i];
            denominator += weights[i] * off[i];
        }
        double expectedGamma = t == 0 ? 1 : Math.Clamp(numerator / (beta * (k == 1 ? 1 : k - 1) * denominator), 1e-4, 1);
        Close.Equal(expectedGamma, gamma, 1e-10, 0, "γ");
        // Off the subspace the curvature is below the bound's (γ < 1); with r = d + 1 there is no tail and γ stays 1.
        Assert.True(t == 0 ? gamma == 1 : gamma < 1, $"γ = {gamma} with a tail of {t}");
    }

    [Theory]
    [InlineData(1, 0.5)]
    [InlineData(4, 0.5)]
    [InlineData(4, 6)]
    public void The_sampled_subspace_hessian_is_the_weighted_sum_over_the_drawn_rows_with_curvature_probabilities(int k, double scale)
    {
        // 40 of 300 rows: H_r = Σⱼ ωⱼ (diag pⱼ − pⱼpⱼᵀ) ⊗ yⱼyⱼᵀ + shift·I, yⱼ = U_rᵀx̃ⱼ, written out entry by entry here
        // from the drawn rows, the objective's logits and U_r (checked to be A's leading eigenvectors).
        const int m = 300, d = 6, rank = 3, rows = 40;
        var generator = new Generator(5);
        var x = randn(new long[] { m, d }, dtype: ScalarType.Float64, generator: generator) * tensor(new double[] { 1, 3, 0.5, 2, 1, 0.2 }) + 0.5;
        var labels = randint(0, Math.Max(k, 2), new long[] { m }, generator: generator);
        var s = rand(new long[] { m }, dtype: ScalarType.Float64, generator: generator) + 0.5;
        using var objective = new LinearModelObjective(x, labels, k, new Penalty(PenaltyKind.L2, 0.5), s);
        int p = d + 1, kr = k * rank;
        var theta = randn(objective.ParameterCount, dtype: ScalarType.Float64, generator: generator).mul(scale).data<double>().ToArray();
        using var preconditioner = new SubspaceCurvaturePreconditioner(new DenseFeatureMatrix(x), s, k, objective.L2Strength, rank, rows);
        Assert.True(preconditioner.Refresh(theta));

        var xt = cat(new[] { x, ones(m, 1, dtype: ScalarType.Float64) }, 1);
        var xValues = xt.data<double>().ToArray();
        var weights = s.data<double>().ToArray();
        // U_r: orthonormal with A U_r = U_r diag(the r largest eigenvalues of A), A = X̃ᵀ diag(s) X̃ / m.
        var a = (xt * s.unsqueeze(1)).t().matmul(xt) / m;
        var head = preconditioner.Head();
        var u = tensor(head, new long[] { p, rank });
        var top = linalg.eigvalsh(a).narrow(0, p - rank, rank);
        double residual = (a.matmul(u) - u * top.unsqueeze(0)).abs().max().item<double>();
        Assert.True(residual < 1e-10 * top.max().item<double>(), $"‖A U_r − U_r Λ‖ = {residual:E2}");
        Assert.True((u.t().matmul(u) - eye(rank, dtype: ScalarType.Float64)).abs().max().item<double>() < 1e-12);

        // Probabilities and each row's curvature cᵢ = sᵢ tr(Dᵢ)‖x̃ᵢ‖², from the logits.
        var logits = objective.Logits(theta);
        var prob = new double[m, k];
        var sampling = new double[m];
        double total = 0;
        for (int i = 0; i < m; i++)
        {
            double trace = 0, norm = 0;
            if (k == 1)
            {
                prob[i, 0] = 1 / (1 + Math.Exp(-logits[i]));
                trace = prob[i, 0] * (1 - prob[i, 0]);
            }
            else
            {
                var z = logits.AsSpan(i * k, k).ToArray();
                double max = z.Max(), sum = z.Sum(v => Math.Exp(v - max));
                trace = 1;
                for (int c = 0; c < k; c++)
                {
                    prob[i, c] = Math.Exp(z[c] - max) / sum;
                    trace -= prob[i, c] * prob[i, c];
                }
            }
            for (int j = 0; j < p; j++) norm += xValues[i * p + j] * xValues[i * p + j];
            sampling[i] = weights[i] * trace * norm;
            total += sampling[i];
        }
        for (int i = 0; i < m; i++) sampling[i] = 0.5 * sampling[i] / total + 0.5 / m;

        // Systematic sampling: row i is drawn ⌊n qᵢ⌋ or ⌈n qᵢ⌉ times, with weight sᵢ/(m·n·qᵢ).
        var (drawn, omega) = preconditioner.SampledRows;
        Assert.Equal(rows, drawn.Length);
        var counts = new int[m];
        for (int j = 0; j < rows; j++)
        {
            counts[drawn[j]]++;
            Close.Equal(weights[drawn[j]] / (m * rows * sampling[drawn[j]]), omega[j], 1e-12, 0, $"ω[{j}]");
        }
        for (int i = 0; i < m; i++) Assert.True(Math.Abs(counts[i] - rows * sampling[i]) < 1 + 1e-9, $"row {i} drawn {counts[i]} times for n·q = {rows * sampling[i]:0.###}");

        // Dᵢ on the row's active classes only: p_c(1 − p_c) ≥ ActiveShare·max_c' p_c'(1 − p_c') (all for one output).
        var expected = new double[kr, kr];
        int inactive = 0;
        for (int j = 0; j < rows; j++)
        {
            long i = drawn[j];
            var y = new double[rank];
            for (int l = 0; l < rank; l++)
            for (int col = 0; col < p; col++) y[l] += xValues[i * p + col] * head[col * rank + l];
            double widest = Enumerable.Range(0, k).Max(c => prob[i, c] * (1 - prob[i, c]));
            var active = Enumerable.Range(0, k).Select(c => k == 1 || prob[i, c] * (1 - prob[i, c]) >= SubspaceCurvaturePreconditioner.ActiveShare * widest).ToArray();
            inactive += active.Count(a => !a);
            for (int c1 = 0; c1 < k; c1++)
            for (int c2 = 0; c2 < k; c2++)
            {
                if (!active[c1] || !active[c2]) continue;
                double curvature = k == 1 ? prob[i, 0] * (1 - prob[i, 0]) : (c1 == c2 ? prob[i, c1] : 0) - prob[i, c1] * prob[i, c2];
                for (int l1 = 0; l1 < rank; l1++)
                for (int l2 = 0; l2 < rank; l2++) expected[c1 * rank + l1, c2 * rank + l2] += omega[j] * curvature * y[l1] * y[l2];
            }
        }
        double largest = Enumerable.Range(0, kr).Max(i => expected[i, i]);
        double shift = Math.Max(objective.L2Strength, 1e-10 * largest);
        var actual = preconditioner.SubspaceHessian.ToArray();
        for (int i = 0; i < kr; i++)
        for (int j = 0; j < kr; j++) Close.Equal(expected[i, j] + (i == j ? shift : 0), actual[i * kr + j], 1e-10, 1e-12 * largest, $"H_r[{i}, {j}]");
        // The confident rows of the large θ leave classes out (and H_r stays positive definite: its Cholesky factor exists).
        Assert.True(scale < 1 || inactive > 0, $"{inactive} inactive classes at θ scale {scale}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void At_uniform_probabilities_the_build_is_the_exact_hessian_in_closed_form(int k)
    {
        // θ = 0: every row's probabilities are 1/K, so ∇²F = (1/K)(I − 11ᵀ/K) ⊗ A (¼A for one output) + λ on the weights,
        // the bound scaled by γ = 2/K. With all rows in A, M must be that Hessian (λ on the intercepts too) exactly,
        // built without a product over the rows.
        const int m = 120, d = 5, rank = 2;
        var generator = new Generator(17);
        var x = randn(new long[] { m, d }, dtype: ScalarType.Float64, generator: generator) * tensor(new double[] { 1, 3, 0.5, 2, 1 }) + 0.5;
        var y = randint(0, Math.Max(k, 2), new long[] { m }, generator: generator);
        var s = rand(new long[] { m }, dtype: ScalarType.Float64, generator: generator) + 0.5;
        using var objective = new LinearModelObjective(x, y, k, new Penalty(PenaltyKind.L2, 0.5), s);
        int n = objective.ParameterCount;
        double l2 = objective.L2Strength;
        var theta = new double[n];
        using var preconditioner = new SubspaceCurvaturePreconditioner(new DenseFeatureMatrix(x), s, k, l2, rank, rows: 40);
        Assert.True(preconditioner.Refresh(theta));
        Assert.Equal(0, preconditioner.RefreshPasses);
        Assert.Equal(k == 1 ? 1 : 2.0 / k, preconditioner.TailScale);
        var hessian = objective.Hessian(theta);
        for (int trial = 0; trial < 3; trial++)
        {
            var v = randn(n, dtype: ScalarType.Float64, generator: generator).data<double>().ToArray();
            var hv = new double[n];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++) hv[i] += hessian[i * n + j] * v[j];
                if (i >= k * d) hv[i] += l2 * v[i];
            }
            var result = new double[n];
            preconditioner.Apply(hv, result);
            double scale = v.Max(Math.Abs);
            for (int i = 0; i < n; i++) Close.Equal(v[i], result[i], 1e-9, 1e-10 * scale, $"(M⁻¹Hv)[{i}]");
        }
        // Away from θ = 0 the next refresh builds the sampled H_r (its multiply-adds counted).
        Assert.True(preconditioner.Refresh(theta.Select((_, i) => 0.3 * Math.Sin(i + 1)).ToArray()));
        Assert.True(preconditioner.RefreshPasses > 0);
        Assert.Equal(2, preconditioner.Builds);
    }

    [Fact]
    public void A_refresh_keeps_the_factor_while_the_rows_curvature_barely_moves()
    {
        const int m = 200, d = 4, k = 3;
        var generator = new Generator(3);
        var x = randn(new long[] { m, d }, dtype: ScalarType.Float64, generator: generator);
        var labels = randint(0, k, new long[] { m }, generator: generator);
        using var objective = new LinearModelObjective(x, labels, k, Penalty.L2(1));
        var theta = randn(objective.ParameterCount, dtype: ScalarType.Float64, generator: generator).mul(0.5).data<double>().ToArray();
        using var preconditioner = new SubspaceCurvaturePreconditioner(new DenseFeatureMatrix(x), null, k, objective.L2Strength, rank: 2, rows: 50);
        Assert.True(preconditioner.Refresh(theta));
        var first = preconditioner.SubspaceHessian.ToArray();
        // θ moved by 0.1 %: Σ|Δ tr D| / Σ tr D is far below 0.1 — same factor, no build.
        Assert.False(preconditioner.Refresh(theta.Select(v => v * 1.001).ToArray()));
        Assert.Equal(1, preconditioner.Builds);
        Assert.Equal(first, preconditioner.SubspaceHessian.ToArray());
        // θ tripled: the probabilities sharpen, tr D falls by far more than 10 % — rebuilt.
        Assert.True(preconditioner.Refresh(theta.Select(v => v * 3).ToArray()));
        Assert.Equal(2, preconditioner.Builds);
        // Threshold 0: every refresh builds.
        using var always = new SubspaceCurvaturePreconditioner(new DenseFeatureMatrix(x), null, k, objective.L2Strength, rank: 2, rows: 50, rebuildChange: 0);
        Assert.True(always.Refresh(theta));
        Assert.True(always.Refresh(theta));
        Assert.Equal(2, always.Builds);
    }

    [Fact]
    public void Newton_subspace_with_a_rank_below_the_features_reaches_the_scikit_learn_digits_optimum()
    {
        // Rank 16 of 65 and 500 of 1,797 rows: both the sampled subspace Hessian and the scaled bound are in play.
        var raw = BuiltinDatasets.Load("digits");
        var data = StandardScaler.Fit(raw).Transform(raw);
        using var objective = new LinearModelObjective(data.FeaturesTensor(), data.LabelsTensor(), data.ClassCount, Penalty.L2(1));
        var solver = new PreconditionedNewtonCg(subspaceRank: 16, subspaceRows: 500);
        Assert.Equal(SolverKind.NewtonSubspace, solver.Kind);
        solver.Begin(objective, new double[objective.ParameterCount]);
        for (int i = 0; i < 100 && solver.Criterion > 1e-11 && solver.Stalled is null; i++) solver.Step();
        Assert.True(solver.Criterion <= 1e-11, $"‖∇F‖∞ = {solver.Criterion:E2} ({solver.Stalled})");
        double error = Close.RelativeError(solver.Theta, MulticlassFixture.Theta("digits.softmax"));
        Assert.True(error < 1e-7, $"relative error {error:E2} of θ against scikit-learn");
        Close.Equal((double)MulticlassFixture.Get("digits.softmax.objective"), solver.Objective, 1e-12);
    }

    [Fact]
    public void Sparse_features_are_refused_with_the_alternative()
    {
        var sparse = new SparseFeatureMatrix(CsrMatrix.FromDense(new double[] { 1, 0, 0, 2, 3, 0 }, 3, 2));
        var e = Assert.Throws<ArgumentException>(() => new SubspaceCurvaturePreconditioner(sparse, null, 1, 0.1));
        Assert.StartsWith("The subspace preconditioner needs dense features (use newton-pcg on sparse ones).", e.Message);
    }

    private static Tensor Matrix(double[,] values) => tensor(values);
}
