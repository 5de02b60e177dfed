namespace TorchLogistic.Sparse;

/// <summary>
/// A sparse matrix in compressed sparse row (CSR) form, as scikit-learn's <c>scipy.sparse.csr_matrix</c>: the
/// non-zeros of row i are <c>Values[RowPointers[i]..RowPointers[i+1])</c> in the columns
/// <c>ColumnIndices[RowPointers[i]..RowPointers[i+1])</c>, strictly increasing within a row. Memory is
/// 12 bytes per non-zero plus 4 per row, never rows × columns. Immutable: every operation returns a new matrix
/// or writes into a caller's buffer. At most <see cref="int.MaxValue"/> non-zeros (.NET's array limit).
/// </summary>
public sealed class CsrMatrix
{
    /// <summary>Creates a matrix from its three arrays, checking that they describe one.</summary>
    /// <param name="rowCount">m ≥ 0.</param>
    /// <param name="columnCount">n ≥ 0.</param>
    /// <param name="rowPointers">Length m + 1, starting at 0, non-decreasing, ending at the number of non-zeros.</param>
    /// <param name="columnIndices">Column of each stored value, in [0, n), strictly increasing within each row.</param>
    /// <param name="values">The stored values, finite; the same length as <paramref name="columnIndices"/>.</param>
    public CsrMatrix(int rowCount, int columnCount, int[] rowPointers, int[] columnIndices, double[] values)
    {
        if (rowCount < 0 || columnCount < 0)
            throw new ArgumentException($"A sparse matrix has a negative shape ({rowCount} × {columnCount}).");
        if (rowPointers.Length != rowCount + 1)
            throw new ArgumentException($"A sparse matrix of {rowCount} rows needs {rowCount + 1} row pointers; got {rowPointers.Length}.");
        if (columnIndices.Length != values.Length)
            throw new ArgumentException($"A sparse matrix has {columnIndices.Length} column indices but {values.Length} values.");
        if (rowPointers[0] != 0 || rowPointers[rowCount] != values.Length)
            throw new ArgumentException($"The row pointers of a sparse matrix must run from 0 to the number of non-zeros ({values.Length}); they run from {rowPointers[0]} to {rowPointers[rowCount]}.");
        for (int i = 0; i < rowCount; i++)
        {
            int start = rowPointers[i], end = rowPointers[i + 1];
            if (end < start) throw new ArgumentException($"The row pointers of a sparse matrix decrease at row {i}.");
            for (int p = start; p < end; p++)
            {
                int j = columnIndices[p];
                if (j < 0 || j >= columnCount)
                    throw new ArgumentException($"Row {i} of a sparse matrix has column {j}, outside [0, {columnCount}).");
                if (p > start && j <= columnIndices[p - 1])
                    throw new ArgumentException($"Row {i} of a sparse matrix has column {j} after column {columnIndices[p - 1]}; columns must increase within a row.");
                if (!double.IsFinite(values[p]))
                    throw new ArgumentException($"Row {i}, column {j} of a sparse matrix is {values[p]}; values must be finite.");
            }
        }
        this.RowCount = rowCount;
        this.ColumnCount = columnCount;
        this.RowPointers = rowPointers;
        this.ColumnIndices = columnIndices;
        this.Values = values;
    }

    /// <summary>m, the number of rows.</summary>
    public int RowCount { get; }

    /// <summary>n, the number of columns.</summary>
    public int ColumnCount { get; }

    /// <summary>Where each row's non-zeros start (length m + 1; the last entry is <see cref="NonZeroCount"/>).</summary>
    public int[] RowPointers { get; }

    /// <summary>Column of each stored value.</summary>
    public int[] ColumnIndices { get; }

    /// <summary>The stored values.</summary>
    public double[] Values { get; }

    /// <summary>Number of stored values.</summary>
    public int NonZeroCount => Values.Length;

    /// <summary>Bytes the three arrays occupy.</summary>
    public long StorageBytes => 4L * RowPointers.Length + 12L * Values.Length;

    /// <summary>The value in row <paramref name="row"/>, column <paramref name="column"/> (0 when not stored); a binary search in the row.</summary>
    public double this[int row, int column]
    {
        get
        {
            int start = RowPointers[row];
            int p = Array.BinarySearch(ColumnIndices, start, RowPointers[row + 1] - start, column);
            return p >= 0 ? Values[p] : 0;
        }
    }

