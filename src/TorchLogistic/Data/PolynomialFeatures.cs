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
    public const int max_degree = 10;

    /// <summary>The largest number of output features accepted (the expansion grows as dᴺ/N!).</summary>
    public const int max_output_features = 100_000;

    private readonly int[][] terms;

    /// <summary>Creates the expansion of <paramref name="n_input_features"/> features up to <paramref name="degree"/>.</summary>
    /// <param name="n_input_features">d ≥ 1.</param>
    /// <param name="degree">N in [1, <see cref="max_degree"/>]; 1 is the identity.</param>
    public PolynomialFeatures(int n_input_features, int degree)
    {
        if (n_input_features < 1)
            throw new ArgumentOutOfRangeException(nameof(n_input_features), n_input_features, "Polynomial features need at least one input feature.");
        if (degree < 1 || degree > max_degree)
            throw new ArgumentOutOfRangeException(nameof(degree), degree, $"Polynomial degree {degree} must be between 1 and {max_degree}.");
        double count = 1;
        for (int i = 1; i <= degree; i++) count = count * (n_input_features + i) / i;
        if (count - 1 > max_output_features)
            throw new ArgumentException($"Degree {degree} on {n_input_features} features gives {count - 1:N0} features, over {max_output_features:N0}. Use a lower TrainingOptions.poly_degree or fewer features.");
        this.n_input_features = n_input_features;
        this.degree = degree;
        var list = new List<int[]>();
        for (int k = 1; k <= degree; k++) add_terms(list, new int[k], 0, 0, n_input_features);
        terms = list.ToArray();
    }

    /// <summary>d, the number of input features.</summary>
    public int n_input_features { get; }

    /// <summary>N, the largest total degree.</summary>
    public int degree { get; }

    /// <summary>Number of output features, <c>C(d + N, N) − 1</c>.</summary>
    public int n_output_features => terms.Length;

    /// <summary>Output feature t is the product of the input features <c>terms[t]</c> (indices, non-decreasing, repeats are powers).</summary>
    public IReadOnlyList<int[]> term_indices => terms;

    /// <summary>Output names in scikit-learn's style: <c>a</c>, <c>a^2</c>, <c>a b</c>, <c>a^2 b</c>.</summary>
    public string[] feature_names(IReadOnlyList<string> input_names)
    {
        if (input_names.Count != n_input_features)
            throw new ArgumentException($"{input_names.Count} names given for {n_input_features} input features.");
        return terms.Select(t => string.Join(" ", t.GroupBy(i => i).Select(g => g.Count() == 1 ? input_names[g.Key] : $"{input_names[g.Key]}^{g.Count()}"))).ToArray();
    }

    /// <summary>Expands row-major values of <paramref name="n_samples"/> rows × d into rows × <see cref="n_output_features"/>.</summary>
    public double[] transform(double[] features, int n_samples)
    {
        int d = n_input_features, p = terms.Length;
        if (features.Length != (long)n_samples * d)
            throw new ArgumentException($"{features.Length} values are not {n_samples} rows × {d} features.");
        var result = new double[(long)n_samples * p];
        for (int i = 0; i < n_samples; i++)
        {
            long input = (long)i * d, output = (long)i * p;
            for (int t = 0; t < p; t++)
            {
                double product = 1;
                foreach (int j in terms[t]) product *= features[input + j];
                result[output + t] = product;
            }
        }
        return result;
    }

    /// <summary>The same rows with expanded features and names; labels and weights are kept.</summary>
    public Dataset transform(Dataset data)
    {
        if (data.n_features != n_input_features)
            throw new ArgumentException($"The expansion was made for {n_input_features} features but '{data.name}' has {data.n_features}.");
        return degree == 1 ? data : data.with_features(transform(data.features, data.n_samples), feature_names(data.feature_names));
    }

    private static void add_terms(List<int[]> list, int[] current, int position, int smallest, int d)
    {
        if (position == current.Length)
        {
            list.Add((int[])current.Clone());
            return;
        }
        for (int j = smallest; j < d; j++)
        {
            current[position] = j;
            add_terms(list, current, position + 1, j, d);
        }
    }
}
