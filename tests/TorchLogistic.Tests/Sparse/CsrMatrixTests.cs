using TorchLogistic.Sparse;

namespace TorchLogistic.Tests.Sparse;

/// <summary>The CSR kernels against the same products computed densely by hand.</summary>
public class CsrMatrixTests
{
    private static (double[] Dense, CsrMatrix Csr) Random(int m, int n, double density, int seed)
    {
        var random = new Random(seed);
        var dense = new double[m * n];
        for (int i = 0; i < dense.Length; i++) dense[i] = random.NextDouble() < density ? random.NextDouble() * 4 - 2 : 0;
        return (dense, CsrMatrix.FromDense(dense, m, n));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 1)]
    [InlineData(3, 2)]
    public void Products_equal_the_dense_sums_for_any_thread_count(int k, int threads)
    {
        int m = 257, n = 31;
        var (dense, csr) = Random(m, n, 0.2, 7);
        var random = new Random(3);
        var b = Enumerable.Range(0, n * k).Select(_ => random.NextDouble() - 0.5).ToArray();
        var g = Enumerable.Range(0, m * k).Select(_ => random.NextDouble() - 0.5).ToArray();
        var xb = new double[m * k];
        csr.Multiply(b, k, xb, threads);
        var xtg = new double[n * k];
        csr.TransposeMultiply(g, k, xtg);
        var viaTranspose = new double[n * k];
        csr.Transpose().Multiply(g, k, viaTranspose, threads);
        for (int i = 0; i < m; i++)
        {
            for (int a = 0; a < k; a++)
            {
                double sum = 0;
                for (int j = 0; j < n; j++) sum += dense[i * n + j] * b[j * k + a];
                Assert.Equal(sum, xb[i * k + a], 12);
            }
        }
        for (int j = 0; j < n; j++)
        {
            for (int a = 0; a < k; a++)
            {
                double sum = 0;
                for (int i = 0; i < m; i++) sum += dense[i * n + j] * g[i * k + a];
                Assert.Equal(sum, xtg[j * k + a], 12);
                Assert.Equal(sum, viaTranspose[j * k + a], 12);
            }
        }
    }

    [Fact]
    public void The_weighted_gram_matrix_has_the_ones_column_last()
    {
        var dense = new double[] { 1, 0, 2, 0, 3, 0 };
        var csr = CsrMatrix.FromDense(dense, 2, 3);
        var gram = csr.WeightedGram(new[] { 2.0, 0.5 });
        // X̃ = [[1, 0, 2, 1], [0, 3, 0, 1]], h = (2, 0.5): Σ hᵢ x̃ᵢ x̃ᵢᵀ.
        var expected = new double[]
        {
            2, 0, 4, 2,
            0, 4.5, 0, 1.5,
            4, 0, 8, 4,
            2, 1.5, 4, 2.5,
        };
        Assert.Equal(expected, gram);
    }

    [Fact]
    public void Row_selection_and_column_scaling_keep_the_values()
    {
        var (dense, csr) = Random(20, 6, 0.4, 11);
        var rows = new[] { 5, 0, 5, 19 };
        var selected = csr.SelectRows(rows).ToDense();
        for (int r = 0; r < rows.Length; r++)
            Assert.Equal(dense.AsSpan(rows[r] * 6, 6).ToArray(), selected.AsSpan(r * 6, 6).ToArray());
        var factors = new[] { 1.0, 2, 0.5, -1, 3, 10 };
        var scaled = csr.ScaleColumns(factors).ToDense();
        for (int i = 0; i < dense.Length; i++) Assert.Equal(dense[i] * factors[i % 6], scaled[i]);
    }

    [Fact]
    public void Out_of_order_columns_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new CsrMatrix(1, 3, new[] { 0, 2 }, new[] { 2, 1 }, new[] { 1.0, 1.0 }));
        Assert.Contains("columns must increase within a row", error.Message);
    }
}
