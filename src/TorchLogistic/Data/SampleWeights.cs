namespace TorchLogistic.Data;

/// <summary>The per-row factor sᵢ of the objective: sample weight × class weight of the row's class, as scikit-learn multiplies them.</summary>
public static class SampleWeights
{
    /// <summary>scikit-learn's "balanced" class weights: <c>n / (K · nₖ)</c>; a class with no rows gets 0.</summary>
    public static double[] balanced(int[] labels, int n_classes)
    {
        var counts = new long[n_classes];
        foreach (int y in labels) counts[y]++;
        return balanced(counts);
    }

    /// <summary>scikit-learn's "balanced" class weights from the rows per class: <c>n / (K · nₖ)</c> with n = Σnₖ; a class with no rows gets 0.</summary>
    public static double[] balanced(long[] class_counts)
    {
        long n = class_counts.Sum();
        int k = class_counts.Length;
        return class_counts.Select(c => c == 0 ? 0.0 : (double)n / (k * c)).ToArray();
    }

    /// <summary>sᵢ = sample_weightᵢ · class_weight[yᵢ]; null when both are absent (every sᵢ = 1).</summary>
    public static double[]? combine(int[] labels, double[]? sample_weight, double[]? class_weight)
    {
        if (sample_weight == null && class_weight == null) return null;
        var s = new double[labels.Length];
        combine(labels, sample_weight, class_weight, s);
        if (s.Any(v => !(v >= 0) || !double.IsFinite(v)))
            throw new ArgumentException("Sample weights must be finite and ≥ 0.");
        if (s.Sum() <= 0)
            throw new ArgumentException("Sample weights sum to zero: no row would count. Give some rows a positive weight.");
        return s;
    }

    /// <summary>
    /// Writes sᵢ = sample_weightᵢ · class_weight[yᵢ] into <paramref name="destination"/> without checks or allocation:
    /// the per-batch form of <see cref="combine(int[], double[], double[])"/>, whose checks are made once over all rows.
    /// </summary>
    /// <param name="labels">Class index of each row.</param>
    /// <param name="sample_weight">Weight of each row, or null (all 1).</param>
    /// <param name="class_weight">Weight of each class, or null (all 1).</param>
    /// <param name="destination">Receives one sᵢ per row.</param>
    public static void combine(ReadOnlySpan<int> labels, double[]? sample_weight, double[]? class_weight, Span<double> destination)
    {
        for (int i = 0; i < labels.Length; i++)
            destination[i] = (sample_weight?[i] ?? 1.0) * (class_weight?[labels[i]] ?? 1.0);
    }
}
