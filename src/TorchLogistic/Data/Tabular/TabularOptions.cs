namespace TorchLogistic.Data;

/// <summary>
/// How a tabular CSV becomes features (<see cref="TabularEncoder"/>): which columns are categorical and how they
/// are one-hot encoded, and what happens to missing cells. Every default keeps an all-numeric file without
/// missing cells exactly as <see cref="CsvDataset"/> reads it.
/// </summary>
public sealed record TabularOptions
{
    /// <summary>The default options: categorical columns detected, <see cref="CategoricalDrop.None"/>, unknown levels an error, missing cells an error.</summary>
    public static TabularOptions Default { get; } = new();

    /// <summary>
    /// Columns to encode as categorical even when every cell is a number (e.g. a class coded 1, 2, 3). A column
    /// with a cell that is not a number is categorical anyway. Default: none named.
    /// </summary>
    public IReadOnlyList<string> Categorical { get; init; } = Array.Empty<string>();

    /// <summary>Which one-hot column to leave out (default <see cref="CategoricalDrop.None"/>, scikit-learn's default).</summary>
    public CategoricalDrop CategoricalDrop { get; init; } = CategoricalDrop.None;

    /// <summary>Levels unseen in training (default <see cref="UnknownLevels.Error"/>).</summary>
    public UnknownLevels HandleUnknown { get; init; } = UnknownLevels.Error;

    /// <summary>Missing cells (default <see cref="MissingStrategy.Error"/>).</summary>
    public MissingStrategy Missing { get; init; } = MissingStrategy.Error;

    /// <summary>
    /// Add a 0/1 column <c>column[missing]</c> after each column that had a missing cell in the training rows
    /// (scikit-learn's <c>SimpleImputer(add_indicator=True)</c>). Needs an imputing <see cref="Missing"/> strategy. Default false.
    /// </summary>
    public bool MissingIndicator { get; init; }

    /// <summary>Whether these options read an all-numeric file without missing cells as plain numeric columns.</summary>
    internal bool NamesNoColumn => Categorical.Count == 0;

    /// <summary>Checks the combination.</summary>
    /// <exception cref="ArgumentException">An indicator without imputation, or a column named twice.</exception>
    public void Validate()
    {
        if (MissingIndicator && Missing is MissingStrategy.Error or MissingStrategy.Drop)
            throw new ArgumentException($"TabularOptions.MissingIndicator marks imputed cells; with TabularOptions.Missing = {Missing} no cell is imputed. Use TabularOptions.Missing = Mean, Median or MostFrequent.");
        var twice = Categorical.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice != null)
            throw new ArgumentException($"TabularOptions.Categorical names '{CsvText.Cut(twice.Key)}' twice. Name each column once.");
    }
}
