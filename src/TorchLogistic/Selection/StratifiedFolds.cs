using TorchLogistic.Data;

namespace TorchLogistic.Selection;

/// <summary>Fold assignments for cross-validation: drawn (stratified, seeded) or taken from given values.</summary>
public static class StratifiedFolds
{
    /// <summary>
    /// Assigns each row to one of <paramref name="folds"/> folds so that every class is spread as evenly as possible:
    /// each class's rows are shuffled (seeded) and dealt round-robin, the deal of each class continuing where the
    /// previous class's ended, so fold sizes differ by at most one row.
    /// </summary>
    /// <param name="labels">Class index of each row.</param>
    /// <param name="classCount">Number of classes.</param>
    /// <param name="folds">K ≥ 2, at most the rows of the smallest class.</param>
    /// <param name="seed">Seed of the shuffles.</param>
    /// <returns>The fold (0 … K−1) of each row.</returns>
    public static int[] Assign(int[] labels, int classCount, int folds, int seed)
    {
        if (folds < 2) throw new ArgumentException($"Cross-validation needs at least 2 folds; got {folds}.");
        var counts = new int[classCount];
        foreach (int y in labels) counts[y]++;
        int smallest = counts.Where(c => c > 0).DefaultIfEmpty(0).Min();
        if (folds > smallest)
        {
            int k = Array.IndexOf(counts, smallest);
            throw new ArgumentException($"{folds} folds need at least {folds} rows of every class, but class index {k} has only {smallest}. Use at most {smallest} folds (CrossValidationOptions.Folds).");
        }
        var random = new Random(seed);
        var fold = new int[labels.Length];
        int next = 0;
        for (int c = 0; c < classCount; c++)
        {
            var rows = Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).ToArray();
            random.Shuffle(rows);
            foreach (int i in rows)
            {
                fold[i] = next;
                next = (next + 1) % folds;
            }
        }
        return fold;
    }

    /// <summary>
    /// Folds from given values (a fold column): the distinct values, in ascending order (numeric order when all are
    /// numbers, as scikit-learn's <c>PredefinedSplit</c>), become folds 0 … K−1.
    /// </summary>
    /// <param name="values">One value per row.</param>
    /// <param name="columnName">The column's name, for messages.</param>
    public static int[] FromValues(IReadOnlyList<string> values, string columnName)
    {
        var distinct = values.Distinct().Order(StringComparer.Ordinal).ToList();
        if (distinct.All(v => double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)))
            distinct = distinct.OrderBy(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        if (distinct.Count < 2)
            throw new ArgumentException($"The fold column '{columnName}' has {distinct.Count} distinct value(s); cross-validation needs at least 2 folds.");
        var index = distinct.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i);
        return values.Select(v => index[v]).ToArray();
    }

    /// <summary>
    /// Takes the fold assignment from the numeric feature column <paramref name="column"/> of <paramref name="data"/>
    /// (see <see cref="FromValues"/>) and returns the data without that column.
    /// </summary>
    /// <param name="data">Rows whose features include the fold column.</param>
    /// <param name="column">The fold column's name.</param>
    public static (Dataset Data, int[] Folds) TakeColumn(Dataset data, string column)
    {
        int j = Array.IndexOf(data.FeatureNames, column);
        if (j < 0)
            throw new ArgumentException($"The fold column '{column}' is not a column of '{data.Name}' (columns: {string.Join(", ", data.FeatureNames.Take(8))}{(data.FeatureNames.Length > 8 ? ", …" : "")}). Name a numeric column of the data.");
        var values = Enumerable.Range(0, data.SampleCount).Select(i => data[i, j].ToString("R", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var rest = data.FeatureNames.Where((_, c) => c != j).ToArray();
        return (data.SelectFeatures(rest), FromValues(values, column));
    }
}
