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

/// <summary>
/// Thrown instead of returning standard errors, z and p-values that would be meaningless, with an explanation, the
/// features involved where they can be named, and the fix.
/// </summary>
public sealed class InferenceRefusedException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why.</param>
    /// <param name="message">The full explanation, with the fix.</param>
    /// <param name="features">Names of the features involved (may be empty).</param>
    public InferenceRefusedException(RefusalReason reason, string message, IReadOnlyList<string> features) : base(message)
    {
        this.reason = reason;
        this.features = features;
    }

    /// <summary>Why inference was refused.</summary>
    public RefusalReason reason { get; }

    /// <summary>The features involved, most involved first (may be empty).</summary>
    public IReadOnlyList<string> features { get; }
}
