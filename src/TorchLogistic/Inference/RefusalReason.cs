namespace TorchLogistic.Inference;

/// <summary>Why inference was refused.</summary>
public enum RefusalReason
{
    /// <summary>A linear combination of the features classifies every training row correctly: the maximum-likelihood estimate does not exist.</summary>
    CompleteSeparation,
    /// <summary>The features separate the classes except for ties on the boundary: some coefficients still diverge.</summary>
    QuasiCompleteSeparation,
    /// <summary>The observed information is singular (collinear or constant features): some coefficients are not identified.</summary>
    SingularInformation,
    /// <summary>The fit is not one inference applies to (weighted rows, an L1 penalty, too many parameters).</summary>
    Unsupported,
}
