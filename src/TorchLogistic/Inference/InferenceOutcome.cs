namespace TorchLogistic.Inference;

/// <summary>
/// What <see cref="LogitInference"/> returns: either the inference (<see cref="Result"/>) or, when the fit is one
/// inference cannot be made for (separation, collinearity, weights, L1), the <see cref="Refusal"/> that says why
/// and how to fix it. A refusal is an answer, not an error: check <see cref="Refused"/> before reading <see cref="Result"/>.
/// </summary>
public sealed class InferenceOutcome
{
    private readonly InferenceResult? _inference;

    private InferenceOutcome(InferenceResult? inference, InferenceRefusal? refusal)
    {
        this._inference = inference;
        this.Refusal = refusal;
    }

    /// <summary>An outcome with the inference.</summary>
    internal static InferenceOutcome Of(InferenceResult result) => new(result, null);

    /// <summary>An outcome that carries the refusal.</summary>
    internal static InferenceOutcome RefusedWith(InferenceRefusal refusal) => new(null, refusal);

    /// <summary>Why inference was refused, or null when <see cref="Result"/> holds it.</summary>
    public InferenceRefusal? Refusal { get; }

    /// <summary>Whether inference was refused (<see cref="Refusal"/> says why).</summary>
    public bool Refused => Refusal != null;

    /// <summary>The inference; throws <see cref="InvalidOperationException"/> with the refusal's message when it was refused.</summary>
    public InferenceResult Result => _inference ?? throw new InvalidOperationException(Refusal!.Message);
}
