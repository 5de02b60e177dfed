namespace TorchLogistic.Data;

/// <summary>
/// Polynomial feature expansion, as scikit-learn's <c>PolynomialFeatures(degree, include_bias=False)</c>: every
/// monomial of the d input features of total degree 1 to N, interactions included, in scikit-learn's order
/// (degree by degree; within a degree, the index tuples <c>i₁ ≤ i₂ ≤ …</c> in lexicographic order). For d = 2,
/// N = 2: <c>a, b, a², a·b, b²</c>. A linear model on these features draws polynomial decision boundaries.
/// Applied to the raw features, before standardisation; <c>C(d + N, N) − 1</c> outputs.
/// </summary>
public sealed class PolynomialFeatures
{
    /// <summary>The largest degree accepted.</summary>
    public const int MaxDegree = 10;

    /// <summary>The largest number of output features accepted (the expansion grows as dᴺ/N!).</summary>
    public const int MaxOutputFeatures = 100_000;

    private readonly int[][] _terms;

    /// <summary>Creates the expansion of <paramref name="inputFeatureCount"/> features up to <paramref name="degree"/>.</summary>
    /// <param name="inputFeatureCount">d ≥ 1.</param>
    /// <param name="degree">N in [1, <see cref="MaxDegree"/>]; 1 is the identity.</param>
    public PolynomialFeatures(int inputFeatureCount, int degree)
    {
        if (inputFeatureCount < 1)
            throw new ArgumentOutOfRangeException(nameof(inputFeatureCount), inputFeatureCount, "Polynomial features need at least one input feature.");
        if (degree < 1 || degree > MaxDegree)
            throw new ArgumentOutOfRangeException(nameof(degree), degree, $"Polynomial degree {degree} must be between 1 and {MaxDegree}.");
        double count = 1;
        for (int i = 1; i <= degree; i++) count = count * (inputFeatureCount + i) / i;
        if (count - 1 > MaxOutputFeatures)
            throw new ArgumentException($"Degree {degree} on {inputFeatureCount} features gives {count - 1:N0} features, over {MaxOutputFeatures:N0}. Use a lower TrainingOptions.PolynomialDegree or fewer features.");
        this.InputFeatureCount = inputFeatureCount;
        this.Degree = degree;
        var list = new List<int[]>();
        for (int k = 1; k <= degree; k++) AddTerms(list, new int[k], 0, 0, inputFeatureCount);
        _terms = list.ToArray();
    }

    /// <summary>d, the number of input features.</summary>
    public int InputFeatureCount { get; }

    /// <summary>N, the largest total degree.</summary>
    public int Degree { get; }

    /// <summary>Number of output features, <c>C(d + N, N) − 1</c>.</summary>
    public int OutputFeatureCount => _terms.Length;

    /// <summary>Output feature t is the product of the input features <c>terms[t]</c> (indices, non-decreasing, repeats are powers).</summary>
    public IReadOnlyList<int[]> TermIndices => _terms;

    /// <summary>Output names in scikit-learn's style: <c>a</c>, <c>a^2</c>, <c>a b</c>, <c>a^2 b</c>.</summary>
    public string[] FeatureNames(IReadOnlyList<string> inputNames)
    {
        if (inputNames.Count != InputFeatureCount)
            throw new ArgumentException($"{inputNames.Count} names given for {InputFeatureCount} input features.");
        return _terms.Select(t => string.Join(" ", t.GroupBy(i => i).Select(g => g.Count() == 1 ? inputNames[g.Key] : $"{inputNames[g.Key]}^{g.Count()}"))).ToArray();
    }

    /// <summary>Expands row-major values of <paramref name="sampleCount"/> rows × d into rows × <see cref="OutputFeatureCount"/>.</summary>
    public double[] Transform(double[] features, int sampleCount)
    {
        int d = InputFeatureCount, p = _terms.Length;
        if (features.Length != (long)sampleCount * d)
            throw new ArgumentException($"{features.Length} values are not {sampleCount} rows × {d} features.");
        var result = new double[(long)sampleCount * p];
        for (int i = 0; i < sampleCount; i++)
        {
            long input = (long)i * d, output = (long)i * p;
            for (int t = 0; t < p; t++)
            {
                double product = 1;
                foreach (int j in _terms[t]) product *= features[input + j];
                result[output + t] = product;
            }
        }
        return result;
    }

    /// <summary>The same rows with expanded features and names; labels and weights are kept.</summary>
    public Dataset Transform(Dataset data)
    {
        if (data.FeatureCount != InputFeatureCount)
            throw new ArgumentException($"The expansion was made for {InputFeatureCount} features but '{data.Name}' has {data.FeatureCount}.");
        return Degree == 1 ? data : data.WithFeatures(Transform(data.Features, data.SampleCount), FeatureNames(data.FeatureNames));
    }

    private static void AddTerms(List<int[]> list, int[] current, int position, int smallest, int d)
    {
        if (position == current.Length)
        {
            list.Add((int[])current.Clone());
            return;
        }
        for (int j = smallest; j < d; j++)
        {
            current[position] = j;
            AddTerms(list, current, position + 1, j, d);
        }
    }
}