    /// <summary>The stored non-zeros of a row-major dense matrix (zeros are not stored).</summary>
    /// <param name="dense">Row-major values, length <paramref name="rowCount"/> × <paramref name="columnCount"/>.</param>
    /// <param name="rowCount">m.</param>
    /// <param name="columnCount">n.</param>
    public static CsrMatrix FromDense(ReadOnlySpan<double> dense, int rowCount, int columnCount)
    {
        if (dense.Length != (long)rowCount * columnCount)
            throw new ArgumentException($"{dense.Length} values for {rowCount} × {columnCount}.");
        var pointers = new int[rowCount + 1];
        var columns = new List<int>();
        var values = new List<double>();
        for (int i = 0; i < rowCount; i++)
        {
            for (int j = 0; j < columnCount; j++)
            {
                double v = dense[i * columnCount + j];
                if (v == 0) continue;
                columns.Add(j);
                values.Add(v);
            }
            pointers[i + 1] = values.Count;
        }
        return new CsrMatrix(rowCount, columnCount, pointers, columns.ToArray(), values.ToArray());
    }

    /// <summary>The rows <c>[start, start + count)</c> as a row-major dense array (for small blocks: prediction in chunks, tests).</summary>
    /// <param name="start">First row.</param>
    /// <param name="count">Number of rows.</param>
    public double[] ToDense(int start, int count)
    {
        var dense = new double[(long)count * ColumnCount];
        for (int i = 0; i < count; i++)
        {
            long offset = (long)i * ColumnCount;
            for (int p = RowPointers[start + i]; p < RowPointers[start + i + 1]; p++) dense[offset + ColumnIndices[p]] = Values[p];
        }
        return dense;
    }

    /// <summary>Every row as a row-major dense array (small matrices only).</summary>
    public double[] ToDense() => ToDense(0, RowCount);

    /// <summary>Xᵀ in CSR form (X's CSC form): a counting sort by column, O(nnz + n); columns stay sorted within rows.</summary>
    public CsrMatrix Transpose()
    {
        var pointers = new int[ColumnCount + 1];
        foreach (int j in ColumnIndices) pointers[j + 1]++;
        for (int j = 0; j < ColumnCount; j++) pointers[j + 1] += pointers[j];
        var next = (int[])pointers.Clone();
        var columns = new int[NonZeroCount];
        var values = new double[NonZeroCount];
        for (int i = 0; i < RowCount; i++)
        {
            for (int p = RowPointers[i]; p < RowPointers[i + 1]; p++)
            {
                int q = next[ColumnIndices[p]]++;
                columns[q] = i;
                values[q] = Values[p];
            }
        }
        return new CsrMatrix(ColumnCount, RowCount, pointers, columns, values);
    }

    /// <summary>The rows listed in <paramref name="rows"/>, in that order.</summary>
    /// <param name="rows">Row indices in [0, m); repeats allowed.</param>
    public CsrMatrix SelectRows(IReadOnlyList<int> rows)
    {
        var pointers = new int[rows.Count + 1];
        for (int r = 0; r < rows.Count; r++)
        {
            int i = rows[r];
            if (i < 0 || i >= RowCount) throw new ArgumentOutOfRangeException(nameof(rows), i, $"Row {i} is outside [0, {RowCount}).");
            pointers[r + 1] = checked(pointers[r] + RowPointers[i + 1] - RowPointers[i]);
        }
        var columns = new int[pointers[rows.Count]];
        var values = new double[pointers[rows.Count]];
        for (int r = 0; r < rows.Count; r++)
        {
            int i = rows[r], length = RowPointers[i + 1] - RowPointers[i];
            Array.Copy(ColumnIndices, RowPointers[i], columns, pointers[r], length);
            Array.Copy(Values, RowPointers[i], values, pointers[r], length);
        }
        return new CsrMatrix(rows.Count, ColumnCount, pointers, columns, values);
    }

    /// <summary>The matrix with column j multiplied by <paramref name="factors"/>[j] (scaling without centring keeps it sparse).</summary>
    /// <param name="factors">One finite factor per column.</param>
    public CsrMatrix ScaleColumns(IReadOnlyList<double> factors)
    {
        if (factors.Count != ColumnCount)
            throw new ArgumentException($"{factors.Count} column factors for {ColumnCount} columns.");
        var values = new double[NonZeroCount];
        for (int p = 0; p < values.Length; p++) values[p] = Values[p] * factors[ColumnIndices[p]];
        return new CsrMatrix(RowCount, ColumnCount, RowPointers, ColumnIndices, values);
    }

