using TorchLogistic.Objectives;
using TorchLogistic.Sparse;
using TorchLogistic.Tests.Support;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Objectives;

/// <summary>
/// The managed binary kernel (behind a sparse binary <see cref="LinearModelObjective"/>) against the loss layer's
/// libtorch path on the same rows as a dense tensor (itself checked against autograd, finite differences and
/// scikit-learn elsewhere): value, gradient, Hessian-vector products (all rows and a leading subset) and the Hessian's
/// diagonal, to 1e-12 relative, for one thread and several.
/// </summary>
public class BinaryLogisticKernelTests
{
    /// <summary>A seeded random CSR matrix (some empty rows, values of both signs and varied scale) with 0/1 labels.</summary>
    private static (CsrMatrix X, long[] Labels, double[] Weights) Problem(int m, int d, double density, int seed)
    {
        var random = new Random(seed);
        var dense = new double[m * d];
        for (int i = 0; i < m; i++)
        {
            if (i % 17 == 3) continue;
            for (int j = 0; j < d; j++)
                if (random.NextDouble() < density) dense[i * d + j] = (random.NextDouble() - 0.3) * (1 + 3 * random.NextDouble());
        }
        var labels = Enumerable.Range(0, m).Select(_ => (long)(random.NextDouble() < 0.45 ? 1 : 0)).ToArray();
        var weights = Enumerable.Range(0, m).Select(_ => 0.2 + 2 * random.NextDouble()).ToArray();
        return (CsrMatrix.FromDense(dense, m, d), labels, weights);
    }

