namespace TorchLogistic.Data;

/// <summary>Which one-hot column of a categorical feature is left out: scikit-learn's <c>OneHotEncoder(drop=…)</c>.</summary>
public enum CategoricalDrop
{
    /// <summary>One column per level (<c>drop=None</c>). With an intercept the columns of a feature sum to it: collinear without a penalty.</summary>
    None,

    /// <summary>No column for the first level in sorted order (<c>drop='first'</c>): R's and statsmodels' treatment coding, the first level the baseline.</summary>
    First,
}
