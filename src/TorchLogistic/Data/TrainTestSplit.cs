namespace TorchLogistic.Data;

/// <summary>A seeded split of a data set's rows into a training part and an optional test part.</summary>
public static class TrainTestSplit
{
    /// <summary>
    /// Splits <paramref name="data"/> into a training part and a test part, both non-empty:
    /// <c>ceil(test_fraction · n)</c> rows go to the test part, as in scikit-learn's <c>train_test_split</c>. With
    /// <paramref name="stratify"/>, each class keeps its share in both parts. The same seed always gives the same
    /// rows; within each part rows keep their file order. To train on every row, use <see cref="SplitOptional(Dataset, double, int, bool)"/>.
    /// </summary>
    /// <param name="data">The rows to split.</param>
    /// <param name="testFraction">Share of rows for testing, in (0, 1).</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <param name="stratify">Keep class proportions in both parts (default true).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testFraction"/> is not in (0, 1).</exception>
    public static (Dataset Train, Dataset Test) Split(Dataset data, double testFraction, int seed, bool stratify = true)
    {
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, $"Test fraction {testFraction} must be in (0, 1) for a split with a test part; to train on every row, use TrainTestSplit.SplitOptional with 0.");
        var (train, test) = SplitOptional(data, testFraction, seed, stratify);
        return (train, test!);
    }

    /// <summary>
    /// <see cref="Split"/> that also accepts <paramref name="testFraction"/> = 0, which keeps every row for training
    /// and gives no test part (null) — for callers whose fraction comes from configuration.
    /// </summary>
    /// <param name="data">The rows to split.</param>
    /// <param name="testFraction">Share of rows for testing, in [0, 1). 0 means no test part (null).</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <param name="stratify">Keep class proportions in both parts (default true).</param>
    public static (Dataset Train, Dataset? Test) SplitOptional(Dataset data, double testFraction, int seed, bool stratify = true)
    {
        var (train, test) = SplitIndices(data.Labels, testFraction, seed, stratify);
        return (data.Subset(train), test.Length == 0 ? null : data.Subset(test));
    }

    /// <summary>The sparse rows split as <see cref="SplitOptional(Dataset, double, int, bool)"/> splits dense ones (the same rows for the same labels and seed).</summary>
    /// <param name="data">Rows to split.</param>
    /// <param name="testFraction">Share of rows for testing, in [0, 1); 0 gives no test part.</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <param name="stratify">Keep each class's share in both parts.</param>
    public static (SparseDataset Train, SparseDataset? Test) SplitOptional(SparseDataset data, double testFraction, int seed, bool stratify = true)
    {
        var (train, test) = SplitIndices(data.Labels, testFraction, seed, stratify);
        return (data.Subset(train), test.Length == 0 ? null : data.Subset(test));
    }

    /// <summary>The row indices of <see cref="Split"/>: training rows and test rows, each in ascending order.</summary>
    public static (int[] Train, int[] Test) SplitIndices(int[] labels, double testFraction, int seed, bool stratify = true)
    {
        if (!(testFraction >= 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, $"Test fraction {testFraction} must be in [0, 1); 0 trains on every row.");
        int n = labels.Length;
        int nTest = (int)Math.Ceiling(testFraction * n);
        if (nTest == 0) return (Enumerable.Range(0, n).ToArray(), Array.Empty<int>());
        if (nTest >= n)
            throw new ArgumentException($"Test fraction {testFraction} leaves no training rows out of {n}. Lower Datasets.testFraction.");

        var random = new Random(seed);
        var test = new List<int>(nTest);
        if (stratify)
        {
            // Each class gives its proportional share (largest remainders settle the rounding).
            var groups = Enumerable.Range(0, n).GroupBy(i => labels[i]).OrderBy(g => g.Key).Select(g => g.ToArray()).ToList();
            var exact = groups.Select(g => (double)nTest * g.Length / n).ToArray();
            var take = exact.Select(e => (int)Math.Floor(e)).ToArray();
            int missing = nTest - take.Sum();
            foreach (int k in Enumerable.Range(0, groups.Count).OrderByDescending(k => exact[k] - take[k]).ThenBy(k => k).Take(missing)) take[k]++;
            for (int k = 0; k < groups.Count; k++)
            {
                var rows = groups[k];
                Shuffle(rows, random);
                test.AddRange(rows.Take(take[k]));
            }
        }
        else
        {
            var rows = Enumerable.Range(0, n).ToArray();
            Shuffle(rows, random);
            test.AddRange(rows.Take(nTest));
        }
        var isTest = new bool[n];
        foreach (int i in test) isTest[i] = true;
        return (Enumerable.Range(0, n).Where(i => !isTest[i]).ToArray(), Enumerable.Range(0, n).Where(i => isTest[i]).ToArray());
    }

    private static void Shuffle(int[] rows, Random random)
    {
        for (int i = rows.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (rows[i], rows[j]) = (rows[j], rows[i]);
        }
    }
}
