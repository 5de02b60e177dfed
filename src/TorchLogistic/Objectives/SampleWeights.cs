namespace TorchLogistic.Objectives;

/// <summary>The per-row factor sᵢ of the objective: sample weight × class weight of the row's class, as scikit-learn multiplies them.</summary>
public static class SampleWeights
{
    /// <summary>scikit-learn's "balanced" class weights: <c>n / (K · nₖ)</c>; a class with no rows gets 0.</summary>
    public static double[] balanced(int[] labels, int n_classes)
    {
        var counts = new int[n_classes];
        foreach (int y in labels) counts[y]++;
        return counts.Select(c => c == 0 ? 0.0 : (double)labels.Length / (n_classes * c)).ToArray();
    }

    /// <summary>sᵢ = sample_weightᵢ · class_weight[yᵢ]; null when both are absent (every sᵢ = 1).</summary>
    public static double[]? combine(int[] labels, double[]? sample_weight, double[]? class_weight)
    {
        if (sample_weight == null && class_weight == null) return null;
        var s = new double[labels.Length];
        for (int i = 0; i < labels.Length; i++)
            s[i] = (sample_weight?[i] ?? 1.0) * (class_weight?[labels[i]] ?? 1.0);
        if (s.Any(v => !(v >= 0) || !double.IsFinite(v)))
            throw new ArgumentException("Sample weights must be finite and ≥ 0.");
        if (s.Sum() <= 0)
            throw new ArgumentException("Sample weights sum to zero: no row would count. Give some rows a positive weight.");
        return s;
    }
}
