namespace TorchLogistic.Data;

/// <summary>
/// What a tabular load does with a missing cell (empty, <c>NA</c>, <c>NaN</c>): scikit-learn's <c>SimpleImputer</c>
/// strategies plus refusing and dropping. Fill values are fitted on the training rows only.
/// </summary>
public enum MissingStrategy
{
    /// <summary>Refuse the file at its first missing cell, naming the column and the line (the default).</summary>
    Error,

    /// <summary>Drop every row with a missing feature cell before splitting (pandas' <c>dropna</c>); the count is reported.</summary>
    Drop,

    /// <summary>Numeric columns: the training rows' mean. Categorical columns: their most frequent level.</summary>
    Mean,

    /// <summary>Numeric columns: the training rows' median (the mean of the two middle values for an even count). Categorical: the most frequent level.</summary>
    Median,

    /// <summary>The most frequent value or level of the training rows; on ties the smallest, as scikit-learn.</summary>
    MostFrequent,
}
