using TorchLogistic.Data;
using TorchLogistic.Sparse;

namespace TorchLogistic.Performance;

/// <summary>
/// A seeded sparse binary problem of rcv1's shape (<c>rcv1.binary</c> of LIBSVM's data sets: 20,242 rows × 47,236
/// columns, 0.16 % non-zeros, tf-idf values, rows of unit L2 norm, about half positive), for the LIBLINEAR comparison
/// of issue 20. How it is made, every draw from one <see cref="Random"/> with the given seed:
/// <list type="number">
/// <item>Row lengths: ⌈exp(N(log 60, 0.6²))⌉ non-zeros, rescaled so that their total is 0.16 % of rows × columns
/// (documents are of varied length).</item>
/// <item>Columns: drawn from a Zipf–Mandelbrot law, P(rank r) ∝ 1/(r + 10), over a seeded permutation of the
/// column indices (a few terms are in most documents, most in a handful), distinct within a row.</item>
/// <item>Values: tf-idf, <c>(1 + log c)·(log((1 + m)/(1 + df_j)) + 1)</c> with a term count c − 1 ~ geometric(½)
/// and df_j the rows column j is in, then each row divided by its L2 norm.</item>
/// <item>Labels: a sparse true weight vector w* (1,000 columns drawn by the same law, entries N(0, 1)) scaled so
/// that zᵢ = w*·xᵢ has standard deviation 4; yᵢ = 1 when zᵢ + εᵢ > 0, εᵢ standard logistic noise.</item>
/// </list>
/// </summary>
public static class Rcv1LikeGenerator
{
    /// <summary>rcv1.binary's training rows.</summary>
    public const int Rows = 20_242;

    /// <summary>rcv1.binary's columns.</summary>
    public const int Columns = 47_236;

    /// <summary>rcv1.binary's share of non-zeros.</summary>
    public const double Density = 0.0016;

    /// <summary>The Zipf–Mandelbrot offset q of P(r) ∝ 1/(r + q).</summary>
    public const double ZipfOffset = 10;

    /// <summary>Columns of the true weight vector that are not zero.</summary>
    public const int TrueSupport = 1000;

    /// <summary>Standard deviation of the true logits w*·xᵢ.</summary>
    public const double LogitScale = 4;

    /// <summary>Makes the data set (labels 0/1, classes "-1" and "+1").</summary>
    /// <param name="rows">m.</param>
    /// <param name="columns">n.</param>
    /// <param name="density">Share of non-zeros.</param>
    /// <param name="seed">The seed of every draw.</param>
    /// <param name="name">The data set's name.</param>
    public static SparseDataset Generate(int rows = Rows, int columns = Columns, double density = Density, int seed = 20, string name = "rcv1-like")
    {
        if (rows < 1 || columns < 2 || !(density > 0 && density <= 0.5))
            throw new ArgumentException($"An rcv1-like problem needs ≥ 1 row, ≥ 2 columns and a density in (0, 0.5]; got {rows} × {columns}, {density}.");
        var random = new Random(seed);
        // 1. Row lengths.
        var lengths = new double[rows];
        for (int i = 0; i < rows; i++) lengths[i] = Math.Exp(Math.Log(60) + 0.6 * Normal(random));
        double scale = density * rows * (double)columns / lengths.Sum();
        var pointers = new int[rows + 1];
        for (int i = 0; i < rows; i++)
        {
            int length = Math.Clamp((int)Math.Ceiling(lengths[i] * scale), 1, columns / 2);
            pointers[i + 1] = checked(pointers[i] + length);
        }
        // 2. Columns by rank, ranks mapped to columns by a seeded permutation.
        var permutation = Enumerable.Range(0, columns).ToArray();
        random.Shuffle(permutation);
        var cumulative = new double[columns];
        double total = 0;
        for (int r = 0; r < columns; r++) cumulative[r] = total += 1 / (r + ZipfOffset);
        int DrawColumn()
        {
            double u = random.NextDouble() * total;
            int r = Array.BinarySearch(cumulative, u);
            return permutation[Math.Min(r >= 0 ? r : ~r, columns - 1)];
        }
        int nnz = pointers[rows];
        var indices = new int[nnz];
        var counts = new double[nnz];
        var seen = new HashSet<int>();
        var frequency = new int[columns];
        for (int i = 0; i < rows; i++)
        {
            seen.Clear();
            int start = pointers[i], end = pointers[i + 1];
            while (seen.Count < end - start) seen.Add(DrawColumn());
            int p = start;
            foreach (int j in seen) indices[p++] = j;
            Array.Sort(indices, start, end - start);
            for (p = start; p < end; p++)
            {
                frequency[indices[p]]++;
                int c = 1;
                while (random.NextDouble() < 0.5) c++;
                counts[p] = c;
            }
        }
        // 3. tf-idf, rows of unit norm.
        var values = new double[nnz];
        for (int i = 0; i < rows; i++)
        {
            double squared = 0;
            for (int p = pointers[i]; p < pointers[i + 1]; p++)
            {
                values[p] = (1 + Math.Log(counts[p])) * (Math.Log((1.0 + rows) / (1.0 + frequency[indices[p]])) + 1);
                squared += values[p] * values[p];
            }
            double norm = Math.Sqrt(squared);
            for (int p = pointers[i]; p < pointers[i + 1]; p++) values[p] /= norm;
        }
        var x = new CsrMatrix(rows, columns, pointers, indices, values);
        // 4. Labels from a sparse true weight vector and logistic noise.
        var truth = new double[columns];
        for (int drawn = 0; drawn < Math.Min(TrueSupport, columns);)
        {
            int j = DrawColumn();
            if (truth[j] != 0) continue;
            truth[j] = Normal(random);
            drawn++;
        }
        var z = new double[rows];
        x.Multiply(truth, 1, z);
        double mean = z.Average();
        double sd = Math.Sqrt(z.Sum(v => (v - mean) * (v - mean)) / rows);
        double factor = sd > 0 ? LogitScale / sd : 1;
        var labels = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            double u = Math.Clamp(random.NextDouble(), 1e-300, 1 - 1e-16);
            labels[i] = factor * z[i] + Math.Log(u / (1 - u)) > 0 ? 1 : 0;
        }
        return new SparseDataset(name, x, labels, new[] { "-1", "+1" });
    }

    private static double Normal(Random random)
    {
        double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
