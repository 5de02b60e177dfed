namespace TorchLogistic.Data;

/// <summary>How a raw column becomes features.</summary>
public enum ColumnKind
{
    /// <summary>One feature: the cell's number.</summary>
    Numeric,

    /// <summary>One-hot features, one per level (minus the first with <see cref="CategoricalDrop.First"/>).</summary>
    Categorical,
}