    /// <summary>The kernel's inputs from a problem's labels and weights: row weights sᵢ/m and the targets as float64.</summary>
    private static (double[] RowWeight, double[] Targets) KernelInputs(long[] labels, double[] weights) =>
        (weights.Select(w => w / labels.Length).ToArray(), labels.Select(l => (double)l).ToArray());

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public void The_managed_sparse_objective_equals_the_dense_loss_layer_path(bool fitIntercept, bool weighted)
    {
        var (x, labels, weights) = Problem(2000, 300, 0.06, 11);
        Assert.True(x.NonZeroCount > 1 << 15, "enough non-zeros for several parts");
        using var scope = NewDisposeScope();
        var y = tensor(labels);
        var s = weighted ? tensor(weights) : null;
        var penalty = new Penalty(PenaltyKind.L2, 0.7);
        using var sparse = new LinearModelObjective(new SparseFeatureMatrix(x), y, 1, penalty, s, fitIntercept: fitIntercept);
        using var dense = new LinearModelObjective(tensor(x.ToDense(), new long[] { x.RowCount, x.ColumnCount }), y, 1, penalty, s, fitIntercept: fitIntercept);
        Assert.True(sparse.IsManagedBinary);
        Assert.False(dense.IsManagedBinary);
        int n = sparse.ParameterCount;
        var random = new Random(3);
        var theta = Enumerable.Range(0, n).Select(_ => 2 * (random.NextDouble() - 0.5)).ToArray();
        var v = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] gs = new double[n], gd = new double[n], hs = new double[n], hd = new double[n];
        Close.Equal(dense.Value(theta), sparse.Value(theta), 1e-12, 0, "value");
        Close.Equal(dense.ValueAndGradient(theta, gd), sparse.ValueAndGradient(theta, gs), 1e-12, 0, "value with the gradient");
        double scale = gd.Max(Math.Abs);
        Close.All(gd, gs, 1e-12, 1e-12 * scale, "gradient");
        dense.HessianVectorProduct(theta, v, hd);
        sparse.HessianVectorProduct(theta, v, hs);
        Close.All(hd, hs, 1e-12, 1e-12 * hd.Max(Math.Abs), "Hessian-vector product");
        dense.HessianVectorProduct(theta, v, hd, 777);
        sparse.HessianVectorProduct(theta, v, hs, 777);
        Close.All(hd, hs, 1e-12, 1e-12 * hd.Max(Math.Abs), "Hessian-vector product over the first 777 rows");
        // A Hessian-vector product at a new θ evaluates its curvatures first.
        var other = theta.Select(t => -0.5 * t).ToArray();
        dense.HessianVectorProduct(other, v, hd);
        sparse.HessianVectorProduct(other, v, hs);
        Close.All(hd, hs, 1e-12, 1e-12 * hd.Max(Math.Abs), "Hessian-vector product at another θ");
        // Jacobi preconditioner: v / diag(∇²F) with the diagonal of the dense Hessian.
        sparse.ValueAndGradient(theta, gs);
        var hessian = dense.Hessian(theta);
        var preconditioned = new double[n];
        sparse.Precondition(v, preconditioned);
        Close.All(Enumerable.Range(0, n).Select(i => v[i] / hessian[i * n + i]).ToArray(), preconditioned, 1e-12, 0, "Jacobi preconditioner");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void Kernels_over_csr_and_dense_rows_equal_the_loss_layer_for_any_thread_count(int threads)
    {
        var (x, labels, weights) = Problem(1500, 120, 0.2, 29);
        int m = x.RowCount, d = x.ColumnCount;
        var (rowWeight, targets) = KernelInputs(labels, weights);
        using var scope = NewDisposeScope();
        using var reference = new LinearModelObjective(tensor(x.ToDense(), new long[] { m, d }), tensor(labels), 1, Penalty.None, tensor(weights));
        var random = new Random(8);
        var theta = Enumerable.Range(0, d + 1).Select(_ => random.NextDouble() - 0.5).ToArray();
        var v = Enumerable.Range(0, d + 1).Select(_ => random.NextDouble() - 0.5).ToArray();
        var g = new double[d + 1];
        var h = new double[d + 1];
        double f = reference.ValueAndGradient(theta, g);
        reference.HessianVectorProduct(theta, v, h);
        var hessian = reference.Hessian(theta);
        // CSR with the diagonal kept in the gradient pass (interleaved pairs), CSR without it (a pass of its own), dense rows.
        foreach (var kernel in new[] { new BinaryLogisticKernel(x, targets, rowWeight, keepDiagonal: true), new BinaryLogisticKernel(x, targets, rowWeight), new BinaryLogisticKernel(x.ToDense(), m, d, targets, rowWeight) })
        {
            var gw = new double[d];
            double value = kernel.Evaluate(theta.AsSpan(0, d), theta[d], gw, out double gb, threads);
            Close.Equal(f, value, 1e-12, 0, "value");
            Close.All(g, gw.Append(gb).ToArray(), 1e-12, 1e-12 * g.Max(Math.Abs), "gradient");
            var hw = new double[d];
            kernel.HessianVector(v.AsSpan(0, d), v[d], hw, out double hb, threads, m);
            Close.All(h, hw.Append(hb).ToArray(), 1e-12, 1e-12 * h.Max(Math.Abs), "Hessian-vector product");
            var diagonal = new double[d];
            double db = kernel.Diagonal(diagonal, threads);
            Close.All(Enumerable.Range(0, d + 1).Select(i => hessian[i * (d + 1) + i]).ToArray(), diagonal.Append(db).ToArray(), 1e-12, 0, "diagonal");
        }
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    public void Single_hessian_products_are_those_of_x_rounded_to_float32_and_values_stay_float64(int threads, bool csr)
    {
        // d = 123 (not a multiple of 8): the vector loops and their scalar tails both run.
        var (x, labels, weights) = Problem(1500, 123, 0.3, 31);
        int m = x.RowCount, d = x.ColumnCount;
        var (rowWeight, targets) = KernelInputs(labels, weights);
        var dense = x.ToDense();
        var single = csr
            ? new BinaryLogisticKernel(x, targets, rowWeight, keepDiagonal: true, singleHessian: true)
            : new BinaryLogisticKernel(dense, m, d, targets, rowWeight, singleHessian: true);
        var exact = csr ? new BinaryLogisticKernel(x, targets, rowWeight, keepDiagonal: true) : new BinaryLogisticKernel(dense, m, d, targets, rowWeight);
        Assert.True(single.IsSingleHessian);
        var random = new Random(12);
        var w = Enumerable.Range(0, d).Select(_ => random.NextDouble() - 0.5).ToArray();
        var v = Enumerable.Range(0, d).Select(_ => random.NextDouble() - 0.5).ToArray();
        var gs = new double[d];
        var ge = new double[d];
        // Values and gradients read the float64 rows: the same bits as the float64 kernel.
        Assert.Equal(exact.Evaluate(w, 0.3, ge, out double gbe, threads), single.Evaluate(w, 0.3, gs, out double gbs, threads));
        Assert.Equal(ge, gs);
        Assert.Equal(gbe, gbs);
        foreach (int rows in new[] { 777, m })
        {
            var hs = new double[d];
            var he = new double[d];
            single.HessianVector(v, 0.7, hs, out double hbs, threads, rows);
            exact.HessianVector(v, 0.7, he, out double hbe, threads, rows);
            // By hand: (m/rows) Σᵢ Dᵢ (x̃ᵢ·v + v_b) x̃ᵢ, x̃ = X rounded to float32, Dᵢ = rᵢσ(zᵢ)(1 − σ(zᵢ)) at the exact zᵢ.
            var expected = new double[d];
            double expectedB = 0;
            for (int i = 0; i < rows; i++)
            {
                double z = 0.3, xv = 0.7;
                for (int j = 0; j < d; j++)
                {
                    z += dense[i * d + j] * w[j];
                    xv += (float)dense[i * d + j] * v[j];
                }
                double sigma = 1 / (1 + Math.Exp(-z));
                double c = rowWeight[i] * sigma * (1 - sigma) * xv * m / rows;
                expectedB += c;
                for (int j = 0; j < d; j++) expected[j] += c * (float)dense[i * d + j];
            }
            Close.All(expected, hs, 1e-12, 1e-12 * expected.Max(Math.Abs), $"single product over {rows} rows, by hand");
            Close.Equal(expectedB, hbs, 1e-12, 0, "intercept entry, by hand");
            // Against the exact product: the float32 rounding of X (2⁻²⁴ relative per entry), visible and small.
            Close.All(he, hs, 1e-6, 1e-6 * he.Max(Math.Abs), $"single vs float64 product over {rows} rows");
            Assert.True(he.Zip(hs).Max(p => Math.Abs(p.First - p.Second)) > 1e-12 * he.Max(Math.Abs), "the float32 copy should show beyond 1e-12");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Float32_values_copied_by_Prepare_give_the_bits_of_the_copy_made_by_the_first_product(int threads)
    {
        // Prepare makes the copy over its own parts; the first product over 777 rows makes it over that product's parts and the rest.
        var (x, labels, weights) = Problem(1500, 123, 0.3, 32);
        int m = x.RowCount, d = x.ColumnCount;
        var (rowWeight, targets) = KernelInputs(labels, weights);
        var prepared = new BinaryLogisticKernel(x, targets, rowWeight, keepDiagonal: true, singleHessian: true);
        prepared.Prepare(threads);
        var lazy = new BinaryLogisticKernel(x, targets, rowWeight, keepDiagonal: true, singleHessian: true);
        var random = new Random(13);
        var w = Enumerable.Range(0, d).Select(_ => random.NextDouble() - 0.5).ToArray();
        var v = Enumerable.Range(0, d).Select(_ => random.NextDouble() - 0.5).ToArray();
        var g = new double[d];
        prepared.Evaluate(w, 0.3, g, out _, threads);
        lazy.Evaluate(w, 0.3, g, out _, threads);
        foreach (int rows in new[] { 777, m })
        {
            var hp = new double[d];
            var hl = new double[d];
            prepared.HessianVector(v, 0.7, hp, out double hbp, threads, rows);
            lazy.HessianVector(v, 0.7, hl, out double hbl, threads, rows);
            Assert.Equal(hl, hp);
            Assert.Equal(hbl, hbp);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Csr_columns_relabelled_to_16_bits_give_the_bits_of_32_bit_columns(int threads)
    {
        // Up to 65,536 columns the kernel relabels them by frequency into 16-bit indices; the same rows with empty
        // columns beyond that keep 32-bit indices in their own order. Each row's sums and each column's sums run in the
        // same order either way, so every result is the same to the bit.
        var (x, labels, weights) = Problem(1500, 123, 0.25, 41);
        int m = x.RowCount, d = x.ColumnCount;
        var wide = new CsrMatrix(m, ushort.MaxValue + 2, x.RowPointers, x.ColumnIndices, x.Values);
        var (rowWeight, targets) = KernelInputs(labels, weights);
        var random = new Random(5);
        var theta = Enumerable.Range(0, wide.ColumnCount).Select(j => j < d ? random.NextDouble() - 0.5 : 0).ToArray();
        var v = Enumerable.Range(0, wide.ColumnCount).Select(j => j < d ? random.NextDouble() - 0.5 : 0).ToArray();
        foreach (bool keepDiagonal in new[] { true, false })
        {
            var narrow = new BinaryLogisticKernel(x, targets, rowWeight, keepDiagonal);
            var reference = new BinaryLogisticKernel(wide, targets, rowWeight, keepDiagonal);
            var gn = new double[d];
            var gr = new double[wide.ColumnCount];
            Assert.Equal(reference.Evaluate(theta, 0.2, gr, out double gbr, threads), narrow.Evaluate(theta.AsSpan(0, d), 0.2, gn, out double gbn, threads));
            Assert.Equal(gr.Take(d), gn);
            Assert.Equal(gbr, gbn);
            var hn = new double[d];
            var hr = new double[wide.ColumnCount];
            reference.HessianVector(v, 0.4, hr, out double hbr, threads, m);
            narrow.HessianVector(v.AsSpan(0, d), 0.4, hn, out double hbn, threads, m);
            Assert.Equal(hr.Take(d), hn);
            Assert.Equal(hbr, hbn);
            var dn = new double[d];
            var dr = new double[wide.ColumnCount];
            Assert.Equal(reference.Diagonal(dr, threads), narrow.Diagonal(dn, threads));
            Assert.Equal(dr.Take(d), dn);
        }
    }

    [Fact]
    public void Newton_pcg_reusing_its_vectors_across_runs_takes_the_steps_of_a_fresh_solver()
    {
        // The solver keeps its CG vectors, trial θ and spare gradient between steps and runs: a second run of the same
        // instance (after one on another C) must take bit for bit the steps of a new instance.
        var (x, labels, _) = Problem(2000, 300, 0.06, 11);
        using var scope = NewDisposeScope();
        var y = tensor(labels);
        using var objective = new LinearModelObjective(new SparseFeatureMatrix(x), y, 1, new Penalty(PenaltyKind.L2, 0.7), fitIntercept: false);
        using var other = new LinearModelObjective(new SparseFeatureMatrix(x), y, 1, new Penalty(PenaltyKind.L2, 30), fitIntercept: false);
        double[] Run(TorchLogistic.Optim.Solver solver, LinearModelObjective f)
        {
            solver.Begin(f, new double[f.ParameterCount]);
            for (int i = 0; i < 4 && solver.Stalled is null; i++) solver.Step();
            return (double[])solver.Theta.Clone();
        }
        var reused = new TorchLogistic.Optim.PreconditionedNewtonCg();
        Run(reused, other);
        var first = Run(reused, objective);
        var second = Run(reused, objective);
        var fresh = Run(new TorchLogistic.Optim.PreconditionedNewtonCg(), objective);
        Assert.Equal(fresh, first);
        Assert.Equal(fresh, second);
        var gradient = new double[fresh.Length];
        objective.ValueAndGradient(fresh, gradient);
        Assert.True(gradient.Max(Math.Abs) < 1e-6, $"‖∇F‖∞ = {gradient.Max(Math.Abs):E2} after 4 Newton steps");
    }

    [Fact]
    public void A_hessian_vector_product_before_any_gradient_is_refused()
    {
        var (x, labels, _) = Problem(10, 4, 0.5, 1);
        var kernel = new BinaryLogisticKernel(x, labels.Select(l => (double)l).ToArray(), Enumerable.Repeat(0.1, 10).ToArray());
        var e = Assert.Throws<InvalidOperationException>(() => kernel.HessianVector(new double[4], 0, new double[4], out _, 1, 10));
        Assert.Contains("gradient evaluation first", e.Message);
    }
}
