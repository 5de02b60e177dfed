namespace TorchLogistic.Data;

/// <summary>The per-row factor sᵢ of the objective: sample weight × class weight of the row's class, as scikit-learn multiplies them.</summary>
public static class SampleWeights
{
    /// <summary>scikit-learn's "balanced" class weights: <c>n / (K · nₖ)</c>; a class with no rows gets 0.</summary>
    public static double[] Balanced(int[] labels, int classCount)
    {
        var counts = new long[classCount];
        foreach (int y in labels) counts[y]++;
        return Balanced(counts);
    }

    /// <summary>scikit-learn's "balanced" class weights from the rows per class: <c>n / (K · nₖ)</c> with n = Σnₖ; a class with no rows gets 0.</summary>
    public static double[] Balanced(long[] classCounts)
    {
        long n = classCounts.Sum();
        int k = classCounts.Length;
        return classCounts.Select(c => c == 0 ? 0.0 : (double)n / (k * c)).ToArray();
    }

    /// <summary>sᵢ = sample_weightᵢ · class_weight[yᵢ]; null when both are absent (every sᵢ = 1).</summary>
    public static double[]? Combine(int[] labels, double[]? sampleWeight, double[]? classWeight)
    {
        if (sampleWeight == null && classWeight == null) return null;
        var s = new double[labels.Length];
        Combine(labels, sampleWeight, classWeight, s);
        if (s.Any(v => !(v >= 0) || !double.IsFinite(v)))
            throw new ArgumentException("Sample weights must be finite and ≥ 0.");
        if (s.Sum() <= 0)
            throw new ArgumentException("Sample weights sum to zero: no row would count. Give some rows a positive weight.");
        return s;
    }

    /// <summary>
    /// Writes sᵢ = sample_weightᵢ · class_weight[yᵢ] into <paramref name="destination"/> without checks or allocation:
    /// the per-batch form of <see cref="Combine(int[], double[], double[])"/>, whose checks are made once over all rows.
    /// </summary>
    /// <param name="labels">Class index of each row.</param>
    /// <param name="sampleWeight">Weight of each row, or null (all 1).</param>
    /// <param name="classWeight">Weight of each class, or null (all 1).</param>
    /// <param name="destination">Receives one sᵢ per row.</param>
    public static void Combine(ReadOnlySpan<int> labels, double[]? sampleWeight, double[]? classWeight, Span<double> destination)
    {
        for (int i = 0; i < labels.Length; i++)
            destination[i] = (sampleWeight?[i] ?? 1.0) * (classWeight?[labels[i]] ?? 1.0);
    }
}
