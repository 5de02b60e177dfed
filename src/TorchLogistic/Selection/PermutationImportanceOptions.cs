namespace TorchLogistic.Selection;

/// <summary>How <see cref="PermutationImportance"/> scores a model and how often it permutes each feature.</summary>
public sealed record PermutationImportanceOptions
{
    /// <summary>The most repeats <see cref="Repeats"/> accepts (each repeat scores the model once per feature).</summary>
    public const int MaxRepeats = 1000;

    /// <summary>Permutations per feature, 1 … <see cref="MaxRepeats"/> (default 10; scikit-learn's <c>n_repeats</c> defaults to 5).</summary>
    public int Repeats { get; init; } = 10;

    /// <summary>The score whose drop is measured (default log loss, as cross-validation; scikit-learn's default is the estimator's accuracy).</summary>
    public CrossValidationScoring Scoring { get; init; } = CrossValidationScoring.LogLoss;

    /// <summary>Seed of the permutations (default 0): the same seed gives the same permutations and so the same importances.</summary>
    public int Seed { get; init; }

    /// <summary>Checks the options; throws with the value and the allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Repeats"/> outside 1 … <see cref="MaxRepeats"/>.</exception>
    public void Validate()
    {
        if (Repeats < 1 || Repeats > MaxRepeats)
            throw new ArgumentOutOfRangeException(nameof(Repeats), Repeats,
                $"PermutationImportanceOptions.Repeats = {Repeats} is outside 1 … {MaxRepeats} (repeats are capped at {MaxRepeats}: the spread of the mean shrinks as 1/√repeats, so more buys little). Use e.g. 10.");
    }
}
