namespace TorchLogistic.Data;

/// <summary>
/// The fitted encoding of one raw column: its kind, its sorted levels (categorical), the value that fills its
/// missing cells, and whether it has a missing-indicator column. Its features, in order: the number (numeric) or one
/// column per level from <see cref="FirstEncodedLevel"/> on (categorical), then <c>name[missing]</c> when
/// <see cref="HasIndicator"/>.
/// </summary>
/// <param name="Name">The column's name in the file.</param>
/// <param name="Kind">Numeric or categorical.</param>
/// <param name="Levels">Categorical: the training rows' distinct levels, sorted numerically when every level is a number, ordinally otherwise; empty for numeric.</param>
/// <param name="NumericFill">Numeric: the value of a missing cell (mean, median or most frequent of the training rows), or null when missing cells are refused.</param>
/// <param name="LevelFill">Categorical: the level of a missing cell (the most frequent), or null when missing cells are refused.</param>
/// <param name="HasIndicator">Whether a 0/1 column marks the rows whose cell was missing.</param>
/// <param name="FirstEncodedLevel">0, or 1 when the first level is dropped (<see cref="CategoricalDrop.First"/>).</param>
public sealed record ColumnEncoding(string Name, ColumnKind Kind, IReadOnlyList<string> Levels, double? NumericFill, string? LevelFill,
    bool HasIndicator, int FirstEncodedLevel)
{
    /// <summary>Number of features this column becomes.</summary>
    public int FeatureCount => (Kind == ColumnKind.Numeric ? 1 : Levels.Count - FirstEncodedLevel) + (HasIndicator ? 1 : 0);

    /// <summary>The names of this column's features: <c>name</c>, or <c>name[level]</c> per encoded level; then <c>name[missing]</c>.</summary>
    public IEnumerable<string> FeatureNames()
    {
        if (Kind == ColumnKind.Numeric) yield return Name;
        else
        {
            for (int l = FirstEncodedLevel; l < Levels.Count; l++) yield return $"{Name}[{Levels[l]}]";
        }
        if (HasIndicator) yield return $"{Name}[missing]";
    }
}
