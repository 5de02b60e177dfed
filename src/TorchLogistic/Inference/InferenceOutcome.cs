namespace TorchLogistic.Inference;

/// <summary>
/// What <see cref="LogitInference"/> returns: either the inference (<see cref="result"/>) or, when the fit is one
/// inference cannot be made for (separation, collinearity, weights, L1), the <see cref="refusal"/> that says why
/// and how to fix it. A refusal is an answer, not an error: check <see cref="refused"/> before reading <see cref="result"/>.
/// </summary>
public sealed class InferenceOutcome
{
    private readonly InferenceResult? inference;

    private InferenceOutcome(InferenceResult? inference, InferenceRefusal? refusal)
    {
        this.inference = inference;
        this.refusal = refusal;
    }

    /// <summary>An outcome with the inference.</summary>
    internal static InferenceOutcome of(InferenceResult result) => new(result, null);

    /// <summary>An outcome that carries the refusal.</summary>
    internal static InferenceOutcome refused_with(InferenceRefusal refusal) => new(null, refusal);

    /// <summary>Why inference was refused, or null when <see cref="result"/> holds it.</summary>
    public InferenceRefusal? refusal { get; }

    /// <summary>Whether inference was refused (<see cref="refusal"/> says why).</summary>
    public bool refused => refusal != null;

    /// <summary>The inference; throws <see cref="InvalidOperationException"/> with the refusal's message when it was refused.</summary>
    public InferenceResult result => inference ?? throw new InvalidOperationException(refusal!.message);
}
