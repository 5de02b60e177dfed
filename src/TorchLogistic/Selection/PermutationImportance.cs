using TorchLogistic.Data;
using TorchLogistic.Training;

namespace TorchLogistic.Selection;

/// <summary>
/// Model-agnostic importance by permutation (Breiman 2001; scikit-learn's <c>sklearn.inspection.permutation_importance</c>):
/// the drop of a score when one feature's values are shuffled across the rows, breaking its link to the label while
/// keeping its distribution. <c>importance = s(rows) − s(rows with the feature permuted)</c> on a higher-is-better
/// scale: accuracy, balanced accuracy and ROC AUC as they are, log loss negated (scikit-learn's <c>neg_log_loss</c>),
/// so the importance is the rise of the loss and larger always means more important. A feature the model ignores
/// scores 0; a negative mean means the permuted feature scored better by chance.
/// <para>
/// A tabular model's categorical column is permuted as a whole: its one-hot columns (and missing indicator) move
/// together, row with row, which is permuting the raw column (the encoding is row-wise). Each permutation is applied
/// to the encoded features once (no re-encoding); predictions use the model's own probabilities
/// (<see cref="FittedModel.PredictProbabilities(double[], int, int)"/>), and binary ROC AUC ranks by the logit, as
/// cross-validation does (<see cref="FoldScore"/>). Row weights weigh every score and stay with their rows.
/// Every feature sees the same R permutations (as scikit-learn), so features are compared on equal draws.
/// </para>
/// </summary>
public static class PermutationImportance
{
    /// <summary>Importances of every raw feature of <paramref name="model"/> on <paramref name="data"/>, permutations drawn from <see cref="PermutationImportanceOptions.Seed"/>.</summary>
    /// <param name="model">A fitted model.</param>
    /// <param name="data">Labelled rows in the model's feature layout (its <see cref="FittedModel.FeatureNames"/> and classes; see <see cref="LabelledRows.Align"/>), with optional row weights.</param>
    /// <param name="options">Repeats, scoring and seed (default <see cref="PermutationImportanceOptions"/>).</param>
    public static PermutationImportanceResult Compute(FittedModel model, Dataset data, PermutationImportanceOptions? options = null)
    {
        options ??= new PermutationImportanceOptions();
        options.Validate();
        return Compute(model, data, options.Scoring, Permutations(data.SampleCount, options.Repeats, options.Seed));
    }

    /// <summary>
    /// Importances for explicit permutations: repeat r replaces each row i's feature values by those of row
    /// <c>permutations[r][i]</c> (the same arrays for every feature). With the index arrays scikit-learn draws, the
    /// result is <c>permutation_importance</c>'s.
    /// </summary>
    /// <param name="model">A fitted model.</param>
    /// <param name="data">Labelled rows in the model's feature layout, with optional row weights.</param>
    /// <param name="scoring">The score whose drop is measured.</param>
    /// <param name="permutations">One permutation of 0 … m−1 per repeat.</param>
    public static PermutationImportanceResult Compute(FittedModel model, Dataset data, CrossValidationScoring scoring, IReadOnlyList<int[]> permutations)
    {
        int m = data.SampleCount, d = data.FeatureCount;
        if (!data.FeatureNames.SequenceEqual(model.FeatureNames))
            throw new ArgumentException($"The rows '{data.Name}' are not in the model's feature layout ({d} features, the model {model.FeatureNames.Length}). Bring them into it with LabelledRows.Align.");
        if (!data.Classes.SequenceEqual(model.Classes))
            throw new ArgumentException($"The rows '{data.Name}' have classes {string.Join(", ", data.Classes)}, the model {string.Join(", ", model.Classes)}. Bring them into its layout with LabelledRows.Align.");
        if (m < 2) throw new ArgumentException($"Permutation importance needs at least 2 rows; '{data.Name}' has {m}.");
        if (permutations.Count == 0) throw new ArgumentException("Permutation importance needs at least one permutation (one repeat).");
        foreach (int[] p in permutations) CheckPermutation(p, m);

        var groups = Groups(model);
        double baseline = Score(model, data, data.Features, scoring);
        var working = (double[])data.Features.Clone();
        var result = new List<FeatureImportance>(groups.Count);
        foreach (var (name, columns) in groups)
        {
            var importances = new double[permutations.Count];
            for (int r = 0; r < permutations.Count; r++)
            {
                int[] p = permutations[r];
                for (int i = 0; i < m; i++)
                {
                    foreach (int c in columns) working[(long)i * d + c] = data.Features[(long)p[i] * d + c];
                }
                importances[r] = Gain(scoring, baseline) - Gain(scoring, Score(model, data, working, scoring));
            }
            for (int i = 0; i < m; i++)
            {
                foreach (int c in columns) working[(long)i * d + c] = data.Features[(long)i * d + c];
            }
            result.Add(new FeatureImportance(name, columns, importances));
        }
        return new PermutationImportanceResult(scoring, baseline, result, permutations.Count, m, data.SampleWeight != null);
    }

