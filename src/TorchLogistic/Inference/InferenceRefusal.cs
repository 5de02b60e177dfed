namespace TorchLogistic.Inference;

/// <summary>
/// Why standard errors, z and p-values were not computed because they would be meaningless: the reason, the full
/// explanation with the fix, and the features involved where they can be named.
/// </summary>
/// <param name="reason">Why.</param>
/// <param name="message">The full explanation, with the fix ("Inference refused: …").</param>
/// <param name="features">The features involved, most involved first (may be empty).</param>
public sealed record InferenceRefusal(RefusalReason reason, string message, IReadOnlyList<string> features);
