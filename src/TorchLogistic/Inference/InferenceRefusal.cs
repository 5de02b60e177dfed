namespace TorchLogistic.Inference;

/// <summary>
/// Why standard errors, z and p-values were not computed because they would be meaningless: the reason, the full
/// explanation with the fix, and the features involved where they can be named.
/// </summary>
/// <param name="Reason">Why.</param>
/// <param name="Message">The full explanation, with the fix ("Inference refused: …").</param>
/// <param name="Features">The features involved, most involved first (may be empty).</param>
public sealed record InferenceRefusal(RefusalReason Reason, string Message, IReadOnlyList<string> Features);
