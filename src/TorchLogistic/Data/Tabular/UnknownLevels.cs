namespace TorchLogistic.Data;

/// <summary>What encoding does with a level it did not see in the training rows: scikit-learn's <c>OneHotEncoder(handle_unknown=…)</c>.</summary>
public enum UnknownLevels
{
    /// <summary>Refuse the row, naming the column, the line and the known levels (the default).</summary>
    Error,

    /// <summary>Encode it as all zeros in that feature's one-hot columns.</summary>
    Ignore,
}