    /// <summary>
    /// <c>C = X·B</c> for a dense row-major B <c>(n, K)</c> into row-major C <c>(m, K)</c>, parallel over blocks
    /// of rows. Each entry is one row's sum in storage order, so the result does not depend on the thread count.
    /// </summary>
    /// <param name="b">B, row-major, length n·K.</param>
    /// <param name="outputCount">K ≥ 1.</param>
    /// <param name="result">C, row-major, length m·K; overwritten.</param>
    /// <param name="threads">Most threads to use (≥ 1).</param>
    public void Multiply(double[] b, int outputCount, double[] result, int threads = 1)
    {
        if (outputCount < 1) throw new ArgumentOutOfRangeException(nameof(outputCount), outputCount, "K must be ≥ 1.");
        if (b.Length != (long)ColumnCount * outputCount)
            throw new ArgumentException($"B has {b.Length} entries; X·B needs {ColumnCount} × {outputCount}.");
        if (result.Length != (long)RowCount * outputCount)
            throw new ArgumentException($"The result has {result.Length} entries; X·B is {RowCount} × {outputCount}.");
        int k = outputCount;
        void Rows(int from, int to)
        {
            for (int i = from; i < to; i++)
            {
                int start = RowPointers[i], end = RowPointers[i + 1];
                if (k == 1)
                {
                    double sum = 0;
                    for (int p = start; p < end; p++) sum += Values[p] * b[ColumnIndices[p]];
                    result[i] = sum;
                    continue;
                }
                var row = result.AsSpan(i * k, k);
                row.Clear();
                for (int p = start; p < end; p++)
                {
                    double v = Values[p];
                    var source = b.AsSpan(ColumnIndices[p] * k, k);
                    for (int a = 0; a < k; a++) row[a] += v * source[a];
                }
            }
        }
        const int minimumWork = 1 << 15;
        int blocks = Math.Max(1, Math.Min(Math.Max(threads, 1) * 4, (int)Math.Min(RowCount, ((long)NonZeroCount * k + minimumWork - 1) / minimumWork)));
        if (blocks == 1 || threads <= 1)
        {
            Rows(0, RowCount);
            return;
        }
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads },
            block => Rows((int)((long)RowCount * block / blocks), (int)((long)RowCount * (block + 1) / blocks)));
    }

    /// <summary>
    /// <c>C = Xᵀ·G</c> for a dense row-major G <c>(m, K)</c> into row-major C <c>(n, K)</c> by scattering each row
    /// in turn (one thread; for small matrices such as a mini-batch — a large one uses <see cref="Transpose"/> once
    /// and <see cref="Multiply"/>).
    /// </summary>
    /// <param name="g">G, row-major, length m·K.</param>
    /// <param name="outputCount">K ≥ 1.</param>
    /// <param name="result">C, row-major, length n·K; overwritten.</param>
    public void TransposeMultiply(double[] g, int outputCount, double[] result)
    {
        if (g.Length != (long)RowCount * outputCount)
            throw new ArgumentException($"G has {g.Length} entries; Xᵀ·G needs {RowCount} × {outputCount}.");
        if (result.Length != (long)ColumnCount * outputCount)
            throw new ArgumentException($"The result has {result.Length} entries; Xᵀ·G is {ColumnCount} × {outputCount}.");
        int k = outputCount;
        Array.Clear(result);
        for (int i = 0; i < RowCount; i++)
        {
            for (int p = RowPointers[i]; p < RowPointers[i + 1]; p++)
            {
                double v = Values[p];
                int j = ColumnIndices[p];
                for (int a = 0; a < k; a++) result[j * k + a] += v * g[i * k + a];
            }
        }
    }

    /// <summary>
    /// The weighted Gram matrix of the rows with a ones column appended, <c>X̃ᵀ diag(h) X̃</c> with
    /// <c>X̃ = [X, 1]</c>, row-major <c>(n + 1, n + 1)</c>: Σᵢ hᵢ x̃ᵢ x̃ᵢᵀ, O(Σᵢ nnzᵢ²) work plus the dense result.
    /// </summary>
    /// <param name="h">hᵢ per row, or null for ones.</param>
    public double[] WeightedGram(double[]? h)
    {
        if (h != null && h.Length != RowCount) throw new ArgumentException($"{h.Length} row weights for {RowCount} rows.");
        int p1 = ColumnCount + 1;
        var gram = new double[checked((long)p1 * p1)];
        for (int i = 0; i < RowCount; i++)
        {
            double w = h?[i] ?? 1;
            int start = RowPointers[i], end = RowPointers[i + 1];
            for (int p = start; p < end; p++)
            {
                int a = ColumnIndices[p];
                double wa = w * Values[p];
                long offset = (long)a * p1;
                for (int q = start; q < end; q++) gram[offset + ColumnIndices[q]] += wa * Values[q];
                gram[offset + ColumnCount] += wa;
                gram[(long)ColumnCount * p1 + a] += wa;
            }
            gram[(long)ColumnCount * p1 + ColumnCount] += w;
        }
        return gram;
    }
}
