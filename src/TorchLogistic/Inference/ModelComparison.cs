using System.Globalization;

namespace TorchLogistic.Inference;

/// <summary>
/// The likelihood-ratio test between two nested maximum-likelihood fits on the same rows, with AIC and BIC:
/// <c>LR = 2(ℓ_full − ℓ_restricted)</c>, χ² with <c>k_full − k_restricted</c> degrees of freedom. Nested means the same
/// classes and model, and the restricted model's features a subset of the full model's.
/// </summary>
/// <param name="Restricted">The smaller model.</param>
/// <param name="Full">The larger model.</param>
/// <param name="RestrictedIsFirst">Whether the restricted model was the first argument.</param>
public sealed record ModelComparison(InferenceResult Restricted, InferenceResult Full, bool RestrictedIsFirst)
{
    /// <summary>2(ℓ_full − ℓ_restricted).</summary>
    public double Statistic => 2 * (Full.LogLikelihood - Restricted.LogLikelihood);

    /// <summary>k_full − k_restricted.</summary>
    public int DegreesOfFreedom => Full.ParameterCount - Restricted.ParameterCount;

    /// <summary>χ² survival of <see cref="Statistic"/>.</summary>
    public double PValue => SpecialFunctions.ChiSquaredSurvival(Math.Max(0, Statistic), DegreesOfFreedom);

    /// <summary>Compares two fits, in either order; throws when they are not nested or not maximum-likelihood fits on the same rows.</summary>
    /// <param name="a">One fit.</param>
    /// <param name="b">The other.</param>
    /// <param name="nameA">How messages name <paramref name="a"/>.</param>
    /// <param name="nameB">How messages name <paramref name="b"/>.</param>
    public static ModelComparison Of(InferenceResult a, InferenceResult b, string nameA = "the first model", string nameB = "the second model")
    {
        foreach (var (r, name) in new[] { (a, nameA), (b, nameB) })
        {
            if (r.Penalty != "none")
                throw new ArgumentException($"The likelihood-ratio test compares maximum-likelihood fits; {name} is penalised ({r.Penalty}). Train both with TrainingOptions.Penalty = None.");
        }
        if (a.Model != b.Model || !a.Classes.SequenceEqual(b.Classes))
            throw new ArgumentException($"The models are not nested: {nameA} is a {a.Model} of classes ({string.Join(", ", a.Classes)}), {nameB} a {b.Model} of ({string.Join(", ", b.Classes)}). Compare models of the same classes.");
        if (a.ObservationCount != b.ObservationCount)
            throw new ArgumentException($"The fits use different rows ({a.ObservationCount} and {b.ObservationCount}); the likelihood-ratio test needs both on the same rows.");
        var fa = a.Equations[0].Names.Skip(1).ToHashSet(StringComparer.Ordinal);
        var fb = b.Equations[0].Names.Skip(1).ToHashSet(StringComparer.Ordinal);
        if (fa.IsSubsetOf(fb) && fa.Count < fb.Count) return new ModelComparison(a, b, true);
        if (fb.IsSubsetOf(fa) && fb.Count < fa.Count) return new ModelComparison(b, a, false);
        throw new ArgumentException(fa.SetEquals(fb)
            ? $"The models are not nested: both have the features ({string.Join(", ", fa)}), so the likelihood-ratio test has no degrees of freedom. Compare a model with a restricted version of itself."
            : $"The models are not nested: the features of {nameA} ({string.Join(", ", fa)}) and of {nameB} ({string.Join(", ", fb)}) are not one a subset of the other. The likelihood-ratio test needs nested models; compare their AIC and BIC instead.");
    }

    /// <summary>A text table: each model's features, k, ℓ, AIC and BIC, then the test.</summary>
    public string Summary(string nameA = "A", string nameB = "B")
    {
        var c = CultureInfo.InvariantCulture;
        var (first, second) = RestrictedIsFirst ? (Restricted, Full) : (Full, Restricted);
        string Line(string name, InferenceResult r) => string.Create(c,
            $"{name,-4}{r.ParameterCount,4}{r.LogLikelihood,16:F4}{r.Aic,14:F4}{r.Bic,14:F4}  {string.Join(", ", r.Equations[0].Names.Skip(1))}");
        return string.Join(Environment.NewLine, new[]
        {
            $"{"",-4}{"k",4}{"log-likelihood",16}{"AIC",14}{"BIC",14}  features",
            Line(nameA, first),
            Line(nameB, second),
            string.Create(c, $"Likelihood-ratio test of {(RestrictedIsFirst ? nameA : nameB)} (restricted) against {(RestrictedIsFirst ? nameB : nameA)}: LR = {Statistic:G6}, df = {DegreesOfFreedom}, p = {PValue:G4}"),
        }) + Environment.NewLine;
    }
}