    /// <summary>
    /// The raw features of <paramref name="model"/> and their model columns: one per tabular column of its
    /// <see cref="FittedModel.Encoding"/> (a categorical column's levels and indicator together), else one per feature.
    /// </summary>
    public static IReadOnlyList<(string Name, int[] Columns)> Groups(FittedModel model)
    {
        if (model.Encoding is not { } encoding)
            return model.FeatureNames.Select((name, j) => (name, new[] { j })).ToList();
        var groups = new List<(string, int[])>(encoding.Columns.Count);
        int start = 0;
        foreach (var column in encoding.Columns)
        {
            groups.Add((column.Name, Enumerable.Range(start, column.FeatureCount).ToArray()));
            start += column.FeatureCount;
        }
        return groups;
    }

    /// <summary><paramref name="repeats"/> permutations of 0 … <paramref name="rowCount"/>−1 (Fisher–Yates, <see cref="Random"/> seeded with <paramref name="seed"/>).</summary>
    public static IReadOnlyList<int[]> Permutations(int rowCount, int repeats, int seed)
    {
        var random = new Random(seed);
        var result = new List<int[]>(repeats);
        for (int r = 0; r < repeats; r++)
        {
            int[] p = Enumerable.Range(0, rowCount).ToArray();
            random.Shuffle(p);
            result.Add(p);
        }
        return result;
    }

    /// <summary>The score on a higher-is-better scale: log loss negated (scikit-learn's <c>neg_log_loss</c>), the others as they are.</summary>
    private static double Gain(CrossValidationScoring scoring, double score) => FoldScore.LowerIsBetter(scoring) ? -score : score;

    private static double Score(FittedModel model, Dataset data, double[] features, CrossValidationScoring scoring)
    {
        double[] proba = model.PredictProbabilities(features, data.SampleCount, data.FeatureCount).Values;
        double[]? logits = null;
        // A calibrator (isotonic especially) changes the ranking: rank by the logit only when the probabilities are the module's own.
        if (scoring == CrossValidationScoring.RocAuc && model.Module.OutputCount == 1 && model.Calibration == null)
            logits = model.DecisionFunction(new Dataset(data.Name, features, data.SampleCount, data.FeatureCount, data.Labels, data.Classes, data.FeatureNames));
        return FoldScore.Of(scoring, data.Labels, proba, model.Classes.Length, data.SampleWeight, logits);
    }

    private static void CheckPermutation(int[] p, int m)
    {
        if (p.Length != m) throw new ArgumentException($"A permutation has {p.Length} entries for {m} rows.");
        var seen = new bool[m];
        foreach (int i in p)
        {
            if (i < 0 || i >= m || seen[i]) throw new ArgumentException($"The index arrays must be permutations of 0 … {m - 1}; one has {i} {(i < 0 || i >= m ? "out of range" : "twice")}.");
            seen[i] = true;
        }
    }
}
