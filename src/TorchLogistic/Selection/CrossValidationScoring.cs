namespace TorchLogistic.Selection;

/// <summary>How a held-out fold is scored in cross-validation.</summary>
public enum CrossValidationScoring
{
    /// <summary>Mean (weighted) log loss; a loss: lower is better (the default).</summary>
    LogLoss,
    /// <summary>(Weighted) share of rows classified correctly; higher is better.</summary>
    Accuracy,
    /// <summary>Area under the ROC curve (binary; one-vs-rest macro average for more classes); higher is better.</summary>
    RocAuc,
    /// <summary>Mean per-class (weighted) recall; higher is better.</summary>
    BalancedAccuracy,
}
